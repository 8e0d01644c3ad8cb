"""Workbooks the import tests generate: realistic layouts and a corpus of bad files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook


def save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def papi_2016_table(store) -> pd.DataFrame:
    """The stored PAPI 2016 figures, wide: one row per province, one column per indicator."""
    scores = store.scores("PAPI", 2016)
    wide = scores.pivot_table(index="province_code", columns="indicator_code", values="value")
    names = store.provinces().query("era == 'legacy'").set_index("code")["name"]
    return wide.assign(name=names.reindex(wide.index)).reset_index()


def dimension_workbook(path: Path, rows: list[list], *, sheet="PAPI 2016", title="Chỉ số PAPI năm 2016",
                       headers_vi=None, headers_en=None) -> Path:
    """A PAPI-like table: title row, Vietnamese header row, optional English row, data rows."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append([title])
        ws.append([])
    ws.append(headers_vi or ["STT", "Tỉnh, thành phố", "Tham gia của người dân ở cấp cơ sở",
                             "Công khai, minh bạch", "Trách nhiệm giải trình với người dân",
                             "Kiểm soát tham nhũng trong khu vực công", "Thủ tục hành chính công",
                             "Cung ứng dịch vụ công", "Chỉ số PAPI (không có trọng số)", "Xếp hạng"])
    if headers_en is not False:
        ws.append(headers_en or ["No.", "Province", "Participation at Local Levels", "Transparency",
                                 "Vertical Accountability", "Control of Corruption",
                                 "Public Administrative Procedures", "Public Service Delivery",
                                 "Unweighted PAPI", "Rank"])
    for row in rows:
        ws.append(row)
    return save(book, path)


def bytes_file(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def zip_without_workbook(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return bytes_file(path, buffer.getvalue())


def zip_bomb(path: Path, template: Path) -> Path:
    """A real .xlsx whose sheet XML is padded with millions of empty rows (tiny compressed)."""
    with zipfile.ZipFile(template) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    padding = " " * (250 * 1024 * 1024)  # 250 MB of whitespace deflates to a few hundred kB
    members["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", "</sheetData>" + padding).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return bytes_file(path, buffer.getvalue())
