"""The plan annex of the weak-indicator worklist: a print-ready .xlsx (Vietnamese) and a CSV.

`annex_workbook` writes sheet "Phụ lục" (the annex: header rows naming province, index, year,
thresholds and data source; a frozen 17-column table; colours that always come with a symbol,
so the sheet reads the same in black and white) and, when a follow-up is given, sheet "Theo dõi"
(how last year's list moved, by lead department). `annex_csv` writes the same rows for machines
(CSV_COLUMNS, dot decimals, `;` inside `reasons` and `support_departments`).

Formula guard: no cell of an export starts a formula from data. In the .xlsx every text is
written as a string cell (openpyxl data type "s", so `=`, `+`, `-`, `@` at the start stay text;
such cells also get Excel's quote prefix so that editing them keeps them text); numbers are
numbers and no formula is ever written, the totals of the follow-up included. In the CSV, a text
field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe
(`analytics.exports.safe_cell`, the OWASP rule for CSV injection); numbers are written as plain decimals.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Iterable

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from analytics import weak
from analytics.exports import is_formula_like, safe_cell, set_cell
from analytics.scores.rules import GROUP_SYMBOLS, GROUPS_EN
from analytics.text import fold
from analytics.weak_wording import FOLLOW_UP_SYMBOLS, department_label, departments_label
from analytics.wording import N_, say

DEMO_LABEL = "Dữ liệu minh họa"

ANNEX_HEADERS = {
    "vi": ["STT", "Chỉ số", "Lĩnh vực / chỉ số nội dung", "Chỉ số thành phần", "Điểm",
           "Điểm tối đa", "Điểm bị trừ", "Năm trước", "Tăng/giảm", "Thứ hạng",
           "Thứ hạng năm trước", "Nhóm", "Lý do", "Cơ quan chủ trì", "Cơ quan phối hợp",
           "Nhiệm vụ / giải pháp", "Thời hạn"],
    "en": ["No.", "Index", "Field / dimension", "Sub-indicator", "Score", "Maximum",
           "Points lost", "Previous year", "Change", "Rank", "Previous rank", "Group", "Reasons",
           "Lead department", "Supporting departments", "Tasks / solutions", "Deadline"],
}
ANNEX_WIDTHS = [5, 8, 24, 26, 7, 7, 8, 8, 9, 8, 8, 14, 46, 18, 22, 28, 10]

FOLLOW_HEADERS = {
    "vi": ["STT", "Chỉ số thành phần", "Lĩnh vực / chỉ số nội dung", "Cơ quan chủ trì",
           "Lý do đưa vào danh sách", "Điểm năm trước", "Điểm năm nay", "Tăng/giảm",
           "Thứ hạng năm trước", "Thứ hạng năm nay", "Nhóm năm nay", "Kết quả"],
    "en": ["No.", "Sub-indicator", "Field / dimension", "Lead department", "Listed for",
           "Score then", "Score now", "Change", "Rank then", "Rank now", "Group now", "Result"],
}
FOLLOW_WIDTHS = [5, 32, 26, 24, 24, 10, 10, 10, 10, 10, 16, 20]
SUMMARY_HEADERS = {
    "vi": ["Cơ quan chủ trì", "Số chỉ số", "Cải thiện", "Không đổi", "Xấu đi",
           "Không so sánh được", "Không có số liệu"],
    "en": ["Lead department", "Indicators", "Improved", "Unchanged", "Worse",
           "Not comparable", "No data"],
}

TEXT = {
    "vi": {
        "sheet": "Phụ lục", "follow_sheet": "Theo dõi",
        "title": "PHỤ LỤC: DANH MỤC CHỈ SỐ THÀNH PHẦN CẦN KHẮC PHỤC, CẢI THIỆN",
        "subtitle": "{index} năm {year} — {province}",
        "province": "Tỉnh, thành phố: {province}",
        "index": "Chỉ số: {index}; năm đánh giá: {year}; số chỉ số được đánh dấu: {n}",
        "thresholds": "Ngưỡng đánh dấu:",
        "sources": "Nguồn số liệu: {sources}",
        "demo": "DỮ LIỆU MINH HỌA — Dữ liệu minh họa, không phải số liệu chính thức.",
        "legend": ("Ký hiệu: ▼ nhóm Thấp nhất (nền đỏ); ▽ Trung bình thấp (nền vàng); "
                   "△ Trung bình cao; ▲ Cao nhất (nền xanh). Tăng/giảm: ▲ tăng, ▼ giảm (nền đỏ "
                   "khi bị đánh dấu giảm), ≈ thay đổi nhỏ, chưa có ý nghĩa. ⚠ điểm bị trừ vượt "
                   "ngưỡng. Cột «Nhiệm vụ / giải pháp» và «Thời hạn» do cơ quan chủ trì đề xuất."),
        "empty": "Không có chỉ số nào bị đánh dấu theo các ngưỡng trên.",
        "note": "Ghi chú: ",
        "follow_title": "THEO DÕI KẾT QUẢ CÁC CHỈ SỐ ĐÃ ĐƯA VÀO DANH SÁCH",
        "follow_years": "Danh sách năm {then}, so sánh với năm {now}",
        "follow_rule": ("Kết quả theo điểm: Cải thiện / Xấu đi khi điểm tăng / giảm; Không đổi khi "
                        "thay đổi nhỏ hơn ngưỡng thay đổi nhỏ (chỉ số khảo sát) hoặc bằng 0; "
                        "Không so sánh được khi phương pháp hoặc thang điểm thay đổi giữa hai năm."),
        "summary": "Tổng hợp theo cơ quan chủ trì",
        "total": "Tổng cộng",
        "footer": "Trang &P/&N",
    },
    "en": {
        "sheet": "Annex", "follow_sheet": "Follow-up",
        "title": "ANNEX: SUB-INDICATORS TO IMPROVE",
        "subtitle": "{index} {year} — {province}",
        "province": "Province: {province}",
        "index": "Index: {index}; year: {year}; indicators flagged: {n}",
        "thresholds": "Thresholds:",
        "sources": "Data source: {sources}",
        "demo": "DEMO DATA — Dữ liệu minh họa, not official figures.",
        "legend": ("Symbols: ▼ Lowest group (red); ▽ Low average (yellow); △ High average; "
                   "▲ Highest (green). Change: ▲ up, ▼ down, ≈ small change, not meaningful. "
                   "⚠ points lost above the threshold."),
        "empty": "No indicator is flagged with these thresholds.",
        "note": "Note: ",
        "follow_title": "FOLLOW-UP OF LAST YEAR'S LIST",
        "follow_years": "List of {then}, compared with {now}",
        "follow_rule": ("Result by score: improved / worse when the score rose / fell; unchanged "
                        "when the change is below the small-change band (survey indices) or 0; "
                        "not comparable when the method or scale changed between the years."),
        "summary": "Summary by lead department",
        "total": "Total",
        "footer": "Page &P/&N",
    },
}

GROUP_FILLS = {1: "C6EFCE", 2: "E2EFDA", 3: "FFEB9C", 4: "FFC7CE"}
STATUS_SYMBOLS = FOLLOW_UP_SYMBOLS
STATUS_FILLS = {"improved": "C6EFCE", "unchanged": "F2F2F2", "worse": "FFC7CE"}
STATUS_EN = {"improved": "Improved", "unchanged": "Unchanged", "worse": "Worse",
             "not_comparable": "Not comparable", "no_data": "No data"}
REASON_KEYS = {"LOW": N_("reason_LOW"), "BELOW_MEDIAN": N_("reason_BELOW_MEDIAN"), "DECLINE": N_("reason_DECLINE"),
               "POINTS_LOST": N_("reason_POINTS_LOST"), "PERSISTENT": N_("reason_PERSISTENT"),
               "TREND": N_("reason_TREND")}


def reason_labels(lang: str) -> dict[str, str]:
    """Reason code → its short label in `lang` (locale/, reason_*)."""
    return {code: say(lang, key) for code, key in REASON_KEYS.items()}


REASON_LABELS = reason_labels("vi")

CHANGE_FORMAT = '"▲ "+0.00;"▼ "-0.00;"● "0.00'
SMALL_CHANGE_FORMAT = '"≈ "+0.00;"≈ "-0.00;"≈ "0.00'
FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP_TOP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
LINE_HEIGHT = 12.75  # points per line of 10-point text

NUMBER_COLUMNS = ["value", "max_value", "points_lost", "previous_value", "change", "median",
                  "best_value"]
INTEGER_COLUMNS = ["year", "rank", "previous_rank", "severity"]


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _put(ws, row: int, column: int, value, *, number_format: str | None = None,
         font: Font | None = None, fill: str | None = None, alignment: Alignment | None = None,
         border: bool = True):
    """Write one cell; text is always a string cell (never a formula)."""
    cell = ws.cell(row=row, column=column)
    if _missing(value):
        value = None
    elif isinstance(value, (np.integer,)):
        value = int(value)
    elif isinstance(value, (np.floating,)):
        value = float(value)
    set_cell(cell, value)
    if number_format:
        cell.number_format = number_format
    cell.font = font or Font(name=FONT_NAME, size=10)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    cell.alignment = alignment or WRAP_TOP
    if border:
        cell.border = BORDER
    return cell


# -- helpers ---------------------------------------------------------------------------------
def _sources_text(sources, flags: pd.DataFrame, lang: str = "vi") -> str:
    if sources is None:
        return ""
    if isinstance(sources, str):
        return sources
    if isinstance(sources, pd.DataFrame):
        rows = sources
        if "source_id" in rows and "source_id" in flags and not flags.empty:
            used = set(flags["source_id"].dropna())
            if used:
                rows = rows[rows["source_id"].isin(used)]
        parts = []
        for row in rows.itertuples(index=False):
            text = ((getattr(row, "name_en", "") if lang == "en" else "") or getattr(row, "name_vi", "")
                    or getattr(row, "source_id", ""))
            publisher = str(getattr(row, "publisher", "") or "").strip()
            if publisher and not publisher.startswith("("):
                publisher = f"({publisher})"
            parts.append(f"{text} {publisher}".strip())
        return "; ".join(parts)
    return "; ".join(str(s) for s in sources)


def _lines_estimate(text, width: float, chars_per_unit: float = 1.55) -> int:
    """Wrapped lines of `text` in a column `width` characters wide (10-point Times New Roman)."""
    if _missing(text) or text == "":
        return 1
    chars_per_line = max(int(width * chars_per_unit), 4)
    return sum(max(1, math.ceil(len(part) / chars_per_line)) for part in str(text).split("\n"))


def _first(flags: pd.DataFrame, column: str, default=None):
    if column in flags and not flags.empty:
        values = flags[column].dropna()
        if not values.empty:
            return values.iloc[0]
    return default


def _header_block(ws, lines: list[tuple[str, Font]], n_columns: int, total_width: float) -> int:
    """Merged full-width rows at the top; returns the next free row."""
    row = 1
    last = get_column_letter(n_columns)
    for text, font in lines:
        _put(ws, row, 1, text, font=font, alignment=Alignment(wrap_text=True, vertical="center"),
             border=False)
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 15 * _lines_estimate(text, total_width, 1.3) + 3
        row += 1
    return row + 1  # one blank row


def _page_setup(ws, header_row: int, demo: bool, footer: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = footer
    if demo:
        ws.oddHeader.center.text = DEMO_LABEL.upper()


def _table_header(ws, row: int, headers: list[str], widths: list[float]) -> None:
    bold = Font(name=FONT_NAME, size=10, bold=True)
    for column, (title, width) in enumerate(zip(headers, widths), start=1):
        _put(ws, row, column, title, font=bold, fill="D9D9D9", alignment=WRAP_CENTER)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[row].height = LINE_HEIGHT * max(_lines_estimate(h, w, 1.3)
                                                      for h, w in zip(headers, widths)) + 6


def _group_cell(group, group_no, lang: str) -> tuple[str | None, str | None]:
    if _missing(group_no):
        return (group if isinstance(group, str) else None), None
    n = int(group_no)
    label = GROUPS_EN[n - 1] if lang == "en" else group
    return f"{GROUP_SYMBOLS[n]} {label}", GROUP_FILLS.get(n)


def _in(row, column: str, lang: str):
    """`column` of `row` in `lang`: its `_en` twin in English when filled, else the column."""
    if lang == "en":
        value = row.get(f"{column}_en")
        if isinstance(value, str) and value:
            return value
    return row.get(column)


def _reason_cell(row: pd.Series, lang: str) -> str:
    lines = [f"• {line}" for line in str(_in(row, "reason_text", lang) or "").split("\n") if line]
    if not lines and isinstance(row.get("reasons"), str) and row["reasons"]:
        labels = reason_labels(lang)
        lines = [f"• {labels.get(code, code)}" for code in row["reasons"].split(";")]
    note = _in(row, "note", lang)
    if isinstance(note, str) and note:
        lines.append(TEXT[lang]["note"] + note)
    return "\n".join(lines)


def _names_lines(text) -> str:
    if _missing(text):
        return ""
    return "\n".join(part.strip() for part in str(text).split(";") if part.strip())


# -- the workbook ----------------------------------------------------------------------------
def annex_workbook(flags: pd.DataFrame, *, province_name: str, index_name: str, year: int,
                   thresholds: weak.Thresholds, sources, follow_up: pd.DataFrame | None = None,
                   lang: str = "vi") -> bytes:
    """The plan annex as .xlsx bytes: sheet "Phụ lục" and, with `follow_up`, "Theo dõi".

    `flags` is a `weak.flag_weak` frame (already in severity order); `sources` is text, a list of
    texts, or the sources table (rows of the flags' source_id are named); `follow_up` is a
    `weak.follow_up` frame.
    """
    lang = lang if lang in TEXT else "vi"
    text = TEXT[lang]
    flags = flags.reset_index(drop=True)
    demo = bool(flags["is_demo"].fillna(False).astype(bool).any()) if "is_demo" in flags else False
    source_text = _sources_text(sources, flags, lang)
    demo = demo or DEMO_LABEL.lower() in source_text.lower()

    wb = Workbook()
    ws = wb.active
    ws.title = text["sheet"]
    headers, widths = ANNEX_HEADERS[lang], ANNEX_WIDTHS
    total_width = sum(widths)

    unit = _first(flags, "unit", weak.POINTS_UNIT)
    threshold_lines = thresholds.lines(
        index_small_change=_first(flags, "index_small_change"),
        survey_based=None if _first(flags, "survey_based") is None else bool(_first(flags, "survey_based")),
        unit=unit, lang=lang)
    normal = Font(name=FONT_NAME, size=11)
    lines = [
        (text["title"], Font(name=FONT_NAME, size=14, bold=True)),
        (text["subtitle"].format(index=index_name, year=year, province=province_name),
         Font(name=FONT_NAME, size=12, bold=True)),
        (text["province"].format(province=province_name), normal),
        (text["index"].format(index=index_name, year=year, n=len(flags)), normal),
        (text["thresholds"], Font(name=FONT_NAME, size=11, bold=True)),
        *[(f"  – {line}", Font(name=FONT_NAME, size=10)) for line in threshold_lines],
        (text["sources"].format(sources=source_text or "—"), normal),
    ]
    if demo:
        lines.append((text["demo"], Font(name=FONT_NAME, size=12, bold=True, color="C00000")))
    lines.append((text["legend"], Font(name=FONT_NAME, size=10, italic=True)))
    header_row = _header_block(ws, lines, len(headers), total_width)
    _table_header(ws, header_row, headers, widths)

    row_no = header_row + 1
    if flags.empty:
        _put(ws, row_no, 1, text["empty"], alignment=Alignment(wrap_text=True))
        ws.merge_cells(f"A{row_no}:{get_column_letter(len(headers))}{row_no}")
        row_no += 1
    for i, row in flags.iterrows():
        reasons = set(str(row.get("reasons") or "").split(";"))
        level = row.get("level")
        is_child = not _missing(level) and int(level) >= 2
        field = _in(row, "parent_indicator", lang) if is_child else _in(row, "indicator", lang)
        child = _in(row, "indicator", lang) if is_child else ""
        group_text, group_fill = _group_cell(row.get("group"), row.get("group_no"), lang)
        small = isinstance(row.get("note"), str) and weak.SMALL_CHANGE_NOTE in row["note"]
        change = row.get("change")
        change_fill = None
        if "DECLINE" in reasons and not _missing(change) and float(change) < 0:
            change_fill = "FFC7CE"
        n_ranked = row.get("n_ranked")
        rank_format = f'0"/{int(n_ranked)}"' if not _missing(n_ranked) else "0"
        reason_text = _reason_cell(row, lang)
        values = [
            (i + 1, {"alignment": WRAP_TOP_CENTER}),
            (row.get("index_name") if isinstance(row.get("index_name"), str) else index_name, {}),
            (field, {}),
            (child, {}),
            (row.get("value"), {"number_format": "0.00"}),
            (row.get("max_value"), {"number_format": "0.00"}),
            (row.get("points_lost"), {"number_format": '"⚠ "0.00' if "POINTS_LOST" in reasons else "0.00",
                                      "fill": "FCE4D6" if "POINTS_LOST" in reasons else None}),
            (row.get("previous_value"), {"number_format": "0.00"}),
            (change if not _missing(change) else ("—" if not _missing(row.get("previous_year")) else None),
             {"number_format": SMALL_CHANGE_FORMAT if small else CHANGE_FORMAT, "fill": change_fill}),
            (row.get("rank"), {"number_format": rank_format, "alignment": WRAP_TOP_CENTER}),
            (row.get("previous_rank"), {"number_format": "0", "alignment": WRAP_TOP_CENTER}),
            (group_text, {"fill": group_fill}),
            (reason_text, {}),
            (department_label(row.get("lead_department"), lang), {}),
            (_names_lines(departments_label(row.get("support_departments"), lang)), {}),
            (None, {}),
            (None, {}),
        ]
        for column, (value, style) in enumerate(values, start=1):
            _put(ws, row_no, column, value, **style)
        height = max(_lines_estimate(values[c][0], widths[c]) for c in (2, 3, 11, 12, 13, 14))
        ws.row_dimensions[row_no].height = LINE_HEIGHT * height + 4
        row_no += 1

    ws.freeze_panes = f"A{header_row + 1}"
    if not flags.empty:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{row_no - 1}"
    _page_setup(ws, header_row, demo, text["footer"])

    if follow_up is not None:
        _follow_up_sheet(wb, follow_up, province_name=province_name, index_name=index_name,
                         year=year, lang=lang, demo=demo, source_text=source_text)

    wb.properties.title = f"{text['title']} — {index_name} {year} — {province_name}"
    wb.properties.subject = f"{index_name} {year}"
    wb.properties.creator = "govindex"
    wb.properties.keywords = "phụ lục; chỉ số thành phần; " + (DEMO_LABEL if demo else "")
    wb.properties.description = json.dumps({"thresholds": thresholds.as_dict(),
                                             "province": province_name, "index": index_name,
                                             "year": int(year), "sources": source_text,
                                             "demo": demo}, ensure_ascii=False)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _follow_up_sheet(wb, follow: pd.DataFrame, *, province_name: str, index_name: str, year: int,
                     lang: str, demo: bool, source_text: str) -> None:
    text = TEXT[lang]
    ws = wb.create_sheet(text["follow_sheet"])
    headers, widths = FOLLOW_HEADERS[lang], FOLLOW_WIDTHS
    then = follow["previous_year"].dropna()
    then_year = int(then.iloc[0]) if not then.empty else int(year) - 1
    now = follow["year"].dropna()
    now_year = int(now.iloc[0]) if not now.empty else int(year)
    normal = Font(name=FONT_NAME, size=11)
    lines = [
        (text["follow_title"], Font(name=FONT_NAME, size=14, bold=True)),
        (text["province"].format(province=province_name), normal),
        (f"{index_name} — " + text["follow_years"].format(then=then_year, now=now_year), normal),
        (text["follow_rule"], Font(name=FONT_NAME, size=10, italic=True)),
        (text["sources"].format(sources=source_text or "—"), normal),
    ]
    if demo:
        lines.append((text["demo"], Font(name=FONT_NAME, size=12, bold=True, color="C00000")))
    header_row = _header_block(ws, lines, len(headers), sum(widths))
    _table_header(ws, header_row, headers, widths)

    row_no = header_row + 1
    for i, row in follow.reset_index(drop=True).iterrows():
        status = row.get("status")
        label = STATUS_EN.get(status, status) if lang == "en" else row.get("status_text")
        labels = reason_labels(lang)
        reasons = "; ".join(labels.get(code, code)
                            for code in str(row.get("reasons") or "").split(";") if code)
        group = row.get("group")
        if isinstance(group, str) and group in weak.GROUPS:
            n = weak.GROUPS.index(group) + 1
            group = f"{GROUP_SYMBOLS[n]} {GROUPS_EN[n - 1] if lang == 'en' else group}"
        values = [
            (i + 1, {"alignment": WRAP_TOP_CENTER}),
            (_in(row, "indicator", lang), {}),
            (_in(row, "parent_indicator", lang), {}),
            (department_label(row.get("lead_department"), lang), {}),
            (reasons, {}),
            (row.get("previous_value"), {"number_format": "0.00"}),
            (row.get("value"), {"number_format": "0.00"}),
            (row.get("change"), {"number_format": SMALL_CHANGE_FORMAT if status == "unchanged"
                                 else CHANGE_FORMAT}),
            (row.get("previous_rank"), {"number_format": "0", "alignment": WRAP_TOP_CENTER}),
            (row.get("rank"), {"number_format": "0", "alignment": WRAP_TOP_CENTER}),
            (group, {}),
            (f"{STATUS_SYMBOLS.get(status, '')} {label}".strip(), {"fill": STATUS_FILLS.get(status)}),
        ]
        for column, (value, style) in enumerate(values, start=1):
            _put(ws, row_no, column, value, **style)
        height = max(_lines_estimate(values[c][0], widths[c]) for c in (1, 2, 3, 4))
        ws.row_dimensions[row_no].height = LINE_HEIGHT * height + 4
        row_no += 1
    ws.freeze_panes = f"A{header_row + 1}"

    # Summary by lead department (counts written as numbers; no formulas).
    row_no += 1
    _put(ws, row_no, 1, text["summary"], font=Font(name=FONT_NAME, size=12, bold=True), border=False,
         alignment=Alignment(vertical="center"))
    ws.merge_cells(f"A{row_no}:D{row_no}")
    row_no += 1
    summary = weak.follow_up_summary(follow, lang)
    summary_headers = SUMMARY_HEADERS[lang]
    bold = Font(name=FONT_NAME, size=10, bold=True)
    # The department name spans columns B-D of the sheet's grid; counts follow in E-J.
    layout = [2, 5, 6, 7, 8, 9, 10]
    for title, column in zip(summary_headers, layout):
        _put(ws, row_no, column, title, font=bold, fill="D9D9D9", alignment=WRAP_CENTER)
    ws.merge_cells(start_row=row_no, start_column=2, end_row=row_no, end_column=4)
    row_no += 1
    statuses = ["improved", "unchanged", "worse", "not_comparable", "no_data"]
    for row in summary.itertuples(index=False):
        _put(ws, row_no, 2, department_label(row.lead_department, lang))
        ws.merge_cells(start_row=row_no, start_column=2, end_row=row_no, end_column=4)
        counts = [row.n] + [getattr(row, s) for s in statuses]
        for column, count in zip(layout[1:], counts):
            fill = STATUS_FILLS.get(statuses[layout.index(column) - 2]) if column > 5 and count else None
            _put(ws, row_no, column, int(count), number_format="0", alignment=WRAP_CENTER, fill=fill)
        row_no += 1
    if not summary.empty:
        _put(ws, row_no, 2, text["total"], font=bold)
        ws.merge_cells(start_row=row_no, start_column=2, end_row=row_no, end_column=4)
        totals = [int(summary["n"].sum())] + [int(summary[s].sum()) for s in statuses]
        for column, count in zip(layout[1:], totals):
            _put(ws, row_no, column, count, number_format="0", font=bold, alignment=WRAP_CENTER)
    _page_setup(ws, header_row, demo, text["footer"])


# -- the CSV ---------------------------------------------------------------------------------
def _csv_number(value) -> str:
    if _missing(value):
        return ""
    return np.format_float_positional(float(value), trim="-")


def _csv_integer(value) -> str:
    if _missing(value):
        return ""
    return str(int(value))


def annex_csv(flags: pd.DataFrame) -> str:
    """The annex rows for machines: exactly `weak.CSV_COLUMNS`, dot decimals, UTF-8 text.

    Text fields pass through `safe_cell`; `reasons` is the `;`-separated list of rule codes and
    `support_departments` the `;`-separated list of names.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(weak.CSV_COLUMNS)
    for _, row in flags.iterrows():
        out = []
        for column in weak.CSV_COLUMNS:
            value = row.get(column)
            if column in NUMBER_COLUMNS:
                out.append(_csv_number(value))
            elif column in INTEGER_COLUMNS:
                out.append(_csv_integer(value))
            elif column == "support_departments":
                names = [] if _missing(value) else [n.strip() for n in str(value).split(";") if n.strip()]
                out.append(safe_cell(";".join(names)))
            else:
                out.append("" if _missing(value) else safe_cell(str(value)))
        writer.writerow(out)
    return buffer.getvalue()


def ascii_slug(text: str) -> str:
    """Lower-case ASCII words joined by "-" (Bắc Ninh → bac-ninh): safe in any file system,
    e-mail attachment or URL, whatever the reader's code page."""
    return re.sub(r"[^a-z0-9]+", "-", fold(str(text).replace("đ", "d").replace("Đ", "D"))).strip("-")


def annex_file_stem(index_code: str, province_name: str, year: int, lang: str = "vi") -> str:
    """A file name stem for downloads: phu-luc-bac-ninh-papi-2025 (vi) / annex-bac-ninh-papi-2025 (en)."""
    return "-".join(ascii_slug(part) for part in (say(lang, "file_annex"), province_name, index_code, str(int(year))))


__all__: Iterable[str] = ["annex_workbook", "annex_csv", "safe_cell", "is_formula_like",
                          "annex_file_stem", "ANNEX_HEADERS", "DEMO_LABEL"]
