"""The improvement plan in the store (plans, items, quarterly statuses, change log, rollback)
and the pure plan rules (quarters, status of a quarter, overdue first, follow-up)."""

from __future__ import annotations

import shutil
from datetime import date

from pathlib import Path

import pandas as pd
import pytest

from analytics import plans, reports, weak
from analytics.errors import UserError
from analytics.store import Store


@pytest.fixture()
def plan_store(built_db, tmp_path):
    """A writable copy of the built store with Hà Nội's PAPI 2016 plan from the priority tier."""
    path = tmp_path / "plan.duckdb"
    shutil.copy(built_db, path)
    store = Store.open(path)
    table, indices = reports.build_score_table(store), store.indices()
    assessed = weak.assess_indicators(table, indices, "legacy:01", "PAPI", 2016,
                                      weak.Thresholds.for_index(indices, "PAPI"), store.departments())
    plan_id = store.save_plan(era="legacy", province_code="01", index_code="PAPI", year=2016, plan_number="125",
                              plan_date=date(2017, 5, 15), saved_by="lan")
    store.add_plan_items(plan_id, plans.items_from_worklist(weak.select_tier(assessed, "priority")), "lan")
    yield store, plan_id, table
    store.close()


def change(item_id, field, value, quarter=None):
    return pd.DataFrame([{"item_id": item_id, "field": field, "quarter": quarter, "new_value": value}])


def test_a_plan_from_the_worklist_holds_the_priority_items(plan_store):
    store, plan_id, _ = plan_store
    items = store.plan_items(plan_id)
    assert 0 < len(items) <= 10 and items["item_no"].tolist() == list(range(1, len(items) + 1))
    assert set(items["tier"]) == {"priority"} and items["lead_department"].notna().all()
    assert (items["era"] == "legacy").all() and (items["province_code"] == "01").all()
    plan = store.plans().iloc[0]
    assert plan["plan_number"] == "125" and pd.Timestamp(plan["plan_date"]).date() == date(2017, 5, 15)


def test_every_change_is_recorded_with_who_when_before_after(plan_store):
    store, plan_id, _ = plan_store
    first = int(store.plan_items(plan_id)["item_id"].iloc[0])
    edit = store.apply_plan_changes(plan_id, pd.concat([change(first, "task", "Công khai ngân sách"),
                                                        change(first, "deadline", "2017-09-30"),
                                                        change(first, "status", "in_progress", "2017Q3")]),
                                    changed_by="minh")
    log = store.plan_changes(plan_id)
    mine = log[log["edit_id"] == edit].set_index("field")
    assert set(mine.index) == {"task", "deadline", "status"} and (mine["edited_by"] == "minh").all()
    assert mine.loc["deadline", "new_value"] == "2017-09-30" and pd.isna(mine.loc["deadline", "old_value"])
    assert mine["edited_at"].notna().all()
    again = store.apply_plan_changes(plan_id, change(first, "task", "Công khai ngân sách trên cổng"), changed_by="lan")
    row = store.plan_changes(plan_id).query("edit_id == @again").iloc[0]
    assert (row["old_value"], row["new_value"]) == ("Công khai ngân sách", "Công khai ngân sách trên cổng")
    assert store.apply_plan_changes(plan_id, change(first, "task", "Công khai ngân sách trên cổng"), changed_by="x") is None


def test_rollback_restores_and_refuses_when_a_later_edit_touched_the_same_value(plan_store):
    store, plan_id, _ = plan_store
    first = int(store.plan_items(plan_id)["item_id"].iloc[0])
    one = store.apply_plan_changes(plan_id, change(first, "task", "A"), changed_by="lan")
    two = store.apply_plan_changes(plan_id, change(first, "task", "B"), changed_by="lan")
    with pytest.raises(UserError, match=f"#{two}"):
        store.rollback_plan_edit(one, "lan")
    assert store.rollback_plan_edit(two, "lan") == 1
    assert store.plan_items(plan_id).set_index("item_id").loc[first, "task"] == "A"
    store.rollback_plan_edit(one, "lan")
    assert pd.isna(store.plan_items(plan_id).set_index("item_id").loc[first, "task"])
    with pytest.raises(UserError, match="đã được hoàn tác"):
        store.rollback_plan_edit(one, "lan")


def test_unknown_field_or_item_changes_nothing(plan_store):
    store, plan_id, _ = plan_store
    first = int(store.plan_items(plan_id)["item_id"].iloc[0])
    before = store.plan_changes(plan_id)
    with pytest.raises(UserError):
        store.apply_plan_changes(plan_id, pd.concat([change(first, "task", "X"), change(first, "indicator", "Y")]),
                                 changed_by="lan")
    with pytest.raises(UserError, match="không thuộc kế hoạch"):
        store.apply_plan_changes(plan_id, change(99999, "task", "X"), changed_by="lan")
    assert len(store.plan_changes(plan_id)) == len(before)
    assert pd.isna(store.plan_items(plan_id).set_index("item_id").loc[first, "task"])


def test_plan_number_changes_are_recorded(plan_store):
    store, plan_id, _ = plan_store
    assert store.save_plan(era="legacy", province_code="01", index_code="PAPI", year=2016, plan_number="126",
                           plan_date=date(2017, 5, 20), saved_by="lan") == plan_id
    log = store.plan_changes(plan_id)
    assert set(log["field"]) >= {"plan_number", "plan_date"}
    assert log.set_index("field").loc["plan_number", "old_value"] == "125"


