"""Side-by-side rankings: one (province, figure…) block per indicator, each sorted on its own.

VCCI's PCI summary sheets (2008, 2010-2016) print every sub-index as its own ranking: a column of
province names followed by that sub-index's scores (and for the last block the total, the rank,
the tier), so a row holds ten different provinces. `unpair` turns such a sheet into one row per
province: the province, then every block's cells, taken from the row where that block names it.
Cells keep their spreadsheet address (`Sheet.origin`) for messages. The table ends at its first
blank row: what follows (a province highlighted again, its ranks per sub-index) is not data.
"""

from __future__ import annotations

from analytics.names import ProvinceFinder, as_code
from analytics.registry import ERA_2025, LEGACY
from analytics.text import fold
from analytics.workbook import Cell, Sheet

MIN_NAMES = 5          # a name column names at least this many provinces…
MIN_SHARE = 0.6        # …in this share of its filled data cells


def _province(finder: ProvinceFinder, value: object):
    if not isinstance(value, str) or as_code(value) is not None:
        return None
    return finder.find(value, LEGACY) or finder.find(value, ERA_2025)


def _name_columns(sheet: Sheet, finder: ProvinceFinder, rows: range) -> list[int]:
    found = []
    for c in range(1, sheet.width + 1):
        filled = [sheet.value(r, c) for r in rows if sheet.value(r, c) not in (None, "")]
        names = sum(1 for v in filled if _province(finder, v) is not None)
        if names >= MIN_NAMES and names >= MIN_SHARE * len(filled):
            found.append(c)
    return found


def _table_rows(sheet: Sheet, after: int) -> range:
    """From the row after the header to the first blank row after some data."""
    end, seen_data = len(sheet.rows) + 1, False
    for r in range(after + 1, len(sheet.rows) + 1):
        blank = all(c.value in (None, "") for c in sheet.rows[r - 1])
        if blank and seen_data:
            end = r
            break
        seen_data = seen_data or not blank
    return range(after + 1, end)


def unpair(sheet: Sheet, finder: ProvinceFinder, header_rows: list[int]) -> Sheet:
    """The sheet with one row per province when its blocks are side-by-side rankings, else as is."""
    last = header_rows[-1]
    rows = _table_rows(sheet, last)
    names = _name_columns(sheet, finder, rows)
    if len(names) < 2 or sheet.transposed:
        return sheet
    blocks = [(n, list(range(n + 1, (names + [sheet.width + 1])[i + 1]))) for i, n in enumerate(names)]
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    out: list[list[Cell]] = []
    for r in range(1, last + 1):  # titles and header rows, without the blocks' name columns
        out.append([Cell("Tỉnh" if r == last else None)] + [_cell(sheet, r, c) for _, cols in blocks for c in cols])
        _map(origin, len(out), r, [names[0]] + [c for _, cols in blocks for c in cols])
    by_province: dict[str, int] = {}
    for r in rows:
        for b, (n, cols) in enumerate(blocks):
            label = sheet.value(r, n)
            if label in (None, ""):
                continue
            match = _province(finder, label)
            key = match.code if match else fold(str(label))
            if key not in by_province:
                out.append([Cell(label)] + [Cell(None) for _, cs in blocks for _ in cs])
                by_province[key] = len(out)
                origin[(len(out), 1)] = (r, n)
            at = by_province[key]
            start = 1 + sum(len(cs) for _, cs in blocks[:b])
            for k, c in enumerate(cols, start=start + 1):
                out[at - 1][k - 1] = _cell(sheet, r, c)
                origin[(at, k)] = (r, c)
    return Sheet(sheet.name, out, sheet.stopped_at, sheet.transposed, origin)


def _cell(sheet: Sheet, r: int, c: int) -> Cell:
    row = sheet.rows[r - 1] if r <= len(sheet.rows) else []
    return row[c - 1] if c <= len(row) else Cell(None)


def _map(origin: dict, new_row: int, old_row: int, columns: list[int]) -> None:
    for k, c in enumerate(columns, start=1):
        origin[(new_row, k)] = (old_row, c)
