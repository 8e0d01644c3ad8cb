"""Data rows of a recognised sheet: which province, which figures, and the checks on them.

- A row's province comes from its name (exact, then a near match reported as a warning) and/or
  its GSO code; a code and a name that disagree are an error naming both, never a silent choice.
- Summary rows and note lines are skipped by family (`names.ProvinceFinder`); blank rows are
  skipped; a province row with no figure (or only zeros, as PAPI 2014 writes) has no data.
- Values: numbers, numbers as text, decimal commas, percent strings, Excel percent formats;
  "-", "n/a", "KCDL" (fewer than 15 answers) and blanks are missing; NaN, infinities and text
  are refused where a number is expected, with sheet, row and column.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from analytics import registry
from analytics.names import ProvinceFinder, as_code
from analytics.plan import SCORE_COLUMNS, Problem, SheetPlan
from analytics.registry import ERA_2025, LEGACY
from analytics.text import fold
from analytics.weak_wording import ByLanguage, phrase
from analytics.wording import N_
from analytics.workbook import Sheet

# Catalog units as words of a sentence in either language ("%" and "km" are the same in both).
UNIT_KEYS = {"điểm": N_("unit_points"), "tỷ lệ": N_("unit_share"), "nghìn đồng": N_("unit_thousand_dong"),
             "phút": N_("unit_minutes")}
SUM_TOLERANCE = 0.01  # points: published sub-scores are rounded, so sums may differ slightly
_MISSING = {fold(x) for x in ["", "-", "—", "–", "n/a", "na", "x", "..", "...", "#N/A", "không có dữ liệu",
                              "kcd", "kcdl", "không khảo sát", "chưa có", "no data", "null", "none"]}


def parse_value(raw: object, is_percent: bool = False) -> float | None:
    """A cell as a number: None when missing; raises ValueError for text, NaN and infinities."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(str(raw))
    if isinstance(raw, (int, float)):
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(str(raw))
        return value * 100 if is_percent else value
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if len(text) > 40:
        raise ValueError(text[:40])
    if fold(text) in _MISSING:
        return None
    text = text.rstrip("%")  # "88,5%" is 88.5: scores in % are stored as percent numbers
    if "," in text and "." in text:  # the last mark is the decimal one: 1.234,5 or 1,234.5
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    else:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(str(raw))
    return float(text)


