"""From a workbook to an import plan: recognise the layout, match, parse, validate. No writes.

    sheets = read_workbook(path)                      # analytics.workbook
    plan = plan_import(sheets, reference, file_name=..., sha256=...)
    diff = preview(plan, existing, previous)          # analytics.preview
    store.apply_import(plan.scores, ...)              # analytics.store, one transaction

Each sheet on its own: the index (from words in the sheet name, title or headers, else the index
whose indicators the headers name most), the orientation (provinces in rows or in columns,
`layout.orient`), the header block (`layout.find_header_rows`), the year (the caller's, else the
sheet name or title, else the headers), then every column by meaning (`headers.HeaderCatalog`),
the province and code columns by their values and headers, and the rows (`rows.read_rows`).
Figures repeated identically on several sheets (a summary sheet and one sheet per dimension, a
transposed copy, a neighbours sheet, an English sheet beside the Vietnamese) are read once; the
same figure rounded otherwise (within half a unit of the publisher's last decimal) too, keeping
the first sheet's. A sheet whose name (or title line) names one sub-index of the catalog
("Informal Charges", "CP không chính thức") is that sub-index's detail sheet: it belongs to that
index (the workbook's, when the name fits several), its year is the file's rather than one its
survey-question headers carry, and it supplies only that sub-index and the catalog's indicators
under it (`columns._restrict_to_sub_index`). A sheet whose name names nothing and whose columns
match nothing, beside sheets that give figures, is skipped with a warning.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from analytics import registry
from analytics.columns import find_province_columns, header_cell, match_columns
from analytics.headers import HeaderCatalog, tokens
from analytics.layout import HEADER_SCAN_ROWS, find_header_rows, orient, parse_scale, scale_row
from analytics.names import ProvinceFinder, as_code
from analytics.pairs import unpair
from analytics.preview import Preview, precision, preview  # noqa: F401
from analytics.plan import (IGNORE, SCORE_COLUMNS, ColumnMatch, ImportPlan, Problem, Reference,  # noqa: F401
                            SheetPlan)
from analytics.registry import ERA_2025, LEGACY
from analytics.rows import derive_totals, parse_value, read_rows, validate  # noqa: F401
from analytics.rows import both, unit_word
from analytics.weak_wording import phrase
from analytics.workbook import Sheet
from analytics.wording import N_

FRACTION_UNIT = "tỷ lệ"  # catalog unit of shares published as 0-1 fractions
_YEAR = re.compile(r"(?<!\d)(20[0-9]{2})(?!\d)")


def detect_index(words: list[str], indices: pd.DataFrame) -> str | None:
    """The index a sheet names (indices.csv `aliases`, whole words): the longest name found wins,
    so "chỉ số hài lòng …" beats a shorter name of another index in the same title."""
    text = f" {' '.join(' '.join(tokens(w)) for w in words)} "
    found = [(len(key), code) for code, keys in registry.index_aliases(indices).items()
             for key in keys if f" {' '.join(tokens(key))} " in text]
    return max(found)[1] if found else None


def detect_year(words: list[str]) -> int | None:
    for word in words:
        found = _YEAR.search(str(word))
        if found:
            return int(found.group(1))
    return None


def _most_common_year(words: list[str]) -> int | None:
    """The year most headers name ("PCI 2006", "… (as PCI 2005)": 2006); the first on a tie."""
    years = [y for y in (detect_year([w]) for w in words) if y is not None]
    return max(years, key=years.count) if years else None


def _texts(sheet: Sheet, rows: range) -> list[str]:
    return [str(c.value) for r in rows if r <= len(sheet.rows) for c in sheet.rows[r - 1]
            if isinstance(c.value, str) and c.value.strip()]


# -- the plan ------------------------------------------------------------------------------------
def plan_import(sheets: list[Sheet], reference: Reference, *, file_name: str, sha256: str,
                index_code: str | None = None, year: int | None = None, sheet_name: str | None = None,
                mappings: dict[tuple[str, str], str] | None = None,
                column_overrides: dict[str, str] | None = None, today: date | None = None) -> ImportPlan:
    """Plan the import of a workbook's sheets.

    `mappings` are remembered choices: (index_code, header_key) → indicator code or IGNORE.
    `column_overrides`: column letter (or "Sheet!H") → indicator code or IGNORE, for this file.
    """
    today = today or date.today()
    problems: list[Problem] = []
    frames, plans = [], []
    chosen = [s for s in sheets if sheet_name is None or s.name == sheet_name]
    if sheet_name is not None and not chosen:
        problems.append(Problem.keyed("imp_no_such_sheet", hint_key=N_("imp_hint_sheets"), name=sheet_name,
                                      sheets=", ".join(s.name for s in sheets)))
    context = _Context(reference, index_code, year, mappings or {}, column_overrides or {}, today)
    context.file_year = _file_year(sheets, file_name)
    context.workbook_index = _workbook_index(chosen, reference.indices)
    unnamed: list[tuple[SheetPlan, list[Problem]]] = []
    for sheet in chosen:
        if not any(isinstance(c.value, (int, float, str)) for row in sheet.rows for c in row):
            continue  # an empty sheet is not a problem
        plan, frame, sheet_problems = _plan_sheet(sheet, context)
        plans.append(plan)
        if frame is not None and not frame.empty:
            frames.append(frame)
            problems += sheet_problems
        elif plan.sheet in context.unnamed:
            unnamed.append((plan, sheet_problems))
        else:
            problems += sheet_problems
    problems += _unnamed_sheets(unnamed, bool(frames))
    scores = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SCORE_COLUMNS)
    scores, repeat_problems = _read_once(scores)
    problems += repeat_problems
    if not plans and not problems:
        problems.append(Problem.keyed("imp_no_sheet_with_data", hint_key=N_("imp_hint_check_file")))
    elif scores.empty and not [p for p in problems if p.severity == "error"]:
        problems.append(Problem.keyed("imp_no_figures", hint_key=N_("imp_hint_need_columns")))
    return ImportPlan(file_name, sha256, plans, scores.astype({"derived": bool}), problems)


class _Context:
    def __init__(self, ref: Reference, index_code, year, mappings, overrides, today):
        self.ref, self.index_code, self.year = ref, index_code, year
        self.mappings, self.overrides, self.today = mappings, overrides, today
        self.finders = {era: ProvinceFinder(ref.provinces, era) for era in (LEGACY, ERA_2025)}
        self._catalogs: dict = {}
        self.file_year: int | None = None
        self.workbook_index: str | None = None
        self.unnamed: set[str] = set()   # sheets whose index was only guessed from their headers
        self.sub_indices: dict[str, str] = {}  # sheet → the sub-index its name names

    def catalog(self, index_code: str, year: int | None) -> HeaderCatalog:
        if (index_code, year) not in self._catalogs:
            self._catalogs[(index_code, year)] = HeaderCatalog(self.ref.catalog, index_code, year)
        return self._catalogs[(index_code, year)]


def _file_year(sheets: list[Sheet], file_name: str) -> int | None:
    """The one year the sheet names of a workbook give, else the year in its file name."""
    years = {detect_year([s.name]) for s in sheets} - {None}
    return years.pop() if len(years) == 1 else detect_year([file_name])


def _workbook_index(sheets: list[Sheet], indices: pd.DataFrame) -> str | None:
    """The index most sheets of the workbook name (sheet name or top rows), if any."""
    named = [detect_index([s.name] + _texts(s, range(1, HEADER_SCAN_ROWS + 1)), indices) for s in sheets]
    named = [code for code in named if code]
    return max(dict.fromkeys(named), key=named.count) if named else None


def named_sub_indices(text: str, catalog: HeaderCatalog) -> set[str]:
    """The level-1 indicators (sub-indices, dimensions) whose name or alias `text` spells, whole
    words: the longest name found wins ("Chi phí không chính thức" is not "Chi phí thời gian")."""
    core = tuple(catalog._core(text)[0])
    if not core:
        return set()
    found: dict[str, int] = {}
    for names in (catalog.names, catalog.other_names):
        for code, spellings in names.items():
            if catalog.levels.get(code) != 1:
                continue
            for spelling in spellings:
                n = len(spelling)
                runs = (core[i:i + n] for i in range(len(core) - n + 1))
                if sum(len(t) for t in spelling) >= 3 and spelling in runs:
                    found[code] = max(found.get(code, 0), n)
    longest = max(found.values(), default=0)
    return {code for code, n in found.items() if n == longest}


def _sub_index_by_name(sheet: Sheet, ctx: _Context, index_code: str | None) -> tuple[str, str] | None:
    """(index, sub-index) when the sheet's name names exactly one sub-index (of `index_code`
    when given; of the workbook's index when the name fits several indices, as "Transparency")."""
    codes = [index_code] if index_code else list(ctx.ref.indices["index_code"])
    hits = [(code, sub) for code in codes for sub in named_sub_indices(sheet.name, ctx.catalog(code, None))]
    if len({code for code, _ in hits}) > 1:
        hits = [hit for hit in hits if hit[0] == ctx.workbook_index]
    return hits[0] if len(hits) == 1 else None


