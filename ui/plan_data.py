"""Plan reads and writes for the pages (Kế hoạch, Sở ngành): small tables read fresh on each run
(the database is opened, read and closed), writes in one transaction through the store."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import plans
from analytics import provinces as ids
from analytics.errors import UserError
from analytics.store import Store
from ui.feedback import confirm_saved
from ui.i18n import TIER_KEYS
from ui import data
from ui.state import language


def read(method: str, *args) -> pd.DataFrame:
    """A plan table (`plans`, `plan_items`, `plan_statuses`, `plan_changes`) of the store."""
    with Store.open(data.db_path(), read_only=True) as store:
        return getattr(store, method)(*args)


def find_plan(pid: str, index_code: str, year: int) -> dict | None:
    era, code = ids.split_id(pid)
    table = read("plans")
    if table.empty:
        return None
    rows = table[(table["era"] == era) & (table["province_code"] == code) & (table["index_code"] == index_code)
                 & (table["year"] == int(year))]
    return rows.iloc[0].to_dict() if not rows.empty else None


def write(action, success: str) -> bool:
    """Run `action(store)` on a writable store; show the outcome. True when it succeeded."""
    try:
        with Store.open(data.db_path()) as store:
            action(store)
    except UserError as error:
        st.error(error.describe(language()))
        return False
    confirm_saved(success, rerun=False)  # the caller reruns; the toast shows on that run
    return True


def views(items: pd.DataFrame, statuses: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Items with their quarter's status, and the follow-up against later results."""
    if items.empty:
        return items
    store_data = data.load()
    view = plans.item_view(items, statuses, quarter)
    return plans.item_movement(view, store_data["scores"], store_data["indices"], store_data["provinces"])


def items_table(view: pd.DataFrame, t, index_names: dict | None = None) -> pd.DataFrame:
    """The items as shown: overdue first, words for codes."""
    out = pd.DataFrame({
        t("plan_item_no"): view["item_no"].astype("Int64"),
        t("indicator"): view["indicator"],
        t("tier"): view["tier"].map(lambda c: t(TIER_KEYS[c]) if isinstance(c, str) else ""),
        t("lead"): view["lead_department"],
        t("support"): view["support_departments"].map(lambda s: "; ".join(plans.split_departments(s))),
        t("plan_task"): view["task"],
        t("plan_deadline"): view["deadline"],
        t("plan_status"): view["status_text"],
        t("plan_note"): view["note"],
        t("plan_movement"): view["movement_text"],
    })
    if index_names is not None:
        out.insert(1, t("index"), [f"{index_names.get(i, i)} {y}" for i, y in zip(view["index_code"], view["year"])])
    return out
