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
from analytics.workbook import Sheet

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
        return None, Problem(f"Mã tỉnh «{_cell_text(code)}» không có trong danh mục "
                             f"{'63 tỉnh' if plan.era == LEGACY else '34 tỉnh từ 2025'}.",
                             **where, hint="Kiểm tra lại mã (mã GSO)."), False
    if not (isinstance(name, str) and name.strip()):
        return by_code, None, False
    by_name = finder.find(name)
    former = finder.former(name) if by_name is None else None
    if former is not None:
        return None, Problem(f"«{_cell_text(name.strip())}»: {former.note_vi}.", **where, severity="warning",
                             hint="Dòng này được bỏ qua."), False
    if by_name is None:
        if finder.is_summary(name):
            plan.summary_rows.append(row)
            return None, None, True
        near = finder.near(name)
        if near.match is not None:
            plan.near_matches.append((name.strip(), near.match.name))
            plan.near_problems.append(Problem(f"«{_cell_text(name.strip())}» được hiểu là {near.match.name} (tên gần đúng).",
                                              **where, severity="warning",
                                              hint="Kiểm tra trong bản xem trước rồi xác nhận; sửa tên trong tệp nếu sai."))
            by_name = near.match
        elif near.candidates:
            return None, Problem(f"«{_cell_text(name)}» gần giống nhiều tỉnh: {', '.join(near.candidates)}.", **where,
                                 hint="Sửa tên cho đúng một tỉnh."), False
        else:
            return None, _unknown_province(name, plan, finder, where), False
    if by_code is not None and by_code.code != by_name.code:
        return None, Problem(f"Mã tỉnh {_cell_text(code)} là {by_code.name} nhưng tên ghi «{_cell_text(name)}» "
                             f"({by_name.name}).", **where,
                             hint="Sửa mã hoặc tên cho khớp nhau; không nhập dòng này khi hai cột mâu thuẫn."), False
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
            problems.append(Problem("Dòng có số liệu nhưng không có tên hoặc mã tỉnh.", **where,
                                    hint="Điền tên tỉnh hoặc xóa dòng."))
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
            problems.append(Problem(f"{match.name} xuất hiện hai lần (dòng {seen[match.code][0]} và dòng {row_no}).",
                                    **where, hint="Xóa dòng trùng."))
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
            problems.append(Problem("Ô có công thức nhưng chưa có giá trị tính sẵn.", **where,
                                    hint="Mở tệp bằng Excel, lưu lại rồi nhập lại."))
            continue
        try:
            percent = bool(cell and cell.is_percent) and column.indicator_code not in fractions
            value = parse_value(cell.value if cell else None, percent)
        except ValueError:
            problems.append(Problem(f"Giá trị «{_cell_text(cell.value)}» không phải số.", **where,
                                    hint="Sửa thành số (ví dụ 92,55 hoặc 88,5%) hoặc để trống."))
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
        return Problem(f"«{name}» không còn là tỉnh từ 1/7/2025 (đã hợp nhất vào {successor['name'].iloc[0]}); "
                       f"số liệu năm {plan.year} tính theo 34 tỉnh, thành phố mới.", **where,
                       hint="Dùng tên tỉnh mới, hoặc kiểm tra lại năm.")
    if other is not None:
        return Problem(f"«{name}» là tên tỉnh sau sáp nhập 2025, nhưng số liệu năm {plan.year} tính theo 63 tỉnh cũ.",
                       **where, hint="Dùng tên tỉnh trước sáp nhập, hoặc kiểm tra lại năm.")
    return Problem(f"Không nhận ra tỉnh/thành phố «{_cell_text(name)}».", **where,
                   hint="Kiểm tra chính tả; có thể dùng tên có dấu, không dấu hoặc mã tỉnh.")


def validate(frame: pd.DataFrame, plan: SheetPlan, catalog: pd.DataFrame) -> list[Problem]:
    """Scale of every value, and sub-indicators adding up to their parent where they should."""
    problems = []
    if frame.empty:
        return problems
    in_force = registry.indicators_in_year(catalog, plan.index_code, plan.year).set_index("indicator_code")
    scaled = frame.join(in_force[["scale_min", "scale_max", "name_vi", "unit"]], on="indicator_code", how="inner")
    outside = scaled[(scaled["value"] < scaled["scale_min"] - 1e-9) | (scaled["value"] > scaled["scale_max"] + 1e-9)]
    for row in outside.itertuples(index=False):
        problems.append(Problem(
            f"{row.value:g} nằm ngoài thang điểm của «{row.name_vi}» ({row.scale_min:g}–{row.scale_max:g} {row.unit}).",
            sheet=row.sheet, row=row.row, column=row.column, hint="Kiểm tra lại số liệu (dấu thập phân, đơn vị %)."))
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
            problems.append(Problem(
                f"Tổng các chỉ số thành phần của {parent} ({complete.loc[province_code, kids].sum():.4f}) "
                f"khác giá trị {parent} ({complete.loc[province_code, parent]:.4f}) quá {SUM_TOLERANCE}.",
                sheet=plan.sheet, row=int(at["row"]), column=at["column"],
                hint="Kiểm tra lại các điểm thành phần hoặc điểm tổng."))
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