def _choose_index(sheet: Sheet, ctx: _Context) -> str:
    top_words = [sheet.name] + _texts(sheet, range(1, HEADER_SCAN_ROWS + 1))
    by_sheet_name = ctx.index_code or detect_index([sheet.name], ctx.ref.indices)
    sub = _sub_index_by_name(sheet, ctx, by_sheet_name)
    if sub is not None:
        ctx.sub_indices[sheet.name] = sub[1]
        return sub[0]
    if not by_sheet_name:
        ctx.unnamed.add(sheet.name)
    found = by_sheet_name or detect_index(top_words, ctx.ref.indices)
    if found:
        return found

    def hits(code: str) -> int:
        catalog = ctx.catalog(code, None)
        return max((sum(1 for c in row if isinstance(c.value, str) and catalog.guess(c.value).accepted)
                    for row in sheet.rows[:HEADER_SCAN_ROWS]), default=0)
    return max(ctx.ref.indices["index_code"], key=hits)


def _plan_sheet(sheet: Sheet, ctx: _Context):
    problems: list[Problem] = []
    if sheet.stopped_at:
        problems.append(Problem.keyed("imp_stopped_at_blank_rows", hint_key=N_("imp_hint_delete_blank_rows"),
                                      sheet=sheet.name, row=sheet.stopped_at, severity="warning",
                                      blanks=sheet.stopped_at - len(sheet.rows)))
    sheet = orient(sheet, ctx.finders[LEGACY], (LEGACY, ERA_2025))
    plan = SheetPlan(sheet.name, index_code=_choose_index(sheet, ctx), transposed=sheet.transposed)
    plan.sub_index = ctx.sub_indices.get(sheet.name)
    plan.header_rows = find_header_rows(sheet, ctx.catalog(plan.index_code, None), ctx.finders[LEGACY])
    if plan.sub_index is None and plan.header_rows:
        plan.sub_index = _sub_index_by_title(sheet, plan, ctx)
    if plan.sub_index is not None:
        ctx.unnamed.discard(sheet.name)
    if not plan.header_rows and plan.sub_index is not None:
        label = ctx.catalog(plan.index_code, None).label_in_both(plan.sub_index)
        problems.append(Problem.keyed("imp_detail_sheet_without_header", hint_key=N_("imp_hint_read_from_summary"),
                                      sheet=sheet.name, severity="info", label=label, sub=plan.sub_index,
                                      index=plan.index_code))
        return plan, None, problems
    if not plan.header_rows:
        problems.append(Problem.keyed("imp_no_header_row", hint_key=N_("imp_hint_headers_are_names"), sheet=sheet.name,
                                      index=plan.index_code))
        return plan, None, problems
    sheet = unpair(sheet, ctx.finders[LEGACY], plan.header_rows)
    year_problem = _choose_year(sheet, plan, ctx)
    if year_problem is not None:
        problems.append(year_problem)
        if year_problem.severity == "error":
            return plan, None, problems
    scales_at = scale_row(sheet, plan.header_rows[-1])
    first_data = (scales_at or plan.header_rows[-1]) + 1
    catalog = ctx.catalog(plan.index_code, plan.year)
    plan.columns, column_problems = match_columns(sheet, plan, catalog, ctx, first_data)
    problems += column_problems
    name_col, code_col, province_problems = find_province_columns(sheet, plan, ctx, first_data)
    problems += province_problems
    if scales_at:
        problems += _check_scales(sheet, plan, scales_at, ctx.ref.catalog)
    if name_col is None and code_col is None:
        return plan, None, problems
    finder = ctx.finders[plan.era]
    if name_col is not None and code_col is not None and not _codes_are_gso(sheet, finder, name_col, code_col, first_data):
        problems.append(Problem.keyed("imp_codes_not_gso", hint_key=N_("imp_hint_check_preview"),
                                      **header_cell(sheet, plan, code_col), severity="warning", header=code_col.header))
        code_col.how, code_col = "ignored", None
    in_force = registry.indicators_in_year(ctx.ref.catalog, plan.index_code, plan.year)
    # Shares published as 0-1 fractions, and every chỉ tiêu (level 3): the official tables format
    # them as Excel % whatever their scale (one 0-100 share shows as "936%"); the number is the figure.
    fractions = frozenset(in_force.loc[(in_force["unit"] == FRACTION_UNIT) | (in_force["level"] >= 3), "indicator_code"])
    frame, row_problems = read_rows(sheet, plan, finder, name_col, code_col, first_data,
                                    {scales_at} if scales_at else set(), fractions)
    problems += row_problems + plan.near_problems
    problems += validate(frame, plan, ctx.ref.catalog)
    frame = derive_totals(frame, plan, ctx.ref.catalog)
    if plan.derived_totals:
        problems.append(Problem.keyed("imp_derived_totals", sheet=sheet.name, severity="info",
                                      count=len(plan.derived_totals)))
    return plan, frame, problems


def _choose_year(sheet: Sheet, plan: SheetPlan, ctx: _Context) -> Problem | None:
    title_words = [sheet.name] + _texts(sheet, range(1, plan.header_rows[0]))
    header_words = _texts(sheet, range(plan.header_rows[0], plan.header_rows[-1] + 1))
    if plan.sub_index is not None:  # a detail sheet's headers are survey questions ("Luật DN 2000", "c4_2010_new")
        found = detect_year(title_words) or ctx.file_year or _most_common_year(header_words)
    else:
        found = detect_year(title_words) or _most_common_year(header_words) or ctx.file_year
    plan.year = ctx.year or found
    if plan.year is None:
        return Problem.keyed("imp_no_year", hint_key=N_("imp_hint_give_year"), sheet=sheet.name)
    index_row = ctx.ref.indices[ctx.ref.indices["index_code"] == plan.index_code].iloc[0]
    if plan.year > ctx.today.year:
        return Problem.keyed("imp_future_year", hint_key=N_("imp_hint_check_year_everywhere"), sheet=sheet.name,
                             year=plan.year, today=ctx.today.year)
    if plan.year < int(index_row["first_year"]):
        return Problem.keyed("imp_year_before_index", hint_key=N_("imp_hint_check_year_or_index"), sheet=sheet.name,
                             index=plan.index_code, first=index_row["first_year"], year=plan.year)
    plan.era = ERA_2025 if plan.year >= int(index_row["new_provinces_from"]) else LEGACY
    if ctx.year is not None and found is not None and found != ctx.year:
        return Problem.keyed("imp_year_differs", hint_key=N_("imp_hint_check_chosen_year"), sheet=sheet.name,
                             severity="warning", found=found, year=ctx.year)
    return None


def _sub_index_by_title(sheet: Sheet, plan: SheetPlan, ctx: _Context) -> str | None:
    """The sub-index a title line above the header names ("Các chỉ tiêu cấu thành chỉ số thành phần
    Ưu đãi DNNN"): a line that is the only text of its row, naming exactly one sub-index."""
    catalog = ctx.catalog(plan.index_code, None)
    named: set[str] = set()
    for r in range(1, plan.header_rows[0]):
        texts = [str(c.value) for c in sheet.rows[r - 1] if isinstance(c.value, str) and c.value.strip()]
        if len(texts) == 1:
            named |= named_sub_indices(texts[0], catalog)
    return named.pop() if len(named) == 1 else None


def _unnamed_sheets(unnamed: list[tuple[SheetPlan, list[Problem]]], others_give_figures: bool) -> list[Problem]:
    """A sheet whose name names no index nor sub-index, whose headers match none of the catalog's
    indicators, beside sheets that give figures (VCCI's infrastructure and IT tables next to the PCI)
    holds something the catalog does not carry: it is skipped with a warning, not a question."""
    problems = []
    for plan, sheet_problems in unnamed:
        errors = [p for p in sheet_problems if p.severity == "error"]
        if not others_give_figures or not errors or any(c.indicator_code for c in plan.columns):
            problems += sheet_problems
            continue
        problems += [p for p in sheet_problems if p.severity != "error"]
        problems.append(Problem.keyed("imp_unnamed_sheet_skipped", hint_key=N_("imp_hint_import_sheet_alone"),
                                      sheet=plan.sheet, severity="warning", count=len(errors)))
    return problems


