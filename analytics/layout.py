"""The shape of a sheet: which way the provinces run, where the header block and the scale row are.

- Provinces in columns (the official "Bảng chỉ tiêu cấp tỉnh": indicators in rows, one column per
  province) are recognised by counting province names along rows and along columns near the top
  left; such a sheet is turned (`Sheet.flipped`) and keeps its spreadsheet coordinates for messages.
- The header block: the first rows (at most `HEADER_SCAN_ROWS`) where at least two cells are
  recognised as indicators (`headers.HeaderCatalog`), or one in a row of several labels; contiguous
  rows make one block (a Vietnamese and an English row, a group row above an indicator row).
- A scale row ("Thang điểm": "0.25-2.5 điểm", "0%-100%") right under the header is read, not
  taken for data.
"""

from __future__ import annotations

import re

from analytics.headers import HeaderCatalog, tokens
from analytics.names import CODE_WORDS, ProvinceFinder, as_code
from analytics.workbook import Sheet

HEADER_SCAN_ROWS = 30
_NUMBER_TEXT = re.compile(r"^\s*[-+−]?\d+(?:[.,\s]\d+)*\s*%?\s*$")
_SCALE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*[-–—]\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*(?:diem|điểm|points?|%)?\s*$",
                    re.IGNORECASE)


def _is_name(finder: ProvinceFinder, value: object, eras: tuple[str, ...]) -> bool:
    return (isinstance(value, str) and as_code(value) is None
            and any(finder.find(value, era) is not None for era in eras))


def orient(sheet: Sheet, finder: ProvinceFinder, eras: tuple[str, ...]) -> Sheet:
    """The sheet with provinces running down a column (turned when they run along a row)."""
    top = sheet.rows[:HEADER_SCAN_ROWS]
    by_row = max((sum(_is_name(finder, c.value, eras) for c in row) for row in top), default=0)
    width = min(sheet.width, HEADER_SCAN_ROWS)
    by_column = max((sum(_is_name(finder, sheet.value(r, c), eras) for r in range(1, len(sheet.rows) + 1))
                     for c in range(1, width + 1)), default=0)
    if by_row == by_column == 0:  # codes only: which way do the codes run from their header?
        return _orient_by_codes(sheet, top)
    if by_row == by_column and by_row:  # one province: are its figures beside it or under it?
        r, c = next((r, c) for r, row in enumerate(top, start=1) for c, cell in enumerate(row, start=1)
                    if _is_name(finder, cell.value, eras))
        beside = sum(_is_number(sheet.value(r, k)) for k in range(c + 1, sheet.width + 1))
        under = sum(_is_number(sheet.value(k, c)) for k in range(r + 1, len(sheet.rows) + 1))
        return sheet.flipped() if under > beside else sheet
    return sheet.flipped() if by_row > by_column else sheet


def _orient_by_codes(sheet: Sheet, top) -> Sheet:
    for r, row in enumerate(top, start=1):
        for c, cell in enumerate(row, start=1):
            if isinstance(cell.value, str) and tokens(cell.value) in CODE_WORDS:
                beside = sum(as_code(sheet.value(r, k)) is not None for k in range(c + 1, sheet.width + 1))
                under = sum(as_code(sheet.value(k, c)) is not None for k in range(r + 1, len(sheet.rows) + 1))
                return sheet.flipped() if beside > under else sheet
    return sheet


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def find_header_rows(sheet: Sheet, catalog: HeaderCatalog, finder: ProvinceFinder | None = None) -> list[int]:
    counts, labels = {}, {}
    for r in range(1, min(len(sheet.rows), HEADER_SCAN_ROWS) + 1):
        # Figures stored as text ("5,379339", "88,5%") are data, never header labels.
        texts = [c.value for c in sheet.rows[r - 1]
                 if isinstance(c.value, str) and c.value.strip() and not _NUMBER_TEXT.match(c.value)]
        if finder is not None and any(_is_name(finder, t, (finder.era,)) for t in texts):
            texts = []  # a row naming a province is data ("1. Thành phố lớn" beside it is a region)
        counts[r] = sum(1 for t in texts if catalog.guess(t).accepted)
        labels[r] = len(texts)
    rows = [r for r in counts if counts[r] >= 2 or (counts[r] == 1 and labels[r] >= 2)]
    if not rows:
        return []
    block = [rows[0]]
    for r in rows[1:]:
        if r == block[-1] + 1:
            block.append(r)
    return block


def header_of(sheet: Sheet, header_rows: list[int], column: int, own_only: bool = False) -> list[str]:
    """Header texts of a column, top to bottom; an empty cell in the first header row inherits
    the group header on its left (merged cells keep their text in the first cell only), unless
    `own_only` (a group label or a title says what a block is, not what this column is)."""
    texts = []
    for r in header_rows:
        value = sheet.value(r, column)
        if value is None and r == header_rows[0] and len(header_rows) > 1 and not own_only:
            for left in range(column - 1, 0, -1):
                if sheet.value(r, left) is not None:
                    value = sheet.value(r, left)
                    break
        if value is not None and str(value).strip() and str(value).strip() not in texts:
            texts.append(str(value).strip())
    return texts


def parse_scale(text: object) -> tuple[float, float, bool] | None:
    """'0.25-2.5 điểm' → (0.25, 2.5, False); '0%-100%' → (0, 100, True)."""
    if not isinstance(text, str):
        return None
    found = _SCALE.match(text)
    if not found:
        return None
    low, high = (float(g.replace(",", ".")) for g in found.groups())
    return low, high, "%" in text


def scale_row(sheet: Sheet, after: int) -> int | None:
    """The row just under the header that holds scales ("Thang điểm"), if any."""
    row = after + 1
    if row > len(sheet.rows):
        return None
    cells = [c.value for c in sheet.rows[row - 1] if c.value not in (None, "")]
    labelled = any(tokens(v)[:2] in (["thang", "diem"], ["scale"]) for v in cells if isinstance(v, str))
    scales = sum(1 for v in cells if parse_scale(v) is not None)
    return row if labelled or (cells and scales * 2 >= len(cells)) else None
