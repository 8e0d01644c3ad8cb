"""Worklist tiers (priority / watch / keep), reason codes as lists, the CLI `--tier` and the
page's default view and reason filter."""

from __future__ import annotations

import pandas as pd

from analytics import weak
from tests.test_cli import run
from tests.test_pages import app  # noqa: F401  (fixture)


def _assessed(real, pid="legacy:01", index="PAPI", year=2016, **changes):
    table, indices, _ = real
    thresholds = weak.Thresholds.for_index(indices, index, **changes)
    return weak.assess_indicators(table, indices, pid, index, year, thresholds, weak.load_default_departments())


def test_ha_noi_papi_2016_priority_tier_is_capped_and_has_no_top_group(real):
    assessed = _assessed(real)
    priority = weak.select_tier(assessed, "priority")
    assert 0 < len(priority) <= 10
    assert (priority["group_no"] != 1).all()
    assert priority["severity"].is_monotonic_decreasing
    assert priority["reason_codes"].apply(lambda c: bool(weak.PRIORITY_REASONS & set(c))).all()


def test_capped_priority_rows_move_to_watch(real):
    assessed = _assessed(real, priority_cap=3)
    assert len(weak.select_tier(assessed, "priority")) == 3
    capped = assessed[assessed["tier_capped"]]
    assert not capped.empty and (capped["tier"] == "watch").all()
    assert capped["severity"].max() <= weak.select_tier(assessed, "priority")["severity"].min()


def test_keep_tier_is_the_top_group_and_watch_has_no_priority_reason(real):
    assessed = _assessed(real, pid="legacy:48", year=2016)  # Đà Nẵng: several top-group areas
    keep = weak.select_tier(assessed, "keep")
    assert not keep.empty and (keep["group_no"] == 1).all()
    watch = weak.select_tier(assessed, "watch")
    plain = watch[~watch["tier_capped"]]
    assert plain["reason_codes"].apply(lambda c: not (weak.PRIORITY_REASONS & set(c)) and len(c) > 0).all()


def test_reason_codes_are_lists_and_reasons_the_joined_text(real):
    assessed = _assessed(real)
    for codes, text in zip(assessed["reason_codes"], assessed["reasons"]):
        assert isinstance(codes, list) and ";".join(codes) == text
        assert set(codes) <= set(weak.REASON_CODES)


def test_assign_tiers_on_a_hand_made_frame():
    frame = pd.DataFrame({"group_no": [1, 4, 3, 2, 2],
                          "reason_codes": [["DECLINE"], ["LOW"], ["BELOW_MEDIAN"], ["DECLINE"], []]})
    assert weak.assign_tiers(frame, cap=1)["tier"].tolist() == ["keep", "priority", "watch", "watch", None]
    assert weak.assign_tiers(frame, cap=None)["tier"].tolist() == ["keep", "priority", "watch", "priority", None]


def test_weak_cli_tier_column_and_option(tmp_path):
    db = tmp_path / "w.duckdb"
    run("init", "--db", str(db))
    out = tmp_path / "p.csv"
    run("weak", "--db", str(db), "--province", "Hà Nội", "--index", "PAPI", "--year", "2016", "--out", str(out))
    priority = pd.read_csv(out)
    assert len(priority) <= 10 and set(priority["tier"]) == {"priority"}
    assert not priority["group"].eq("Cao nhất").any()
    run("weak", "--db", str(db), "--province", "01", "--index", "PAPI", "--year", "2016", "--tier", "watch",
        "--out", str(out))
    assert set(pd.read_csv(out)["tier"]) == {"watch"}


def test_page_defaults_to_the_priority_tier_and_low_filter_is_exact(app):  # noqa: F811
    at = app("chi_so_yeu", province="01", index="PAPI", year="2016")
    assert at.radio(key="tier").value == "priority"
    table = at.dataframe[0].value
    assert 0 < len(table) <= 10 and set(table["Mức"]) == {"Ưu tiên"}
    at.radio(key="tier").set_value("all").run()
    at.button_group(key="filter_reasons").set_value(["LOW"]).run()
    shown = at.dataframe[0].value
    assert set(shown["Nhóm"]) == {"Thấp nhất"}  # LOW only: BELOW_MEDIAN-only rows are not matched