def _cell_text(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _province_of(row: int, name, code, finder: ProvinceFinder, plan: SheetPlan, where: dict):
    """(match, problem, skip) for a row's labels."""
    by_code = finder.find(code) if as_code(code) is not None else None
    if by_code is None and isinstance(code, str) and not (isinstance(name, str) and name.strip()):
        if finder.is_summary(code):  # a summary label written in the code column
            plan.summary_rows.append(row)
            return None, None, True
    if code not in (None, "") and by_code is None and not (isinstance(name, str) and name.strip()):
        key = N_("imp_unknown_code_legacy") if plan.era == LEGACY else N_("imp_unknown_code_2025")
        return None, Problem.keyed(key, hint_key=N_("imp_hint_check_code"), code=_cell_text(code), **where), False
    if not (isinstance(name, str) and name.strip()):
        return by_code, None, False
    by_name = finder.find(name)
    former = finder.former(name) if by_name is None else None
    if former is not None:
        return None, Problem.keyed("imp_former_province", hint_key=N_("imp_hint_row_skipped"),
                                   name=_cell_text(name.strip()), note=both(former.note_vi, former.note_en),
                                   severity="warning", **where), False
    if by_name is None:
        if finder.is_summary(name):
            plan.summary_rows.append(row)
            return None, None, True
        near = finder.near(name)
        if near.match is not None:
            plan.near_matches.append((name.strip(), near.match.name))
            plan.near_problems.append(Problem.keyed("imp_near_name", hint_key=N_("imp_hint_check_near_name"),
                                                    name=_cell_text(name.strip()), province=near.match.name,
                                                    severity="warning", **where))
            by_name = near.match
        elif near.candidates:
            return None, Problem.keyed("imp_ambiguous_name", hint_key=N_("imp_hint_one_province"), name=_cell_text(name),
                                       candidates=", ".join(near.candidates), **where), False
        else:
            return None, _unknown_province(name, plan, finder, where), False
    if by_code is not None and by_code.code != by_name.code:
        return None, Problem.keyed("imp_code_name_disagree", hint_key=N_("imp_hint_code_name_agree"),
                                   code=_cell_text(code), by_code=by_code.name, name=_cell_text(name),
                                   by_name=by_name.name, **where), False
    return by_name, None, False


def read_rows(sheet: Sheet, plan: SheetPlan, finder: ProvinceFinder, name_col, code_col, first_data: int,
              skip_rows: set[int], fractions: frozenset[str] = frozenset()):
    """The score rows of a sheet and the problems found on the way. `fractions`: indicators
    published as 0-1 shares, whose cells keep their number even when Excel shows them as %."""
    indicator_columns = [c for c in plan.columns if c.indicator_code and c.how in ("name", "mapping", "manual")]
    rank_column = next((c for c in plan.columns if c.how == "rank"), None)
    problems, records, seen = [], [], {}
    started = False  # a province row was read: lines above it may still be header lines
    for r in range(first_data, len(sheet.rows) + 1):
        if r in skip_rows:
            continue
        name = sheet.value(r, name_col.position) if name_col else None
        code = sheet.value(r, code_col.position) if code_col else None
        cells = [(c, sheet.rows[r - 1][c.position - 1] if c.position <= len(sheet.rows[r - 1]) else None)
                 for c in indicator_columns]
        filled = [cell for _, cell in cells if cell is not None and cell.value not in (None, "")]
        if name in (None, "") and code in (None, "") and not filled:
            continue  # blank line
        label_col = (name_col or code_col).position
        row_no, letter = sheet.where(r, label_col)
        where = dict(sheet=sheet.name, row=row_no, column=letter)
        label = name if name not in (None, "") else code
        if not filled and finder.is_note(label, False) and finder.find(label) is None:
            plan.note_rows.append(row_no)
            continue
        match, problem, skip = _province_of(row_no, name, code, finder, plan, where)
        if skip:
            continue
        if match is None and not started and _only_labels(filled):
            plan.note_rows.append(row_no)  # a further header line: variable names ("sub1_entry"), sources
            continue
        started = started or match is not None
        if problem is not None:
            problems.append(problem)
            continue
        if match is None and any(finder.is_summary(c.value) for c in sheet.rows[r - 1] if isinstance(c.value, str)):
            plan.summary_rows.append(row_no)  # "Min", "Trung vị" written in another column than the names
            continue
        if match is None:
            problems.append(Problem.keyed("imp_row_without_province", hint_key=N_("imp_hint_fill_province"), **where))
            continue
        values, cell_problems = _values(sheet, r, cells, fractions)
        problems += cell_problems
        present = [(c, v, loc) for c, v, loc in values if v is not None]
        if not present or all(v == 0 for _, v, _ in present):
            if not cell_problems:
                plan.provinces_without_data.append(match.name)
            continue
        figures = {c.indicator_code: v for c, v, _ in present}
        if match.code in seen:
            if seen[match.code][1] == figures:  # a province highlighted again under the table
                continue
            problems.append(Problem.keyed("imp_province_twice", hint_key=N_("imp_hint_delete_duplicate"),
                                          province=match.name, first=seen[match.code][0], second=row_no, **where))
            continue
        seen[match.code] = (row_no, figures)
        rank = _rank(sheet, r, rank_column)
        records += [(plan.index_code, plan.year, plan.era, match.code, c.indicator_code, v, sheet.name, loc[0],
                     loc[1], False, rank if c.indicator_code == "TOTAL" else None) for c, v, loc in present]
    return pd.DataFrame(records, columns=SCORE_COLUMNS), problems


def _only_labels(cells) -> bool:
    """Every filled cell is text that is no number (nor a missing-value mark): labels, not figures."""
    def label(value) -> bool:
        if not isinstance(value, str) or fold(value.strip()) in _MISSING:
            return False
        try:
            parse_value(value)
        except ValueError:
            return True
        return False
    return all(label(cell.value) for cell in cells)


def _rank(sheet: Sheet, r: int, column) -> float | None:
    """The publisher's rank on this row (a whole number from 1), else None."""
    if column is None:
        return None
    try:
        value = parse_value(sheet.value(r, column.position))
    except ValueError:
        return None
    return value if value is not None and value >= 1 and float(value).is_integer() else None


def _values(sheet: Sheet, r: int, cells, fractions: frozenset[str] = frozenset()):
    values, problems = [], []
    for column, cell in cells:
        loc = sheet.where(r, column.position)
        where = dict(sheet=sheet.name, row=loc[0], column=loc[1])
        if cell is not None and cell.formula_without_value:
            problems.append(Problem.keyed("imp_formula_without_value", hint_key=N_("imp_hint_resave_file"), **where))
            continue
        try:
            percent = bool(cell and cell.is_percent) and column.indicator_code not in fractions
            value = parse_value(cell.value if cell else None, percent)
        except ValueError:
            problems.append(Problem.keyed("imp_not_a_number", hint_key=N_("imp_hint_number_or_blank"),
                                          value=_cell_text(cell.value), **where))
            continue
        values.append((column, value, loc))
    return values, problems


def _unknown_province(name, plan: SheetPlan, finder: ProvinceFinder, where) -> Problem:
    other_era = LEGACY if plan.era == ERA_2025 else ERA_2025
    other = finder.find(name, other_era)
    provinces = finder.provinces
    if other is not None and plan.era == ERA_2025:
        row = provinces[(provinces["era"] == LEGACY) & (provinces["code"] == other.code)]
        successor = provinces[(provinces["era"] == ERA_2025) & (provinces["code"] == row["successor_code"].iloc[0])]
        return Problem.keyed("imp_merged_province", hint_key=N_("imp_hint_new_name_or_year"), name=name,
                             successor=successor["name"].iloc[0], year=plan.year, **where)
    if other is not None:
        return Problem.keyed("imp_new_province_old_year", hint_key=N_("imp_hint_old_name_or_year"), name=name,
                             year=plan.year, **where)
    return Problem.keyed("imp_unknown_province", hint_key=N_("imp_hint_province_spelling"), name=_cell_text(name),
                         **where)


def both(vi: str, en) -> ByLanguage:
    """A data text in its two languages (the Vietnamese one where the English is missing)."""
    return ByLanguage(vi, en if isinstance(en, str) and en.strip() else vi)


def unit_word(unit: str):
    """A catalog unit as a word of a sentence in either language."""
    return phrase(UNIT_KEYS[unit]) if unit in UNIT_KEYS else unit


def validate(frame: pd.DataFrame, plan: SheetPlan, catalog: pd.DataFrame) -> list[Problem]:
    """Scale of every value, and sub-indicators adding up to their parent where they should."""
    problems = []
    if frame.empty:
        return problems
    in_force = registry.indicators_in_year(catalog, plan.index_code, plan.year).set_index("indicator_code")
    scaled = frame.join(in_force[["scale_min", "scale_max", "name_vi", "name_en", "unit"]], on="indicator_code",
                        how="inner")
    outside = scaled[(scaled["value"] < scaled["scale_min"] - 1e-9) | (scaled["value"] > scaled["scale_max"] + 1e-9)]
    for row in outside.itertuples(index=False):
        problems.append(Problem.keyed(
            "imp_outside_scale", hint_key=N_("imp_hint_check_figure"), sheet=row.sheet, row=row.row, column=row.column,
            value=f"{row.value:g}", indicator=both(row.name_vi, row.name_en),
            low=f"{row.scale_min:g}", high=f"{row.scale_max:g}", unit=unit_word(row.unit)))
    wide = frame.pivot_table(index="province_code", columns="indicator_code", values="value")
    children = in_force[in_force["sums_to_parent"] & (in_force["parent_code"] != "")]
    for parent, group in children.groupby("parent_code"):
        kids = [k for k in group.index if k in wide.columns]
        if parent not in wide.columns or len(kids) != len(group):
            continue  # only check a parent whose every child is in the file
        complete = wide.dropna(subset=kids + [parent])
        gaps = (complete[kids].sum(axis=1) - complete[parent]).abs()
        for province_code, gap in gaps[gaps > SUM_TOLERANCE].items():
            at = frame[(frame["province_code"] == province_code) & (frame["indicator_code"] == parent)].iloc[0]
            problems.append(Problem.keyed(
                "imp_sum_differs", hint_key=N_("imp_hint_check_sub_scores"), sheet=plan.sheet, row=int(at["row"]),
                column=at["column"], parent=parent, total=f"{complete.loc[province_code, kids].sum():.4f}",
                value=f"{complete.loc[province_code, parent]:.4f}", tolerance=SUM_TOLERANCE))
    return problems


def derive_totals(frame: pd.DataFrame, plan: SheetPlan, catalog: pd.DataFrame) -> pd.DataFrame:
    """Add the TOTAL (marked `derived`) of provinces that have every dimension but no total,
    where the catalog says the dimensions sum to it."""
    if frame.empty:
        return frame
    in_force = registry.indicators_in_year(catalog, plan.index_code, plan.year)
    if "TOTAL" not in set(in_force["indicator_code"]):
        return frame
    parts = list(in_force[(in_force["parent_code"] == "TOTAL") & in_force["sums_to_parent"]]["indicator_code"])
    if not parts or not set(parts) <= set(frame["indicator_code"]):
        return frame
    wide = frame.pivot_table(index="province_code", columns="indicator_code", values="value")
    has_total = wide["TOTAL"].notna() if "TOTAL" in wide.columns else pd.Series(False, index=wide.index)
    complete = wide[parts].notna().all(axis=1) & ~has_total
    added = []
    for province_code in wide.index[complete]:
        first = frame[frame["province_code"] == province_code].iloc[0]
        added.append({**first.to_dict(), "indicator_code": "TOTAL", "value": float(wide.loc[province_code, parts].sum()),
                      "column": "", "derived": True, "official_rank": None})
        plan.derived_totals.append(province_code)
    return pd.concat([frame, pd.DataFrame(added, columns=frame.columns)], ignore_index=True) if added else frame