def _codes_are_gso(sheet: Sheet, finder: ProvinceFinder, name_col: ColumnMatch, code_col: ColumnMatch,
                   first_data: int) -> bool:
    """False when most rows' codes name another province than their names (another numbering)."""
    agree = disagree = 0
    for r in range(first_data, len(sheet.rows) + 1):
        by_name = finder.find(sheet.value(r, name_col.position))
        by_code = finder.find(sheet.value(r, code_col.position)) if as_code(sheet.value(r, code_col.position)) else None
        if by_name is not None and by_code is not None:
            agree, disagree = agree + (by_name.code == by_code.code), disagree + (by_name.code != by_code.code)
    return disagree * 2 <= agree + disagree or agree + disagree < 4


def _check_scales(sheet: Sheet, plan: SheetPlan, row: int, catalog: pd.DataFrame) -> list[Problem]:
    """The file's "Thang điểm" of each matched column, compared with the catalog of that year."""
    in_force = registry.indicators_in_year(catalog, plan.index_code, plan.year).set_index("indicator_code")
    problems = []
    for column in plan.columns:
        text = sheet.value(row, column.position)
        scale = parse_scale(text)
        if column.indicator_code is None or scale is None or column.indicator_code not in in_force.index:
            continue
        plan.scales[column.indicator_code] = str(text).strip()
        want = in_force.loc[column.indicator_code]
        low, high, percent = scale
        if percent and want["unit"] == FRACTION_UNIT:
            # "0%-100%" over figures published as 0-1 fractions: the catalog's 0-1 (or a range
            # widened to hold what was published) is the same scale.
            agrees = want["scale_min"] - 0.01 <= low / 100 and high / 100 <= want["scale_max"] + 0.01
        else:
            agrees = abs(high - want["scale_max"]) <= 0.01 and abs(low - want["scale_min"]) <= 0.01
        if not agrees:
            r, letter = sheet.where(row, column.position)
            problems.append(Problem.keyed("imp_scale_differs", hint_key=N_("imp_hint_catalog_scale"), sheet=sheet.name,
                                          row=r, column=letter, severity="warning", text=text,
                                          low=f"{want['scale_min']:g}", high=f"{want['scale_max']:g}",
                                          unit=unit_word(want["unit"]), indicator=both(want["name_vi"], want.get("name_en"))))
    return problems


