"""Reading spreadsheets as analysts receive them, safely.

`read_workbook(path)` returns each sheet as a grid of cell values (1-based row numbers and
column letters are kept for error messages). It reads `.xlsx` (openpyxl, cached values of
formula cells) and old `.xls` (xlrd), and refuses quickly — before loading anything large —
a file that is not a workbook, is too big, decompresses to too much (a zip bomb), or has too many
rows or cells. Limits are in `ReadLimits` and can be changed by the caller.
"""

from __future__ import annotations

import io
import os
import stat
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.xml import DEFUSEDXML

from analytics.errors import UserError
from analytics.wording import N_
from analytics.isolation import run_isolated

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 20 * 1024 * 1024      # the upload limit, 20 MB by default
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 200.0          # real workbooks compress ~5-20x
    max_rows_per_sheet: int = 5000               # 63 provinces need a few dozen rows
    max_empty_rows_in_a_row: int = 500            # stop reading a sheet after this many blanks
    max_columns: int = 200
    max_cells: int = 2_000_000
    max_seconds: float = 30.0
    isolate: bool = True                          # parse in a child process killed after max_seconds


@dataclass
class Cell:
    value: object
    is_percent: bool = False          # Excel "%" format: 0.885 displays as 88,5 %
    formula_without_value: bool = False


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]] = field(default_factory=list)   # rows[0] is spreadsheet row 1
    stopped_at: int | None = None  # reading stopped here after too many blank rows in a row
    transposed: bool = False       # rows here are the spreadsheet's columns (provinces in columns)
    origin: dict | None = None     # (row, column) here → (row, column) in the spreadsheet (`pairs.unpair`)

    def value(self, row: int, column: int) -> object:
        """Value at 1-based row and column, None outside the grid."""
        if 1 <= row <= len(self.rows) and 1 <= column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1].value
        return None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def where(self, row: int, column: int) -> tuple[int, str]:
        """The spreadsheet row number and column letter of a cell of this grid."""
        if self.origin and (row, column) in self.origin:
            row, column = self.origin[(row, column)]
        if self.transposed:
            return column, column_letter(row)
        return row, column_letter(column)

    def flipped(self) -> "Sheet":
        """The same cells with rows and columns swapped (provinces in columns → in rows)."""
        width = self.width
        rows = [[r[c] if c < len(r) else Cell(None) for r in self.rows] for c in range(width)]
        return Sheet(self.name, rows, self.stopped_at, not self.transposed)


def column_letter(column: int) -> str:
    return get_column_letter(column)


def check_file(path: Path, limits: ReadLimits) -> bytes:
    """Kind and size, before anything is hashed or parsed; returns the first bytes.

    Folders, pipes, devices and sockets are refused at once (nothing is read from them)."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise UserError.keyed("err_file_unopenable", hint_key=N_("hint_check_path_and_permission")) from error
    if stat.S_ISDIR(info.st_mode):
        raise UserError.keyed("err_file_is_folder", hint_key=N_("hint_choose_xlsx_or_xls"))
    if not stat.S_ISREG(info.st_mode):
        raise UserError.keyed("err_file_not_regular", hint_key=N_("hint_save_as_xlsx_file"))
    if info.st_size == 0:
        raise UserError.keyed("err_file_empty", hint_key=N_("hint_choose_file_with_data"))
    if info.st_size > limits.max_file_bytes:
        raise UserError.keyed("err_file_too_large", hint_key=N_("hint_remove_sheets_or_raise_limit"),
                              size=f"{info.st_size / 1e6:.1f}", limit=f"{limits.max_file_bytes / 1e6:.0f}")
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        head = os.read(descriptor, 4096)
    finally:
        os.close(descriptor)
    return head


def _check_zip(path: Path, limits: ReadLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except Exception as error:  # noqa: BLE001 — BadZipFile, NotImplementedError ("zip file version"), …
        raise UserError.keyed("err_xlsx_zip_damaged", hint_key=N_("hint_resave_in_excel")) from error
    if "xl/workbook.xml" not in names:
        raise UserError.keyed("err_zip_not_xlsx", hint_key=N_("hint_choose_xlsx_or_xls_file"))
    total = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if total > limits.max_uncompressed_bytes or total / packed > limits.max_compression_ratio:
        raise UserError.keyed("err_zip_bomb", hint_key=N_("hint_copy_table_to_new_file"),
                              unpacked=f"{total / 1e6:.0f}", packed=f"{packed / 1e6:.1f}")


def _is_encrypted(path: Path) -> bool:
    """An OLE container holding an encrypted Office package (or an encrypted .xls)."""
    with open(path, "rb") as handle:
        data = handle.read(1 << 20)
    return any(name.encode("utf-16-le") in data for name in ("EncryptionInfo", "EncryptedPackage"))


ENCRYPTED = UserError.keyed("err_file_encrypted", hint_key=N_("hint_remove_password"))


def read_workbook(path: Path | str, limits: ReadLimits = ReadLimits()) -> list[Sheet]:
    """Every sheet's cells. Raises UserError for anything that is not a readable workbook.

    The kind is read from the content, not the extension; parsing runs in a separate process
    with a hard time limit (`limits.max_seconds`) so that no file can hang or crash the app."""
    path = Path(path)
    head = check_file(path, limits)
    if head.startswith(XLSX_MAGIC):
        _check_zip(path, limits)
        return run_isolated(_read_xlsx, path, limits)
    if head.startswith(XLS_MAGIC):
        if _is_encrypted(path):
            raise ENCRYPTED
        return run_isolated(_read_xls, path, limits)
    raise UserError.keyed("err_not_a_workbook", hint_key=N_("hint_csv_or_pdf"))


class _Budget:
    """Counts cells and time across sheets; raises when a limit is passed."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.cells = 0
        self.started = time.monotonic()

    def spend(self, cells: int, sheet: str, row: int) -> None:
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise UserError.keyed("err_too_many_cells", hint_key=N_("hint_keep_only_table"), sheet=sheet, row=row,
                                  cells=f"{self.limits.max_cells:,}")
        if time.monotonic() - self.started > self.limits.max_seconds:
            raise UserError.keyed("err_read_too_slow", hint_key=N_("hint_too_complex"), sheet=sheet, row=row,
                                  seconds=f"{self.limits.max_seconds:.0f}")


