"""The improvement plan as work: pure pandas over the store's plan tables (no Streamlit, no DuckDB).

A plan belongs to a province (era + code), an index and a year of results; its items are the
worklist's priority indicators (or added by hand), each with a lead department and supporting
departments from the departments list the analyst keeps, a task, a deadline, and per quarter a
status and a progress note.

Status of an item in a quarter (`item_view`): the status written for that quarter; else the
latest earlier quarter's status when it was "done"; else "overdue" when the deadline is before
the quarter's end and the item is not done; else "not_started". `overdue` is also True for a
written status other than done whose deadline has passed.

Follow-up (`item_movement`): when results of a later year exist, each item's indicator is
compared with its value in the plan's year through `weak.follow_up` (improved / unchanged /
worse beyond the score table's noise band; not comparable; no data).
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from analytics import provinces as province_ids
from analytics import weak
from analytics.errors import UserError
from analytics.weak_wording import FOLLOW_UP_SYMBOLS, follow_up_label
from analytics.wording import N_, say

# Status and movement codes; their words live in the wording catalog (one per language).
STATUS_KEYS = {"not_started": N_("plan_st_not_started"), "in_progress": N_("plan_st_in_progress"),
               "done": N_("plan_st_done"), "overdue": N_("plan_st_overdue")}
STATUSES = {code: say("vi", key) for code, key in STATUS_KEYS.items()}  # the plan sheet's words
STATUS_SYMBOLS = {"not_started": "○", "in_progress": "◐", "done": "●", "overdue": "⚠"}
MOVEMENT_SYMBOLS = FOLLOW_UP_SYMBOLS  # an item's movement is its indicator's follow-up status


def status_label(code: str, lang: str = "vi") -> str:
    """"◐ Đang thực hiện" / "◐ In progress"."""
    return f"{STATUS_SYMBOLS[code]} {say(lang, STATUS_KEYS[code])}" if code in STATUS_KEYS else str(code)


def movement_label(code, lang: str = "vi") -> str | None:
    """"▲ Cải thiện" / "▲ Improved"; None for an item without a later result."""
    if not isinstance(code, str):
        return None
    return f"{MOVEMENT_SYMBOLS.get(code, '')} {follow_up_label(code, lang)}".strip()


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ITEM_COLUMNS = ["item_id", "plan_id", "item_no", "indicator_code", "indicator", "tier", "reasons",
                "baseline_value", "baseline_rank", "lead_department", "support_departments", "task",
                "deadline", "era", "province_code", "index_code", "year", "plan_number", "plan_date"]
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


# -- quarters --------------------------------------------------------------------------------
def parse_quarter(text: str) -> tuple[int, int]:
    """`"2026Q3"` (or `2026-Q3`) → (2026, 3); UserError otherwise."""
    match = _QUARTER.match(str(text))
    if not match:
        raise UserError.keyed("err_bad_quarter", hint_key=N_("hint_quarter_format"), quarter=text)
    return int(match.group(1)), int(match.group(2))


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_end(quarter: str) -> date:
    year, q = parse_quarter(quarter)
    return (pd.Timestamp(year=year, month=3 * q, day=1) + pd.offsets.MonthEnd(0)).date()


def quarter_label(quarter: str) -> str:
    """`"2026Q3"` → `"Quý III/2026"`."""
    year, q = parse_quarter(quarter)
    return f"Quý {ROMAN[q]}/{year}"


def quarters_of_plan(year: int, today: date | None = None) -> list[str]:
    """Quarters a plan on `year`'s results runs through: from Q1 of the next year to the
    current quarter (at least the first four)."""
    today = today or date.today()
    start, end = int(year) + 1, max(today.year, int(year) + 1)
    out = [f"{y}Q{q}" for y in range(start, end + 1) for q in range(1, 5)]
    current = quarter_of(today)
    return [q for q in out if q <= current] or out[:4]


# -- departments -----------------------------------------------------------------------------
def department_names(departments: pd.DataFrame) -> list[str]:
    """The departments an item may name: every lead and supporting department of the table the
    analyst keeps (the 2025 names), sorted."""
    names = set(departments["lead_department"].dropna().map(str).str.strip())
    for text in departments["support_departments"].dropna():
        names.update(weak._split_names(text))
    return sorted(n for n in names if n)


def split_departments(text) -> list[str]:
    """Names separated by `;` or new lines."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [part.strip() for part in re.split(r"[;\n]", str(text)) if part.strip()]


