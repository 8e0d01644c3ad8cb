"""The annex workbooks' layout: headers, widths, wording, styles and the cell writers shared by
the annex sheet (`annex`), its follow-up sheet (`annex_follow_up`) and the plan sheet (`plan_sheet`).

Every text goes through `put`, which writes a string cell (never a formula) with the annex's font,
border and alignment.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from analytics.exports import set_cell
from analytics.scores.rules import GROUP_SYMBOLS, GROUPS_EN
from analytics.weak_wording import FOLLOW_UP_SYMBOLS
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
        "group_heading": "{name} — số chỉ tiêu được đánh dấu: {n}",
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
        "group_heading": "{name} — indicators flagged: {n}",
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


def missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def put(ws, row: int, column: int, value, *, number_format: str | None = None,
         font: Font | None = None, fill: str | None = None, alignment: Alignment | None = None,
         border: bool = True):
    """Write one cell; text is always a string cell (never a formula)."""
    cell = ws.cell(row=row, column=column)
    if missing(value):
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
def sources_text(sources, flags: pd.DataFrame, lang: str = "vi") -> str:
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


def lines_estimate(text, width: float, chars_per_unit: float = 1.55) -> int:
    """Wrapped lines of `text` in a column `width` characters wide (10-point Times New Roman)."""
    if missing(text) or text == "":
        return 1
    chars_per_line = max(int(width * chars_per_unit), 4)
    return sum(max(1, math.ceil(len(part) / chars_per_line)) for part in str(text).split("\n"))


def first_value(flags: pd.DataFrame, column: str, default=None):
    if column in flags and not flags.empty:
        values = flags[column].dropna()
        if not values.empty:
            return values.iloc[0]
    return default


def header_block(ws, lines: list[tuple[str, Font]], n_columns: int, total_width: float) -> int:
    """Merged full-width rows at the top; returns the next free row."""
    row = 1
    last = get_column_letter(n_columns)
    for text, font in lines:
        put(ws, row, 1, text, font=font, alignment=Alignment(wrap_text=True, vertical="center"),
             border=False)
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 15 * lines_estimate(text, total_width, 1.3) + 3
        row += 1
    return row + 1  # one blank row


def page_setup(ws, header_row: int, demo: bool, footer: str) -> None:
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


def table_header(ws, row: int, headers: list[str], widths: list[float]) -> None:
    bold = Font(name=FONT_NAME, size=10, bold=True)
    for column, (title, width) in enumerate(zip(headers, widths), start=1):
        put(ws, row, column, title, font=bold, fill="D9D9D9", alignment=WRAP_CENTER)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[row].height = LINE_HEIGHT * max(lines_estimate(h, w, 1.3)
                                                      for h, w in zip(headers, widths)) + 6


def group_cell(group, group_no, lang: str) -> tuple[str | None, str | None]:
    if missing(group_no):
        return (group if isinstance(group, str) else None), None
    n = int(group_no)
    label = GROUPS_EN[n - 1] if lang == "en" else group
    return f"{GROUP_SYMBOLS[n]} {label}", GROUP_FILLS.get(n)


def in_language(row, column: str, lang: str):
    """`column` of `row` in `lang`: its `_en` twin in English when filled, else the column."""
    if lang == "en":
        value = row.get(f"{column}_en")
        if isinstance(value, str) and value:
            return value
    return row.get(column)


def reason_cell(row: pd.Series, lang: str) -> str:
    lines = [f"• {line}" for line in str(in_language(row, "reason_text", lang) or "").split("\n") if line]
    if not lines and isinstance(row.get("reasons"), str) and row["reasons"]:
        labels = reason_labels(lang)
        lines = [f"• {labels.get(code, code)}" for code in row["reasons"].split(";")]
    note = in_language(row, "note", lang)
    if isinstance(note, str) and note:
        lines.append(TEXT[lang]["note"] + note)
    return "\n".join(lines)


def names_lines(text) -> str:
    if missing(text):
        return ""
    return "\n".join(part.strip() for part in str(text).split(";") if part.strip())
