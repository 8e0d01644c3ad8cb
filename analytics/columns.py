"""Columns of a recognised sheet: which indicator each one is, and which hold the provinces.

Every column's header texts (one per header row, group headers carried right) go through
`headers.HeaderCatalog.guess`; an ambiguous short header is settled by its neighbours
(`headers.resolve_by_context`). A choice the analyst made for this file (`overrides`, by
address "Sheet!H") or remembered for this header (`mappings`) comes first. Columns of weighted
totals, intervals and variances are kept apart; level-3 indicators (chỉ tiêu) under numbered
sub-dimensions are matched among that sub-dimension's indicators only (names repeat across
sub-dimensions), and reported when none fits; STT, rank, group and note columns are ignored,
except the publisher's official rank of an index that has one (indices.csv `official_rank`),
read beside the total; anything else without a confident match is a question for the analyst.
The province column is found by its values (names in either era), else by its header; a code
column by its header ("Mã tỉnh", "tinhid").
"""

from __future__ import annotations

from analytics.headers import HeaderCatalog, core_tokens, resolve_by_context, tokens
from analytics.layout import header_of
from analytics.names import CODE_WORDS as _CODE_WORDS, as_code
from analytics.plan import IGNORE, ColumnMatch, Problem, SheetPlan
from analytics.registry import ERA_2025, LEGACY
from analytics.rows import parse_value
from analytics.text import fold
from analytics.weak_wording import phrase
from analytics.workbook import Sheet
from analytics.wording import N_

_IGNORED_WORDS = [w.split() for w in [
    "stt", "tt", "no", "so tt", "so thu tu", "xep hang", "thu hang", "hang", "rank", "ranking", "nhom", "group",
    "ghi chu", "note", "vung", "khu vuc", "region", "tang giam", "thay doi", "change", "variance", "phuong sai",
    "thang diem", "scale", "ten tinh", "tinh", "thanh pho", "province", "tentinh", "eng", "vie"]]
_PROVINCE_WORDS = [w.split() for w in ["tinh", "ten tinh", "tinh thanh pho", "ten tinh thanh pho", "province",
                                       "tentinh", "tentinh vie", "tentinh eng", "don vi", "dia phuong"]]

def _only(words: list[str], vocabulary: list[list[str]]) -> bool:
    return bool(words) and words in vocabulary


def _guess_column(texts: list[str], catalog: HeaderCatalog):
    guesses = [catalog.guess(t) for t in reversed(texts)]  # the most specific header row first
    accepted = [g for g in guesses if g.accepted]
    if accepted:
        return max(accepted, key=lambda g: g.confidence)
    special = [g for g in guesses if g.how in ("weighted", "interval")]
    return special[0] if special else max(guesses, key=lambda g: g.confidence, default=None)


