"""Empty workbooks laid out like the official tables, for analysts who type figures themselves.

One sheet named "<INDEX> <year>": a title row, a Vietnamese and an English header row (the
importer recognises both), one row per province of that year's era, and Excel data validation
that keeps every value inside its indicator's scale. The importer reads it back unchanged.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analytics import registry
from analytics.exports import set_cell


def template_workbook(catalog: pd.DataFrame, provinces: pd.DataFrame, index_code: str, year: int,
                      indices: pd.DataFrame | None = None) -> bytes:
    """An empty import workbook for one index-year: the provinces of that year's map in rows,
    the indicators in force in columns (both names). `indices` is the catalog the caller reads
    (the store's); data/'s when not given."""
    indices = registry.load_indices() if indices is None else indices
    era = registry.era_of_year(index_code, year, indices)
    short = indices.loc[indices["index_code"] == index_code, "short_name"].iloc[0]
    indicators = registry.indicators_in_year(catalog, index_code, year)
    # Chỉ tiêu (level 3) come only from the official tables, never typed in: not in the template.
    indicators = indicators[indicators["level"] <= 2]
    indicators = pd.concat([indicators[indicators["level"] > 0], indicators[indicators["level"] == 0]])
    rows = provinces[provinces["era"] == era].sort_values("code")

    book = Workbook()
    sheet = book.active
    sheet.title = f"{index_code} {year}"
    first = 4
    set_cell(sheet["A1"], f"{short} năm {year} — mẫu nhập số liệu ({len(rows)} tỉnh, thành phố)")
    sheet["A1"].font = Font(bold=True, size=14)
    fixed = [("STT", "No."), ("Mã tỉnh", "Code"), ("Tỉnh, thành phố", "Province")]
    headers = fixed + [(r.name_vi, r.name_en) for r in indicators.itertuples()]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for c, (vi, en) in enumerate(headers, start=1):
        for r, text in ((2, vi), (3, en)):
            cell = set_cell(sheet.cell(r, c), text)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(c)].width = 8 if c <= 2 else (22 if c == 3 else 16)
    for i, province in enumerate(rows.itertuples(), start=0):
        sheet.cell(first + i, 1, i + 1)
        set_cell(sheet.cell(first + i, 2), province.code)
        set_cell(sheet.cell(first + i, 3), province.name)
    last = first + len(rows) - 1
    for c, indicator in enumerate(indicators.itertuples(), start=len(fixed) + 1):
        letter = get_column_letter(c)
        rule = DataValidation(type="decimal", operator="between", formula1=str(indicator.scale_min),
                              formula2=str(indicator.scale_max), allow_blank=True, showErrorMessage=True,
                              errorTitle="Ngoài thang điểm",
                              error=f"{indicator.name_vi}: từ {indicator.scale_min:g} đến {indicator.scale_max:g}")
        rule.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = sheet.cell(first, len(fixed) + 1)
    sheet.row_dimensions[2].height = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
