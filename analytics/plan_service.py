"""The plan commands of the command line (`plan export|import|rollback`, `brief`, `report`):
the store reads and writes around the pure modules (plans, plan_sheet, reports_docx,
brief_pdf). No Streamlit."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd

from analytics import brief_pdf, plan_sheet, plans, registry, reports, reports_docx, weak
from analytics import provinces as province_ids
from analytics.errors import UserError
from analytics.wording import N_
from analytics.store import Store


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _plan_of(store: Store, pid: str, index_code: str, year: int) -> dict | None:
    era, code = province_ids.split_id(pid)
    table = store.plans()
    if table.empty:
        return None
    rows = table[(table["era"] == era) & (table["province_code"] == code) & (table["index_code"] == index_code)
                 & (table["year"] == int(year))]
    return rows.iloc[0].to_dict() if not rows.empty else None


def ensure_plan(store: Store, table: pd.DataFrame, pid: str, index_code: str, year: int, *, user: str,
                number: str | None = None, when: date | None = None) -> dict:
    """The plan of the province, index and year; created from the worklist's priority tier
    (default thresholds) when there is none."""
    plan = _plan_of(store, pid, index_code, year)
    if plan is not None:
        return plan
    indices, departments = store.indices(), store.departments()
    assessed = weak.assess_indicators(table, indices, pid, index_code, year,
                                      weak.Thresholds.for_index(indices, index_code), departments)
    if assessed.empty:
        raise UserError.keyed("err_plan_no_data", index=index_code, year=year)
    era, code = province_ids.split_id(pid)
    plan_id = store.save_plan(era=era, province_code=code, index_code=index_code, year=year, plan_number=number,
                              plan_date=when, saved_by=user)
    priority = weak.select_tier(assessed, "priority")
    store.add_plan_items(plan_id, plans.items_from_worklist(priority), user)
    _say(f"Đã lập kế hoạch #{plan_id} với {len(priority)} nhiệm vụ mức Ưu tiên.")
    return _plan_of(store, pid, index_code, year)


def export_plan(store: Store, pid: str, index_code: str, year: int, quarter: str, out: Path, user: str,
                number: str | None = None, when: date | None = None) -> int:
    table = reports.build_score_table(store)
    plan = ensure_plan(store, table, pid, index_code, year, user=user, number=number, when=when)
    view = plans.item_view(store.plan_items(int(plan["plan_id"])), store.plan_statuses(int(plan["plan_id"])), quarter)
    names = province_ids.names(store.provinces())
    index_name = store.indices().set_index("index_code").loc[index_code, "short_name"]
    out.write_bytes(plan_sheet.plan_workbook(plan, view, quarter=quarter, departments=plans.department_names(store.departments()),
                                             province_name=names[pid], index_name=index_name))
    _say(f"{names[pid]}, {index_code} {year}, {plans.quarter_label(quarter)}: {len(view)} nhiệm vụ → {out}")
    return 0


def import_plan(store: Store, pid: str, index_code: str, year: int, path: Path, user: str, dry_run: bool) -> int:
    plan = _plan_of(store, pid, index_code, year)
    if plan is None:
        raise UserError.keyed("err_no_plan", hint_key=N_("hint_export_annex_first"), index=index_code, year=year)
    items = store.plan_items(int(plan["plan_id"]))
    changes, problems = plan_sheet.read_plan_fill(path.read_bytes(), items, plans.department_names(store.departments()))
    for problem in problems:
        _say(f"Lỗi: {problem.describe()}")
    if problems:
        _say(f"Không nhập: {len(problems)} lỗi. Kế hoạch không thay đổi.")
        return 2
    quarter = changes["quarter"].dropna().iloc[0] if changes["quarter"].notna().any() else plans.quarter_of(date.today())
    preview = plan_sheet.preview_changes(changes, plans.item_view(items, store.plan_statuses(int(plan["plan_id"])), quarter))
    for c in preview.itertuples(index=False):
        _say(f"Mục {c.item_no} «{c.indicator}» {c.field}{' ' + c.quarter if isinstance(c.quarter, str) else ''}: "
             f"{c.old_value if c.old_value is not None and not pd.isna(c.old_value) else '—'} → {c.new_value}")
    if dry_run or preview.empty:
        _say(f"Xem trước: {len(preview)} thay đổi" + (" (--dry-run: chưa ghi gì)." if dry_run else "."))
        return 0
    edit = store.apply_plan_changes(int(plan["plan_id"]), preview, changed_by=user, source="excel", file_name=path.name)
    _say(f"Đã nhập lần sửa #{edit}: {len(preview)} thay đổi (hoàn tác: plan rollback --edit {edit}).")
    return 0


def province_view(store: Store, table: pd.DataFrame, pid: str, quarter: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The province's items (every plan) for `quarter` with movement, and its plans."""
    provinces = store.provinces()
    items = plans.province_items(store.plan_items(), provinces, pid)
    if items.empty:
        return items, store.plans().iloc[0:0]
    view = plans.item_movement(plans.item_view(items, store.plan_statuses(), quarter), table, store.indices(), provinces)
    all_plans = store.plans()
    return view, all_plans[all_plans["plan_id"].isin(items["plan_id"])]


def write_report(store: Store, label: str, quarter: str, out: Path) -> int:
    year, _ = plans.parse_quarter(quarter)
    provinces = store.provinces()
    pid, note = province_ids.resolve(provinces, label, registry.ERA_2025 if year >= 2025 else registry.LEGACY)
    if note:
        _say(note)
    view, plan_rows = province_view(store, reports.build_score_table(store), pid, quarter)
    name = province_ids.names(provinces)[pid]
    if view.empty:
        raise UserError.keyed("err_province_no_plan", hint_key=N_("hint_make_plan_first"), province=name)
    indices = store.indices()
    out.write_bytes(reports_docx.quarterly_report(view, plan_rows, province_name=name, quarter=quarter,
                                                  index_names=dict(zip(indices["index_code"], indices["short_name"]))))
    _say(f"{name}, {plans.quarter_label(quarter)}: {len(view)} nhiệm vụ, {int(view['overdue'].sum())} quá hạn → {out}")
    return 0


def write_brief(store: Store, label: str, out: Path, year: int | None, quarter: str | None) -> int:
    table, indices, provinces = reports.build_score_table(store), store.indices(), store.provinces()
    first = indices["index_code"].iloc[0]
    latest = int(table.loc[table["index_code"] == first, "year"].max())
    pid, note = province_ids.resolve(provinces, label, registry.era_of_year(first, year or latest, indices))
    if note:
        _say(note)
    quarter = quarter or plans.quarter_of(date.today())
    facts = brief_pdf.brief_facts(table, indices, pid, year)
    view, _ = province_view(store, table, pid, quarter)
    name = province_ids.names(provinces)[pid]
    out.write_bytes(brief_pdf.brief_pdf(facts, province_name=name, view=view, quarter=quarter))
    _say(f"{name}: bản tóm tắt {', '.join(h['index'] + ' ' + str(int(h['year'])) for h in facts['headline'])} → {out}")
    return 0
