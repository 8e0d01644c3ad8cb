"""Sở ngành: one department's plan items across indices and years (as lead or supporting
department), with the quarter's status (overdue first) and the follow-up of each indicator."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics import plans
from ui import data, plan_data
from ui.routing import run_under_app
from ui.selectors import plain_names, province_select
from analytics.weak_wording import department_label
from ui.show import show_table
from ui.state import language, t


def department_items(pid: str, provinces: pd.DataFrame) -> pd.DataFrame:
    """Items of every plan of the province (and, for a 2025 province, of the provinces it was
    made of)."""
    return plans.province_items(plan_data.read("plan_items"), provinces, pid)


def main() -> None:
    store_data = data.load()
    provinces, indices = store_data["provinces"], store_data["indices"]
    left, middle, right = st.columns([2, 2, 1])
    pid, _ = province_select(provinces, left)
    names = plain_names(provinces)
    departments = plans.department_names(store_data["departments"])
    lang = language()
    department = middle.selectbox(t("department"), departments, key="department",
                                  index=departments.index("Sở Nội vụ") if "Sở Nội vụ" in departments else 0,
                                  format_func=lambda name: department_label(name, lang))
    today = date.today()
    quarters = [plans.quarter_of(date(today.year - k // 4, 12 - 3 * (k % 4), 1)) for k in range(12)]
    current = plans.quarter_of(today)
    quarters = sorted({current, *quarters}, reverse=True)
    quarter = right.selectbox(t("plan_quarter"), quarters, format_func=plans.quarter_label, key="dept_quarter")
    st.title(t("dept_title", department=department_label(department, lang), province=names.get(pid, pid)))
    items = department_items(pid, provinces)
    if items.empty:
        st.info(t("dept_none"))
        return
    view = plan_data.views(items, plan_data.read("plan_statuses"), quarter)
    mine = plans.filter_items(view, department=department)
    if mine.empty:
        st.info(t("dept_none"))
        return
    lead = mine["lead_department"] == department
    st.markdown(t("dept_counts", lead=int(lead.sum()), support=int((~lead).sum()),
                  overdue=int(mine["overdue"].sum()), done=int((mine["status"] == "done").sum())))
    index_names = dict(zip(indices["index_code"], indices["short_name"]))
    show_table(plan_data.items_table(mine, t, index_names))
    moved = mine[mine["movement"].notna()]
    if not moved.empty:
        st.subheader(t("plan_movement"))
        show_table(plan_data.summary_table(plans.movement_summary(moved.assign(lead_department=department)), t))


run_under_app()
main()
