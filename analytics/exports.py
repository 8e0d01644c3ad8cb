"""Safe exports: no cell of a CSV or workbook the product writes starts a formula from data.

The one rule (OWASP "CSV injection"): a *text* cell that begins with `=`, `+`, `-`, `@`, a tab or
a carriage return gets a leading apostrophe, so a spreadsheet shows it as text instead of running
it. Numbers are never touched (a negative score stays the number -1.5), and neither are texts
that only contain those characters later on. In an .xlsx, a text is written as a string cell
(openpyxl data type "s", so it can never be a formula) and keeps its exact text; `is_formula_like`
tells the workbook writer to add Excel's quote prefix so editing the cell keeps it text.

`safe_cell` is the only definition; `safe_frame` applies it to every text cell of a table and
`csv_text` / `csv_bytes` write a table through it (the download buttons and the command line).

Two CSV flavours, both documented in README ("CSV files"):
- for machines (`csv_bytes`, the command line): UTF-8 without BOM, `,` between fields, `.` as
  the decimal mark, numbers rounded to the source's precision (`decimals`; 4 when not given) so
  no 16-digit float noise, an empty field for a missing value, CRLF line ends, a header row;
- for Vietnamese Excel (`excel_csv_bytes`): the same table, UTF-8 with a BOM (Excel reads the
  Vietnamese letters), `;` between fields and `,` as the decimal mark (what Excel expects in a
  Vietnamese locale, where `,` is the decimal mark).
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """True for a text that a spreadsheet would read as the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value):
    """`value` with a leading apostrophe when it is a text that starts a formula; else unchanged."""
    if is_formula_like(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot start a formula.

    Only object and string columns are looked at; numeric columns are returned as they are.
    """
    out = frame.copy()
    out.columns = [safe_cell(str(column)) if isinstance(column, str) else column for column in out.columns]
    for position, dtype in enumerate(out.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            column = out.iloc[:, position]
            out.iloc[:, position] = column.map(safe_cell, na_action="ignore")
    return out


DEFAULT_DECIMALS = 4
MACHINE_CSV = {"sep": ",", "decimal": ".", "encoding": "utf-8"}
EXCEL_VI_CSV = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}


def rounded(frame: pd.DataFrame, decimals: int | dict | None = None) -> pd.DataFrame:
    """A copy whose float columns are rounded (`decimals`: one number or per column; columns not
    named keep `DEFAULT_DECIMALS`). A float column holding only whole numbers becomes integers."""
    columns = []
    for position in range(frame.shape[1]):  # by position: a table may repeat a column name
        column = frame.iloc[:, position]
        if pd.api.types.is_float_dtype(column.dtype):
            name = frame.columns[position]
            places = (decimals.get(name, DEFAULT_DECIMALS) if isinstance(decimals, dict)
                      else DEFAULT_DECIMALS if decimals is None else decimals)
            column = column.round(places)
            present = column.dropna()
            if not present.empty and (present == present.round(0)).all() and present.abs().max() < 2**53:
                column = column.astype("Int64")
        columns.append(column.reset_index(drop=True))
    if not columns:
        return frame.copy()
    out = pd.concat(columns, axis=1, ignore_index=True)
    out.columns = frame.columns
    return out


def csv_text(frame: pd.DataFrame, decimals: int | dict | None = None, **options) -> str:
    """`frame` as CSV text with every text cell made safe and numbers rounded: no index, RFC 4180
    line ends (CRLF, so that a text holding a carriage return is quoted and stays one cell)."""
    buffer = io.StringIO()
    safe_frame(rounded(frame, decimals)).to_csv(buffer, index=False, lineterminator="\r\n", **options)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame, decimals: int | dict | None = None) -> bytes:
    """The CSV for machines (module docstring): UTF-8, `,` separator, `.` decimal mark."""
    return csv_text(frame, decimals, sep=MACHINE_CSV["sep"], decimal=MACHINE_CSV["decimal"]).encode("utf-8")


def excel_csv_bytes(frame: pd.DataFrame, decimals: int | dict | None = None) -> bytes:
    """The CSV for Vietnamese Excel: UTF-8 with BOM, `;` separator, `,` decimal mark."""
    text = csv_text(frame, decimals, sep=EXCEL_VI_CSV["sep"], decimal=EXCEL_VI_CSV["decimal"])
    return text.encode(EXCEL_VI_CSV["encoding"])


def set_cell(cell, value):
    """Put `value` into an openpyxl cell; a text is always a string cell, never a formula.

    A text that starts a formula keeps its exact characters and gets Excel's quote prefix, so
    that editing it in Excel keeps it text too. Returns the cell.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell
