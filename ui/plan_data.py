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
from analytics.weak_wording import department_label, departments_label
from analytics.wording import N_
from ui.i18n import TIER_KEYS
from ui.state import language
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
    """The items as shown: overdue first, words for codes, in the interface language."""
    lang = language()
    out = pd.DataFrame({
        t("plan_item_no"): view["item_no"].astype("Int64"),
        t("indicator"): indicator_names(view, lang),
        t("tier"): view["tier"].map(lambda c: t(TIER_KEYS[c]) if isinstance(c, str) else ""),
        t("lead"): [department_label(d, lang) for d in view["lead_department"]],
        t("support"): [departments_label(s, lang) for s in view["support_departments"]],
        t("plan_task"): view["task"],
        t("plan_deadline"): view["deadline"],
        t("plan_status"): [plans.status_label(s, lang) for s in view["status"]],
        t("plan_note"): view["note"],
        t("plan_movement"): [plans.movement_label(m, lang) for m in view["movement"]],
    })
    if index_names is not None:
        out.insert(1, t("index"), [f"{index_names.get(i, i)} {y}" for i, y in zip(view["index_code"], view["year"])])
    return out


def indicator_names(rows: pd.DataFrame, lang: str) -> list[str]:
    """Each row's indicator in `lang`: the catalog's name for its index and code (the latest
    period's), else the name the plan saved (in Vietnamese)."""
    if lang != "en" or "indicator_code" not in rows:
        return list(rows["indicator"])
    catalog = data.load()["catalog"].sort_values("valid_from")
    names = dict(zip(zip(catalog["index_code"], catalog["indicator_code"]), catalog["name_en"]))
    codes = rows["index_code"] if "index_code" in rows else pd.Series(None, index=rows.index)
    return [names.get((i, c)) or saved for i, c, saved in zip(codes, rows["indicator_code"], rows["indicator"])]


def summary_table(summary: pd.DataFrame, t) -> pd.DataFrame:
    """A per-department count table (`plans.progress_summary` / `movement_summary`, merged or
    not) with its departments and column headers in the interface language."""
    lang = language()
    labels = {"lead_department": t("lead"), "n": t("plan_items_n"), "n_moved": t("plan_items_moved")}
    labels.update({code: plans.status_label(code, lang) for code in plans.STATUS_KEYS})
    labels.update({code: plans.movement_label(code, lang) for code in plans.MOVEMENT_SYMBOLS})
    shown = summary.assign(lead_department=[department_label(d, lang) for d in summary["lead_department"]])
    return shown.rename(columns=labels)


FIELD_KEYS = {"lead_department": N_("lead"), "support_departments": N_("support"), "task": N_("plan_task"),
              "deadline": N_("plan_deadline"), "status": N_("plan_status"), "note": N_("plan_note"),
              "item": N_("plan_field_item")}
SOURCE_KEYS = {"page": N_("plan_source_page"), "excel": N_("plan_source_excel")}


def changes_table(changes: pd.DataFrame, t) -> pd.DataFrame:
    """The change log or an upload's preview as shown: fields, sources, statuses and
    departments in words, headers in the interface language (columns it lacks are skipped)."""
    lang = language()

    def value(field, text):
        if field == "status" and isinstance(text, str):
            return plans.status_label(text, lang)
        if field in ("lead_department", "support_departments"):
            return departments_label(text, lang)
        return text

    out = changes.copy()
    if "indicator" in out:
        out["indicator"] = indicator_names(out, lang)
    for column in ("old_value", "new_value"):
        if column in out:
            out[column] = [value(f, v) for f, v in zip(out["field"], out[column])]
    if "field" in out:
        out["field"] = out["field"].map(lambda f: t(FIELD_KEYS[f]) if f in FIELD_KEYS else f)
    if "source" in out:
        out["source"] = out["source"].map(lambda s: t(SOURCE_KEYS[s]) if s in SOURCE_KEYS else s)
    labels = {"edit_id": t("plan_edit_no"), "edited_at": t("plan_edited_at"), "edited_by": t("plan_edited_by"),
              "source": t("source"), "file_name": t("file"), "rolled_back_at": t("rolled_back_at"),
              "item_no": t("plan_item_no"), "indicator_code": t("code"), "indicator": t("indicator"),
              "field": t("plan_field"), "quarter": t("plan_quarter"), "old_value": t("old_value"),
              "new_value": t("new_value")}
    return out.drop(columns=[c for c in ("plan_id", "item_id") if c in out]).rename(columns=labels)
