"""Kế hoạch: the improvement plan of a province, index and year: items by department, quarterly
status (overdue first), the Excel round trip, the change log, and the follow-up."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics import plan_sheet, plans, weak
from analytics import provinces as ids
from analytics.errors import UserError
from analytics.weak_wording import department_label
from ui import data, plan_data
from ui.auth import current_analyst
from ui.feedback import confirmed
from ui.routing import run_under_app
from ui.selection import province_index_year
from ui.selectors import merger_caption
from ui.i18n import TIER_KEYS
from ui.errors import escape_markdown
from ui.show import show_table
from ui.state import language, t


def create_plan_form(pid: str, index_code: str, year: int, analyst: str) -> None:
    """Number, date, and the priority tier of the worklist as the first items."""
    store_data = data.load()
    thresholds = weak.Thresholds.for_index(store_data["indices"], index_code)
    assessed = weak.assess_indicators(store_data["scores"], store_data["indices"], pid, index_code, year,
                                      thresholds, store_data["departments"])
    priority = weak.select_tier(assessed, "priority") if not assessed.empty else assessed
    st.info(t("plan_none", n=len(priority)))
    a, b = st.columns(2)
    number = a.text_input(t("plan_number"), key="plan_number")
    when = b.date_input(t("plan_date"), value=date(int(year) + 1, 5, 15), key="plan_date", format="DD/MM/YYYY")
    if st.button(t("plan_create"), key="plan_create"):
        era, code = ids.split_id(pid)

        def create(store):
            plan_id = store.save_plan(era=era, province_code=code, index_code=index_code, year=year,
                                      plan_number=number.strip() or None, plan_date=when, saved_by=analyst)
            if not priority.empty:
                store.add_plan_items(plan_id, plans.items_from_worklist(priority), analyst)
        if plan_data.write(create, t("plan_created", n=len(priority))):
            st.rerun()


def shown_department(name: str) -> str:
    """A department as the reader's language names it (the plan keeps the Vietnamese name)."""
    return department_label(name, language())


def shown_status(code: str) -> str:
    return plans.status_label(code, language())


def editor(view: pd.DataFrame, plan: dict, quarter: str, departments: list[str], analyst: str) -> None:
    """Edit tasks, departments, deadlines, status and note of the quarter; save as one edit."""
    columns = ["item_id", "item_no", "indicator", "lead_department", "support_list", "task", "deadline", "status", "note"]
    rows = view.assign(support_list=view["support_departments"].map(plans.split_departments),
                       indicator=plan_data.indicator_names(view, language()))[columns]
    config = {
        "item_id": None, "item_no": st.column_config.NumberColumn(t("plan_item_no"), disabled=True),
        "indicator": st.column_config.TextColumn(t("indicator"), disabled=True),
        "lead_department": st.column_config.SelectboxColumn(t("lead"), options=departments, required=True,
                                                            format_func=shown_department),
        "support_list": st.column_config.MultiselectColumn(t("support"), options=departments,
                                                           format_func=shown_department),
        "task": st.column_config.TextColumn(t("plan_task")),
        "deadline": st.column_config.DateColumn(t("plan_deadline"), format="DD/MM/YYYY"),
        "status": st.column_config.SelectboxColumn(t("plan_status"), options=list(plans.STATUS_KEYS),
                                                   format_func=shown_status),
        "note": st.column_config.TextColumn(t("plan_note")),
    }
    edited = st.data_editor(rows, column_config=config, hide_index=True, num_rows="fixed", key=f"plan_editor_{quarter}")
    if st.button(t("plan_save"), key="plan_save"):
        changes = edited_changes(rows, edited, quarter)
        if changes.empty:
            st.info(t("plan_nothing"))
        elif plan_data.write(lambda s: s.apply_plan_changes(int(plan["plan_id"]), changes, changed_by=analyst),
                             t("plan_saved", n=len(changes))):
            st.rerun()