# -- items -----------------------------------------------------------------------------------
def items_from_worklist(flags: pd.DataFrame) -> pd.DataFrame:
    """Plan items of a worklist (a `weak.select_tier` frame): one per indicator, with its tier,
    reason codes, baseline value and rank, and departments; task and deadline left empty."""
    return pd.DataFrame({
        "indicator_code": flags["indicator_code"].astype(str),
        "indicator": flags["indicator"],
        "tier": flags["tier"] if "tier" in flags else None,
        "reasons": flags["reasons"],
        "baseline_value": pd.to_numeric(flags["value"], errors="coerce"),
        "baseline_rank": pd.to_numeric(flags["rank"], errors="coerce"),
        "lead_department": flags["lead_department"],
        "support_departments": flags["support_departments"],
        "task": None,
        "deadline": None,
    }).reset_index(drop=True)


def _status_for(item_id: int, quarter: str, statuses: pd.DataFrame) -> tuple[str | None, str | None]:
    """(status written for `quarter` or carried from an earlier "done", note of `quarter`)."""
    rows = statuses[statuses["item_id"] == item_id] if not statuses.empty else statuses
    here = rows[rows["quarter"] == quarter] if not rows.empty else rows
    if not here.empty and isinstance(here["status"].iloc[0], str):
        note = here["note"].iloc[0]
        return here["status"].iloc[0], note if isinstance(note, str) else None
    note = here["note"].iloc[0] if not here.empty and isinstance(here["note"].iloc[0], str) else None
    earlier = rows[(rows["quarter"] < quarter) & (rows["status"] == "done")] if not rows.empty else rows
    return ("done" if not earlier.empty else None), note