def test_a_store_of_the_previous_release_gets_empty_plans(tmp_path):
    """The release before plans (tests/fixtures/store_bbfa68b.duckdb.gz) is upgraded by the
    migrations and reads no plans; a plan can then be written."""
    import gzip
    import shutil

    from analytics.store import ensure_store
    path = tmp_path / "old.duckdb"
    with gzip.open(Path(__file__).parent / "fixtures" / "store_bbfa68b.duckdb.gz", "rb") as source, \
            open(path, "wb") as out:
        shutil.copyfileobj(source, out)
    ensure_store(path)
    with Store.open(path) as store:
        assert store.plans().empty and store.plan_items().empty
        assert store.save_plan(era="legacy", province_code="01", index_code="PAPI", year=2016, plan_number="1",
                               plan_date=date(2017, 5, 20), saved_by="lan") >= 1


# -- pure rules ------------------------------------------------------------------------------
def test_quarters():
    assert plans.parse_quarter("2026Q3") == (2026, 3) and plans.parse_quarter("2026-q1") == (2026, 1)
    assert plans.quarter_end("2026Q3") == date(2026, 9, 30) and plans.quarter_label("2026Q4") == "Quý IV/2026"
    assert plans.quarter_of(date(2026, 11, 29)) == "2026Q4"
    with pytest.raises(UserError, match="2026Q3"):
        plans.parse_quarter("Q3/2026")
    assert plans.quarters_of_plan(2016, today=date(2017, 8, 1)) == ["2017Q1", "2017Q2", "2017Q3"]


def items_frame():
    return pd.DataFrame({"item_id": [1, 2, 3, 4], "item_no": [1, 2, 3, 4], "lead_department": ["B", "A", "A", "C"],
                         "support_departments": ["A;C", "", "B", None], "tier": ["priority", "priority", "watch", "priority"],
                         "deadline": [date(2026, 6, 30), date(2026, 12, 31), date(2026, 3, 31), None]})


def test_status_of_a_quarter_and_overdue_first():
    statuses = pd.DataFrame({"item_id": [1, 3, 2], "quarter": ["2026Q3", "2026Q2", "2026Q3"],
                             "status": ["in_progress", "done", None], "note": ["họp", None, "chờ"]})
    view = plans.item_view(items_frame(), statuses, "2026Q3").set_index("item_id")
    assert view.loc[1, "status"] == "in_progress" and view.loc[1, "overdue"]  # deadline 30/6 passed
    assert view.loc[3, "status"] == "done" and not view.loc[3, "overdue"]  # done in Q2 carries on
    assert view.loc[2, "status"] == "not_started" and view.loc[2, "note"] == "chờ"
    assert view.loc[4, "status"] == "not_started"
    ordered = plans.item_view(items_frame(), statuses, "2026Q3")
    assert ordered["item_id"].iloc[0] == 1  # overdue first
    empty = pd.DataFrame(columns=["item_id", "quarter", "status", "note"])
    assert plans.item_view(items_frame(), empty, "2026Q3").set_index("item_id").loc[1, "status"] == "overdue"


def test_filters_and_summary():
    view = plans.item_view(items_frame(), pd.DataFrame(columns=["item_id", "quarter", "status", "note"]), "2026Q3")
    assert set(plans.filter_items(view, department="A")["item_id"]) == {1, 2, 3}
    assert set(plans.filter_items(view, tiers=["watch"])["item_id"]) == {3}
    assert set(plans.filter_items(view, statuses=["overdue"])["item_id"]) == {1, 3}
    summary = plans.progress_summary(view).set_index("lead_department")
    assert summary.loc["A", "n"] == 2 and summary.loc["A", "overdue"] == 1


def test_departments_are_the_kept_list():
    names = plans.department_names(weak.load_default_departments())
    assert "Sở Nội vụ" in names and "Sở Nông nghiệp và Môi trường" in names
    assert names == sorted(set(names))


def test_plan_heading_has_number_and_date():
    plan = {"plan_number": "125", "plan_date": date(2017, 5, 15)}
    assert plans.plan_heading(plan, "Hà Nội") == "(Kèm theo Kế hoạch số 125/KH-UBND ngày 15/5/2017 của Ủy ban nhân dân Hà Nội)"
    assert "Kế hoạch số …/KH-UBND ngày …/…/…" in plans.plan_heading({}, "Hà Nội")


def test_movement_since_the_plan_year_beyond_the_noise_band(real):
    table, indices, _ = real
    from analytics import registry
    provinces = registry.load_provinces()
    rows = table[(table["province_id"] == "legacy:01") & (table["index_code"] == "PAPI") & (table["year"] == 2020)
                 & table["indicator_code"].isin(["D8", "D6", "D5"])]
    items = pd.DataFrame({"era": "legacy", "province_code": "01", "index_code": "PAPI", "year": 2020,
                          "indicator_code": rows["indicator_code"].values, "indicator": rows["name_vi"].values,
                          "baseline_value": rows["value"].values, "baseline_rank": rows["rank"].values,
                          "lead_department": "Sở Nội vụ", "reasons": "LOW"})
    moved = plans.item_movement(items, table, indices, provinces).set_index("indicator_code")
    assert (moved["later_year"] == 2024).all()
    band = table[(table["index_code"] == "PAPI") & (table["year"] == 2024) & (table["indicator_code"] == "D8")
                 & (table["province_id"] == "legacy:01")]
    change = float(moved.loc["D8", "change"])
    assert moved.loc["D8", "movement"] == ("improved" if change > float(band["noise_band"].iloc[0]) else "unchanged")
    assert moved.loc["D5", "movement"] == "not_comparable"  # construction permits left D5 in 2021
    summary = plans.movement_summary(moved.reset_index())
    assert summary["n"].sum() == (moved["movement"].isin(["improved", "unchanged", "worse"])).sum()