def edited_changes(before: pd.DataFrame, after: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """(item_id, field, quarter, new_value) for each cell the editor changed."""
    records = []
    after = after.assign(support_departments=after["support_list"].map(lambda names: ";".join(names or [])))
    before = before.assign(support_departments=before["support_list"].map(";".join))
    for field in ("lead_department", "support_departments", "task", "deadline", "status", "note"):
        for (_, old), (_, new) in zip(before.iterrows(), after.iterrows()):
            a, b = (None if pd.isna(v) or v == "" else str(v) for v in (old[field], new[field]))
            if a != b:
                records.append({"item_id": int(new["item_id"]), "field": field, "new_value": b,
                                "quarter": quarter if field in ("status", "note") else None})
    return pd.DataFrame(records, columns=["item_id", "field", "quarter", "new_value"])


def excel_round_trip(plan: dict, items: pd.DataFrame, view: pd.DataFrame, quarter: str, departments: list[str],
                     names: tuple[str, str], analyst: str | None) -> None:
    content = plan_sheet.plan_workbook(plan, view, quarter=quarter, departments=departments,
                                       province_name=names[0], index_name=names[1])
    stem = f"ke_hoach_{plan['index_code']}_{plan['era']}-{plan['province_code']}_{plan['year']}_{quarter}"
    st.download_button(t("plan_download"), content, file_name=f"{stem}.xlsx", key="plan_download",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if analyst is None:
        return
    upload = st.file_uploader(t("plan_upload"), type=["xlsx"], key="plan_upload")
    if upload is None:
        return
    try:
        changes, problems = plan_sheet.read_plan_fill(upload.getvalue(), items, departments)
    except UserError as error:
        st.error(escape_markdown(error.describe(language())))
        return
    if problems:
        st.error(t("plan_refused", n=len(problems)))
        for problem in problems:
            st.markdown(f"- {escape_markdown(problem.describe(language()))}")  # cells of the file: literal
        return
    preview = plan_sheet.preview_changes(changes, view)
    st.markdown(t("plan_preview", n=len(preview)))
    shown = preview.merge(view[["item_id", "index_code", "indicator_code"]], on="item_id", how="left")
    show_table(plan_data.changes_table(shown[["item_no", "index_code", "indicator_code", "indicator", "field", "quarter",
                                              "old_value", "new_value"]], t).drop(columns=["index_code"]))
    if not preview.empty and st.button(t("plan_import"), key="plan_import"):
        if plan_data.write(lambda s: s.apply_plan_changes(int(plan["plan_id"]), preview, changed_by=analyst,
                                                          source="excel", file_name=upload.name),
                           t("plan_saved", n=len(preview))):
            st.rerun()


def change_log(plan: dict, analyst: str | None) -> None:
    log = plan_data.read("plan_changes", int(plan["plan_id"]))
    with st.expander(t("plan_log", n=0 if log.empty else log["edit_id"].nunique())):
        if log.empty:
            return
        show_table(plan_data.changes_table(log, t))
        open_edits = sorted(log.loc[log["rolled_back_at"].isna(), "edit_id"].unique(), reverse=True)
        if analyst and open_edits:
            edit = st.selectbox(t("plan_rollback_pick"), open_edits, key="plan_rollback_pick")
            if st.button(t("plan_rollback"), key="plan_rollback"):
                st.session_state["plan_rollback_pending"] = int(edit)
            pending = st.session_state.get("plan_rollback_pending")
            if pending in open_edits:  # a rollback undoes others' work: it is confirmed first
                if confirmed("plan_rollback_pending", t("plan_rollback_confirm", edit=pending), "plan_rollback",
                             t("rollback_yes"), t("rollback_no")):
                    if plan_data.write(lambda s: s.rollback_plan_edit(pending, analyst),
                                       t("plan_rolled_back", edit=pending)):
                        st.rerun()


def show_plan(plan: dict, names: tuple[str, str], analyst: str | None) -> None:
    st.caption(plans.plan_heading(plan, names[0], language()))
    quarters = plans.quarters_of_plan(int(plan["year"]))
    a, b, c = st.columns(3)
    quarter = a.selectbox(t("plan_quarter"), quarters[::-1], format_func=plans.quarter_label, key="plan_quarter")
    items = plan_data.read("plan_items", int(plan["plan_id"]))
    view = plan_data.views(items, plan_data.read("plan_statuses", int(plan["plan_id"])), quarter)
    if view.empty:
        st.info(t("plan_empty"))
        return
    statuses = b.multiselect(t("plan_status"), list(plans.STATUS_KEYS), format_func=shown_status, key="plan_f_status",
                             placeholder=t("all_items"))
    tiers = c.multiselect(t("tier"), weak.TIERS, format_func=lambda x: t(TIER_KEYS[x]), key="plan_f_tier",
                          placeholder=t("all_items"))
    shown = plans.filter_items(view, statuses, tiers)
    overdue = int(view["overdue"].sum())
    st.markdown(t("plan_counts", n=len(view), done=int((view["status"] == "done").sum()), overdue=overdue))
    for department, rows in shown.groupby("lead_department", sort=False):
        st.subheader(f"{shown_department(department)} ({len(rows)})")
        show_table(plan_data.items_table(rows, t))
    st.subheader(t("plan_by_department"))
    summary = plans.progress_summary(view).merge(plans.movement_summary(view), on="lead_department", how="left",
                                                 suffixes=("", "_moved"))
    show_table(plan_data.summary_table(summary, t))
    departments = plans.department_names(data.load()["departments"])
    if analyst:
        with st.expander(t("plan_edit")):
            editor(view, plan, quarter, departments, analyst)
    excel_round_trip(plan, items, view, quarter, departments, names, analyst)
    change_log(plan, analyst)


def main() -> None:
    store_data = data.load()
    chosen = province_index_year(store_data)
    pid, index_code, year = chosen.province, chosen.index_code, chosen.year
    names, index_names = chosen.province_names, chosen.index_names
    st.title(t("plan_title", province=names[pid], index=index_names[index_code], year=year))
    merger_caption(store_data["provinces"], pid)
    analyst = current_analyst()
    plan = plan_data.find_plan(pid, index_code, year)
    if plan is None:
        if analyst:
            create_plan_form(pid, index_code, year, analyst)
        else:
            st.info(t("plan_none_reader"))
        return
    show_plan(plan, (names[pid], index_names[index_code]), analyst)


run_under_app()
main()