def match_columns(sheet: Sheet, plan: SheetPlan, catalog: HeaderCatalog, ctx, first_data: int):
    problems, columns, guesses, ranks = [], [], {}, {}
    for c in range(1, sheet.width + 1):
        texts, own = header_of(sheet, plan.header_rows, c), header_of(sheet, plan.header_rows, c, own_only=True)
        # A province, code, rank or note column is never an indicator, whatever its neighbours say.
        label = any(_only(tokens(t), _PROVINCE_WORDS + _IGNORED_WORDS + _CODE_WORDS)
                    or _only(core_tokens(t, plan.index_code)[0], _CODE_WORDS) for t in own)  # "Mã PCI"
        ranks[c] = catalog.official_rank and any(catalog.guess(t).how == "rank" for t in own)
        guesses[c] = (texts, _guess_column(own, catalog) if own and not label and not ranks[c] else None)
    resolved = resolve_by_context({c: g for c, (_, g) in guesses.items() if g is not None}, catalog)
    numbered = any(g is not None and g.how == "number" for _, g in guesses.values())
    after_subdimension, parent = False, None
    for c, (texts, _) in guesses.items():
        guess = resolved.get(c)
        under = numbered and after_subdimension and bool(texts) and not any(catalog.is_numbered(t) for t in texts)
        if under:  # an indicator (chỉ tiêu) under a numbered sub-dimension: one of its level-3 children
            ordinary, guess = guess, catalog.child_guess(texts, parent)
            if guess is None and ordinary is not None and ordinary.how in ("weighted", "interval"):
                guess = ordinary  # a variance or interval row between the lists stays apart
            if guess is None and ordinary is not None and ordinary.accepted \
                    and catalog.levels.get(ordinary.code, 3) <= 2:
                parent = None  # an unnumbered heading (English sheets): the list is not grouped, stop
        letter = str(sheet.where(plan.header_rows[-1], c)[0]) if sheet.transposed else sheet.where(1, c)[1]
        header = " / ".join(texts)
        key = fold(header)
        below = [sheet.value(r, c) for r in range(first_data, len(sheet.rows) + 1)]
        numeric = sum(1 for value in below if _looks_numeric(value))
        filled = any(value not in (None, "") for value in below)
        chosen = ctx.overrides.get(f"{sheet.name}!{letter}") or ctx.overrides.get(letter)
        remembered = ctx.mappings.get((plan.index_code, key))
        column = ColumnMatch(sheet.name, letter, header, key, None, "unmatched", c,
                             guess.confidence if guess else 0.0, guess.candidates if guess else ())
        if ranks[c] and not chosen and numeric:  # the publisher's rank, kept beside the total
            column.how = "rank"
        elif chosen or remembered:
            pick = chosen or remembered
            column.indicator_code = None if pick == IGNORE else pick
            column.how = "ignored" if pick == IGNORE else ("manual" if chosen else "mapping")
        elif guess is not None and guess.accepted and filled:  # a header over an empty column is a title
            column.indicator_code, column.how, column.kind = guess.code, "name", guess.how
            if guess.note_phrase is not None:
                problems.append(Problem.keyed(guess.note_phrase.key, hint_key=N_("imp_hint_figures_match_indicator"),
                                              **header_cell(sheet, plan, column), severity="warning",
                                              **dict(guess.note_phrase.values)))
        elif guess is not None and guess.how in ("weighted", "interval"):
            column.how = "kept_apart"
        elif not texts or numeric == 0 or any(_only(tokens(t), _IGNORED_WORDS + _CODE_WORDS)
                                              or _only(core_tokens(t, plan.index_code)[0], _CODE_WORDS) for t in texts):
            column.how = "ignored"
        elif under:
            column.how = "indicator"
        level = catalog.levels.get(column.indicator_code)
        if level == 2:
            after_subdimension, parent = True, column.indicator_code
        elif level in (0, 1):
            parent = None  # a dimension heading closes the previous sub-dimension's list
        columns.append(column)
    restricted = _restrict_to_sub_index(sheet, plan, columns, catalog)
    if restricted:  # a component's label warning ("theo số mục, … là …") no longer applies
        set_aside = {c.column for c in columns if c.how == "component"}
        problems = [p for p in problems if p.column not in set_aside] + restricted
    problems += _column_problems(sheet, plan, columns, catalog)
    return columns, problems


_NAMED = ("name", "number", "total")


def _descendants(catalog: HeaderCatalog, code: str) -> set[str]:
    parents = dict(zip(catalog.in_year["indicator_code"], catalog.in_year["parent_code"]))
    found, grew = {code}, True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                grew = True
    return found


def _restrict_to_sub_index(sheet: Sheet, plan: SheetPlan, columns: list[ColumnMatch], catalog: HeaderCatalog):
    """A detail sheet named after one sub-index (`plan.sub_index`) supplies that sub-index (its best
    matching column, the leftmost on a tie) and the catalog's indicators under it, nothing else: its
    other columns are the component indicators (chỉ tiêu) the catalog does not carry, whatever
    other indicator or total their words resemble. A choice the analyst made still counts."""
    sub = plan.sub_index
    if sub is None:
        return []
    allowed = _descendants(catalog, sub) - {sub}
    # Its own column is named exactly or by its number ("Sub-Index 5: Informal Charges", "Chỉ số thành
    # phần 7"); a survey question sharing some of its words ("dịch vụ hỗ trợ …") is a component.
    own = [c for c in columns if c.how == "name" and c.indicator_code == sub and c.kind in _NAMED]
    keep = max(own, key=lambda c: c.confidence) if own else None
    components = []
    for column in columns:
        if column is keep or (column.how == "name" and column.indicator_code in allowed):
            continue
        if column.how in ("name", "unmatched", "indicator"):
            column.indicator_code, column.how = None, "component"
            components.append(column)
    if keep is not None:
        where = header_cell(sheet, plan, keep)
        key, values = N_("imp_detail_sheet_column"), dict(score_column=keep.column)
    else:
        where = dict(sheet=sheet.name, row=sheet.where(plan.header_rows[-1], 1)[0])
        key, values = N_("imp_detail_sheet_no_column"), {}
    rest = ""
    if components:
        letters = ", ".join(c.column for c in components[:12]) + ("…" if len(components) > 12 else "")
        rest = phrase("imp_detail_components_skipped", count=len(components), index=plan.index_code, letters=letters)
    return [Problem.keyed(key, hint_key=N_("imp_hint_others_from_summary"), **where, severity="info",
                          label=catalog.label_in_both(sub), sub=sub, rest=rest,
                          **values)]


def header_cell(sheet: Sheet, plan: SheetPlan, column: ColumnMatch) -> dict:
    """Where a column's header cell is in the spreadsheet (a turned sheet's column is a row)."""
    row, letter = sheet.where(plan.header_rows[-1], column.position)
    return dict(sheet=sheet.name, row=row, column=letter)