def item_view(items: pd.DataFrame, statuses: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Items with `status`, `status_text`, `note` and `overdue` for `quarter` (rule in the module
    docstring), overdue first, then by lead department and item number."""
    end = quarter_end(quarter)
    out = items.copy()
    found = [_status_for(int(i), quarter, statuses) for i in out["item_id"]]
    deadlines = [None if pd.isna(d) else d.date() for d in pd.to_datetime(out["deadline"], errors="coerce")]
    passed = [d is not None and d < end for d in deadlines]
    status = [s or ("overdue" if late else "not_started") for (s, _), late in zip(found, passed)]
    out["status"] = status
    out["note"] = [n for _, n in found]
    out["overdue"] = [s == "overdue" or (late and s != "done") for s, late in zip(status, passed)]
    out["status_text"] = out["status"].map(status_label)
    out["deadline"] = pd.Series(deadlines, index=out.index, dtype=object)
    return out.sort_values(["overdue", "lead_department", "item_no"], ascending=[False, True, True],
                           kind="mergesort").reset_index(drop=True)


def filter_items(view: pd.DataFrame, statuses=(), tiers=(), department: str | None = None) -> pd.DataFrame:
    """Rows with a status among `statuses` and a tier among `tiers` (no filter when empty); with
    `department`, the items it leads or supports."""
    out = view
    if statuses:
        out = out[out["status"].isin(statuses)]
    if tiers:
        out = out[out["tier"].isin(tiers)]
    if department:
        supports = out["support_departments"].map(split_departments)
        out = out[(out["lead_department"] == department) | supports.map(lambda names: department in names)]
    return out.reset_index(drop=True)


def progress_summary(view: pd.DataFrame) -> pd.DataFrame:
    """Per lead department: items, done, in progress, not started, overdue."""
    columns = ["lead_department", "n", *STATUSES]
    if view.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(view["lead_department"], view["status"]).reindex(columns=list(STATUSES), fill_value=0)
    counts.insert(0, "n", counts.sum(axis=1))
    return counts.reset_index().rename_axis(columns=None)[columns]


# -- follow-up -------------------------------------------------------------------------------
def item_movement(items: pd.DataFrame, table: pd.DataFrame, indices: pd.DataFrame,
                  provinces: pd.DataFrame) -> pd.DataFrame:
    """Each item with `later_year`, `later_value`, `change`, `movement` (a weak.follow_up
    status) and `movement_text`, against the latest year after the plan's year with data for
    the index; `movement` is None when no later results exist."""
    out = items.copy().reset_index(drop=True)
    out[["later_year", "later_value", "change", "movement", "movement_text"]] = None
    for (era, code, index_code, year), rows in out.groupby(["era", "province_code", "index_code", "year"]):
        later = table.loc[(table["index_code"] == index_code) & (table["year"] > int(year)), "year"]
        if later.empty:
            continue
        now = int(later.max())
        pid = province_ids.province_id(era, code)
        now_era = table.loc[(table["index_code"] == index_code) & (table["year"] == now), "era"].iloc[0]
        targets = province_ids.in_era(provinces, pid, now_era)
        flags = pd.DataFrame({"index": index_code, "year": int(year), "province_code": code, "province_id": pid,
                              "indicator_code": rows["indicator_code"].values, "indicator": rows["indicator"].values,
                              "value": rows["baseline_value"].values, "rank": rows["baseline_rank"].values,
                              "lead_department": rows["lead_department"].values, "reasons": rows["reasons"].values})
        follow = weak.follow_up(flags, table, now, indices=indices, province_id=targets[0] if targets else None)
        out.loc[rows.index, "later_year"] = now
        out.loc[rows.index, "later_value"] = follow["value"].values
        out.loc[rows.index, "change"] = follow["change"].values
        out.loc[rows.index, "movement"] = follow["status"].values
    out["movement_text"] = out["movement"].map(movement_label)
    return out


def movement_summary(moved: pd.DataFrame) -> pd.DataFrame:
    """Per lead department: items with later results, improved, unchanged, worse."""
    rows = moved[moved["movement"].notna()]
    columns = ["lead_department", "n", "improved", "unchanged", "worse"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(rows["lead_department"], rows["movement"]).reindex(
        columns=["improved", "unchanged", "worse"], fill_value=0)
    counts.insert(0, "n", counts.sum(axis=1))
    return counts.reset_index().rename_axis(columns=None)[columns]


def plan_number_and_date(plan: pd.Series | dict) -> tuple[str, str]:
    """("125", "15/5/2017"); dots where the number or date is not set yet."""
    number = plan.get("plan_number") if isinstance(plan.get("plan_number"), str) and plan.get("plan_number") else "…"
    when = pd.to_datetime(plan.get("plan_date"), errors="coerce")
    return number, (f"{when.day}/{when.month}/{when.year}" if not pd.isna(when) else "…/…/…")


def plan_reference(plan: pd.Series | dict) -> str:
    """"Kế hoạch số 125/KH-UBND ngày 15/5/2017" (the official reference, in Vietnamese)."""
    number, day = plan_number_and_date(plan)
    return f"Kế hoạch số {number}/KH-UBND ngày {day}"


def plan_heading(plan: pd.Series | dict, province_name: str, lang: str = "vi") -> str:
    """"(Kèm theo Kế hoạch số 125/KH-UBND ngày 15/5/2017 của Ủy ban nhân dân …)", or its English."""
    number, day = plan_number_and_date(plan)
    return say(lang, "plan_heading", number=number, date=day, province=province_name)


def related_ids(provinces: pd.DataFrame, pid: str) -> set[str]:
    """The ids whose plans belong to a province: itself, the ids of its lineage (an unchanged
    province on both maps) and, for a 2025 province, the provinces it was made of."""
    lineage = province_ids.lineage_map(provinces)
    own = lineage.get(pid, pid)
    return {pid, *province_ids.predecessors(provinces, pid), *(i for i, l in lineage.items() if l == own)}


def province_items(items: pd.DataFrame, provinces: pd.DataFrame, pid: str) -> pd.DataFrame:
    """Items (of `Store.plan_items()`) of the plans that belong to the province (`related_ids`)."""
    if items.empty:
        return items
    keys = province_ids.ids_of(items["era"], items["province_code"])
    return items[keys.isin(related_ids(provinces, pid))].reset_index(drop=True)