def _read_once(scores: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Figures given identically on several sheets are kept once. A sheet whose figures differ
    from an earlier sheet's almost everywhere (≥ 90 %) holds another data set (another year's
    sheet left in the file): it is set aside with a warning naming both. Other differences are an
    error naming both places."""
    keys = ["index_code", "year", "province_code", "indicator_code"]
    if scores.empty:
        return scores, []
    scores = scores.sort_values("derived", kind="stable", ignore_index=True)  # a given total before a derived one
    repeated = scores.duplicated(keys, keep="first")
    first = scores[~repeated].set_index(keys)
    pairs: dict[tuple[str, str], list] = {}
    decimals = precision()
    for row in scores[repeated].itertuples(index=False):
        original = first.loc[(row.index_code, row.year, row.province_code, row.indicator_code)]
        gap = abs(original["value"] - row.value)
        # The same figure rounded otherwise (a detail sheet printing 7.038586 for the summary's 7.038587)
        # is a repeat, not a conflict: within half a unit of the publisher's last decimal.
        same = 0.5 * 10.0 ** -decimals.get(row.index_code, 2) + 1e-12
        differs = gap >= same and not (row.derived or original["derived"])
        rounded = 1e-9 < gap < same
        pairs.setdefault((row.sheet, original["sheet"]), []).append((differs, rounded, row, original))
    problems, set_aside = [], set()
    for (copy, source), found in pairs.items():
        conflicts = [(row, original) for differs, _, row, original in found if differs]
        if len(conflicts) >= 0.9 * len(found) and len(found) >= 10:
            set_aside.add(copy)
            row, original = conflicts[0]
            problems.append(Problem.keyed("imp_sheet_set_aside", hint_key=N_("imp_hint_check_sheet"),
                                          sheet=copy, row=int(row.row), column=row.column, severity="warning",
                                          copy=copy, source=source, conflicts=len(conflicts), found=len(found),
                                          indicator=row.indicator_code, year=row.year, value=f"{row.value:g}",
                                          at_row=row.row, at_column=row.column, original=f"{original['value']:g}",
                                          source_row=original["row"], source_column=original["column"]))
            continue
        problems += [Problem.keyed(
            "imp_two_values", hint_key=N_("imp_hint_one_sheet_or_fix"), sheet=row.sheet, row=int(row.row),
            column=row.column, indicator=row.indicator_code, year=row.year, original=f"{original['value']:g}",
            source=original["sheet"], source_row=original["row"], source_column=original["column"],
            value=f"{row.value:g}", copy=row.sheet, at_row=row.row, at_column=row.column) for row, original in conflicts]
        if len(found) > len(conflicts):
            rounded = [(row, original) for _, r, row, original in found if r]
            note = ""
            if rounded:
                row, original = rounded[0]
                value, kept = f"{row.value:g}", f"{original['value']:g}"
                note = phrase("imp_rounded_otherwise", count=len(rounded), at_row=row.row, at_column=row.column,
                              value=value, original=kept, source=source)
            problems.append(Problem.keyed("imp_sheet_repeats", sheet=copy, severity="info", copy=copy, source=source,
                                          count=len(found) - len(conflicts), note=note))
    kept = scores[~scores["sheet"].isin(set_aside)]
    kept = kept[~kept.duplicated(keys, keep="first")]
    return kept.sort_values(["sheet", "row"], kind="stable", ignore_index=True), problems