def _column_problems(sheet: Sheet, plan: SheetPlan, columns: list[ColumnMatch], catalog: HeaderCatalog):
    problems, seen = [], {}
    for column in columns:
        code = column.indicator_code
        if code is not None and code not in catalog.labels:
            problems.append(Problem.keyed("imp_indicator_not_in_year", hint_key=N_("imp_hint_ignore_or_check_year"),
                                          **header_cell(sheet, plan, column), header=column.header, code=code,
                                          index=plan.index_code, year=plan.year))
        if code is not None and code in seen:
            problems.append(Problem.keyed("imp_two_columns_one_indicator", hint_key=N_("imp_hint_ignore_one_column"),
                                          **header_cell(sheet, plan, column), code=code, first=seen[code],
                                          second=column.column))
        if code is not None:
            seen[code] = column.column
    apart = [c.header for c in columns if c.how == "kept_apart"]
    if apart:
        kind = phrase("imp_unweighted") if catalog.weighted_total else phrase("imp_weighted")
        headers = ", ".join(apart[:4]) + ("…" if len(apart) > 4 else "")
        problems.append(Problem.keyed("imp_columns_kept_apart", sheet=sheet.name, severity="info", count=len(apart),
                                      kind=kind, headers=headers))
    level3 = [c for c in columns if c.how == "indicator"]
    if level3:
        problems.append(Problem.keyed("imp_level3_unmatched", hint_key=N_("imp_hint_upper_levels_imported"),
                                      sheet=sheet.name, severity="info", count=len(level3), index=plan.index_code,
                                      year=plan.year))
    return problems


def _unmatched_problems(sheet: Sheet, plan: SheetPlan, catalog: HeaderCatalog) -> list[Problem]:
    problems = []
    unmatched = [c for c in plan.columns if c.how == "unmatched"]
    matched = {c.indicator_code for c in plan.columns if c.indicator_code}
    if unmatched and catalog.labels and set(catalog.labels) <= matched:
        # Every indicator of that year already has its column: the others carry figures the catalog
        # does not (PCI 2005's "traditional conditions" beside the sub-indices), never a question.
        for column in unmatched:
            column.how = "component"
        letters = ", ".join(c.column for c in unmatched[:12]) + ("…" if len(unmatched) > 12 else "")
        headers = "; ".join(f"«{c.header}»" for c in unmatched[:3]) + ("…" if len(unmatched) > 3 else "")
        return [Problem.keyed("imp_extra_columns", sheet=sheet.name,
                              row=sheet.where(plan.header_rows[-1], unmatched[0].position)[0],
                              column=unmatched[0].column, severity="info", index=plan.index_code, year=plan.year,
                              count=len(unmatched), letters=letters, headers=headers)]
    for column in unmatched:
        maybe = [f"{code} «{catalog.labels.get(code, code)}»" for code in column.candidates if code]
        options = "; ".join(maybe)
        problems.append(Problem.keyed(
            "imp_column_unmatched", hint_key=N_("imp_hint_choose_or_ignore"), **header_cell(sheet, plan, column),
            header=column.header or phrase("imp_no_header"), index=plan.index_code,
            maybe=phrase("imp_maybe", options=options) if maybe else "", letter=column.column))
    return problems


def _looks_numeric(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    if not isinstance(value, str):
        return False
    try:
        return parse_value(value) is not None
    except ValueError:
        return False


def find_province_columns(sheet: Sheet, plan: SheetPlan, ctx, first_data: int):
    """The column of province names (found by its values) and the column of GSO codes."""
    finder = ctx.finders[LEGACY]
    free = [c for c in plan.columns if c.indicator_code is None and c.how != "manual"]
    best, best_hits = None, 0
    for column in free:
        # Either era counts here, so that a 2025 file written with pre-merger names is found
        # and each such name gets its own explanation.
        hits = 2 * sum(1 for r in range(first_data, len(sheet.rows) + 1)
                       if isinstance(sheet.value(r, column.position), str)
                       and as_code(sheet.value(r, column.position)) is None
                       and (finder.find(sheet.value(r, column.position), LEGACY)
                            or finder.find(sheet.value(r, column.position), ERA_2025)))
        hits += any(_only(tokens(t), _PROVINCE_WORDS) for t in column.header.split(" / "))  # names all misspelt
        if hits > best_hits:
            best, best_hits = column, hits
    code_column = next((c for c in free if c is not best and any(_only(tokens(t), _CODE_WORDS)
                                                                 for t in c.header.split(" / "))), None)
    name_column = best if best_hits >= 1 else None
    for column in (name_column, code_column):
        if column is not None:
            column.how = "province" if column is name_column else "code"
    problems = _unmatched_problems(sheet, plan, ctx.catalog(plan.index_code, plan.year))
    if name_column is None and code_column is None:
        problems.append(Problem.keyed("imp_no_province_column", hint_key=N_("imp_hint_need_province_column"),
                                      sheet=sheet.name, row=sheet.where(plan.header_rows[-1], 1)[0]))
    return name_column, code_column, problems