def _append_row(sheet: Sheet, cells: list[Cell], budget: _Budget, blanks: int) -> int:
    """Add a row; returns the new count of consecutive blank rows."""
    limits = budget.limits
    while cells and cells[-1].value is None and not cells[-1].formula_without_value:
        cells.pop()  # read-only mode pads rows to the sheet's declared width
    row_number = len(sheet.rows) + 1
    if row_number > limits.max_rows_per_sheet:
        raise UserError.keyed("err_too_many_rows", hint_key=N_("hint_delete_trailing_rows"), sheet=sheet.name,
                              row=row_number, rows=f"{limits.max_rows_per_sheet:,}")
    if len(cells) > limits.max_columns:
        cells = cells[:limits.max_columns]
    budget.spend(len(cells), sheet.name, row_number)
    sheet.rows.append(cells)
    blank = all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells)
    return blanks + 1 if blank else 0


def _trim(sheet: Sheet) -> Sheet:
    while sheet.rows and all(c.value is None for c in sheet.rows[-1]):
        sheet.rows.pop()
    return sheet


def _read_xlsx(path: Path, limits: ReadLimits) -> list[Sheet]:
    import openpyxl

    if not DEFUSEDXML:  # openpyxl parses every XML part with defusedxml when it is installed
        raise UserError.keyed("err_no_defusedxml", hint_key=N_("hint_reinstall"))
    try:
        content = path.read_bytes()  # a file object: read by content, whatever the extension says
        values = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise UserError.keyed("err_xlsx_damaged", hint_key=N_("hint_resave_in_excel")) from error
    budget = _Budget(limits)
    sheets: list[Sheet] = []
    try:
        _read_xlsx_sheets(values, formulas, budget, sheets)
    except UserError:
        raise
    except Exception as error:  # a damaged part: bad CRC, malformed XML, a broken shared string…
        where = sheets[-1].name if sheets else None
        raise UserError.keyed("err_xlsx_damaged_here", hint_key=N_("hint_resave_in_excel"), sheet=where) from error
    finally:
        values.close()
        formulas.close()
    return sheets


def _read_xlsx_sheets(values, formulas, budget: _Budget, sheets: list[Sheet]) -> None:
    limits = budget.limits
    for ws_values, ws_formulas in zip(values.worksheets, formulas.worksheets):
        sheet = Sheet(ws_values.title)
        sheets.append(sheet)
        blanks = 0
        # The declared <dimension> can be wrong (too small hides rows; files written by some
        # programs omit it): read what is there, bounded by our own limits instead.
        ws_values.reset_dimensions()
        ws_formulas.reset_dimensions()
        rows = zip(ws_values.iter_rows(max_col=limits.max_columns),
                   ws_formulas.iter_rows(max_col=limits.max_columns, values_only=True))
        for value_row, formula_row in rows:
            cells = []
            for cell, raw in zip(value_row, formula_row):
                value = getattr(cell, "value", None)
                fmt = getattr(cell, "number_format", "") or ""
                pending = value is None and isinstance(raw, str) and raw.startswith("=")
                cells.append(Cell(value, "%" in fmt and isinstance(value, (int, float)), pending))
            blanks = _append_row(sheet, cells, budget, blanks)
            if blanks >= limits.max_empty_rows_in_a_row:
                sheet.stopped_at = len(sheet.rows)
                break
        _trim(sheet)


def _read_xls(path: Path, limits: ReadLimits) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as error:
        if "encrypt" in str(error).lower():
            raise ENCRYPTED from error
        raise UserError.keyed("err_xls_damaged", hint_key=N_("hint_resave_xls_as_xlsx")) from error
    budget = _Budget(limits)
    sheets: list[Sheet] = []
    try:
        _read_xls_sheets(book, budget, sheets)
    except UserError:
        raise
    except Exception as error:  # a corrupt record
        raise UserError.keyed("err_xls_damaged_here", hint_key=N_("hint_resave_xls_as_xlsx"),
                              sheet=sheets[-1].name if sheets else None) from error
    finally:
        book.release_resources()
    return sheets


def _read_xls_sheets(book, budget: _Budget, sheets: list[Sheet]) -> None:
    import xlrd

    limits = budget.limits
    for index in range(book.nsheets):
        ws = book.sheet_by_index(index)
        sheet = Sheet(ws.name)
        sheets.append(sheet)
        blanks = 0
        for r in range(ws.nrows):
            cells = []
            for c in range(min(ws.ncols, limits.max_columns)):
                kind, value = ws.cell_type(r, c), ws.cell_value(r, c)
                if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                elif kind == xlrd.XL_CELL_ERROR:
                    value = None
                cells.append(Cell(value))
            blanks = _append_row(sheet, cells, budget, blanks)
            if blanks >= limits.max_empty_rows_in_a_row:
                sheet.stopped_at = len(sheet.rows)
                break
        _trim(sheet)
        book.unload_sheet(index)
