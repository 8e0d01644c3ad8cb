"""Interface text in Vietnamese (first) and English, and number formats for each language.

Data labels (index, indicator and province names) come from the reference data's `_vi` / `_en`
columns; this module holds only the interface's own words.
"""

from __future__ import annotations

import math

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Chỉ số quản trị cấp tỉnh", "Provincial governance indices"),
    "language": ("Ngôn ngữ", "Language"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_rankings": ("Xếp hạng", "Rankings"),
    "province": ("Tỉnh, thành phố", "Province"),
    "index": ("Chỉ số", "Index"),
    "year": ("Năm", "Year"),
    "indicator": ("Chỉ số thành phần", "Indicator"),
    "overview_title": ("Tổng quan: {province}", "Overview: {province}"),
    "overview_caption": (
        "Điểm, thứ hạng và nhóm mới nhất của từng chỉ số; biểu đồ là thứ hạng qua các năm (1 = cao nhất).",
        "Latest score, rank and group of each index; the chart is the rank over the years (1 = best)."),
    "latest_year": ("Năm {year}", "Year {year}"),
    "score": ("Điểm", "Score"),
    "rank": ("Thứ hạng", "Rank"),
    "rank_of": ("{rank}/{n}", "{rank} of {n}"),
    "rank_change": ("Thay đổi hạng", "Rank change"),
    "score_change": ("Thay đổi điểm", "Score change"),
    "group": ("Nhóm", "Group"),
    "vs_year": ("so với {year}", "vs {year}"),
    "no_previous": ("chưa có năm trước để so sánh", "no earlier year to compare"),
    "not_comparable": ("không so sánh được với {year}: {reason}", "not comparable with {year}: {reason}"),
    "no_data_index": ("{province} chưa có dữ liệu {index}.", "{province} has no {index} data."),
    "missing_latest": ("Năm {year}: không có dữ liệu của {province}.", "{year}: no data for {province}."),
    "demo_label": ("Dữ liệu minh họa", "Demo data"),
    "demo_explain": (
        "Dữ liệu minh họa — không phải số liệu chính thức; sẽ được thay khi nhập số liệu của Bộ Nội vụ.",
        "Demo data — not official figures; replaced when the Ministry's figures are imported."),
    "computed_rank_note": (
        "PAPI không công bố thứ hạng chính thức: thứ hạng ở đây tính từ điểm; chênh lệch 2-3 bậc chưa có ý nghĩa thống kê.",
        "PAPI publishes groups, not ranks: ranks here are computed from the scores; a move of 2-3 places is within sampling error."),
    "rankings_title": ("Xếp hạng {index} {year}", "{index} {year} rankings"),
    "rankings_caption": ("{indicator}: {n} tỉnh, thành phố có dữ liệu.", "{indicator}: {n} provinces with data."),
    "no_data_provinces": ("Không có dữ liệu ({n}): {names}", "No data ({n}): {names}"),
    "all_have_data": ("Tất cả tỉnh, thành phố đều có dữ liệu.", "Every province has data."),
    "table_heading": ("Số liệu của biểu đồ", "The chart's numbers"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "rank_history": ("Thứ hạng qua các năm", "Rank over the years"),
    "no_data": ("không có dữ liệu", "no data"),
    "change_note_break": ("⚠ thay đổi phương pháp", "⚠ method change"),
    "source": ("Nguồn", "Source"),
    "legend_changes": ("▲ lên hạng · ▼ xuống hạng · ● giữ hạng · ⚠ không so sánh được với năm trước",
                       "▲ up · ▼ down · ● unchanged · ⚠ not comparable with the previous year"),
    "store_error": ("Không đọc được dữ liệu: {error}", "Could not read the data: {error}"),
}

GROUP_LABELS_EN = {"Cao nhất": "Highest", "Trung bình cao": "High average",
                   "Trung bình thấp": "Low average", "Thấp nhất": "Lowest"}


def translate(key: str, lang: str, **values) -> str:
    vi, en = STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def format_number(value: float | None, lang: str, decimals: int = 2) -> str:
    """92.55 → "92,55" in Vietnamese, "92.55" in English; thousands with the other mark."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_signed(value: float | None, lang: str, decimals: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + format_number(abs(value), lang, decimals)


def rank_change_label(change, comparable: bool = True) -> str:
    """▲ 3 (moved up three places), ▼ 2, ● 0; ⚠ where the years are not comparable."""
    if change is None or change != change:  # None or NaN/NA
        return "—"
    try:
        change = int(change)
    except (TypeError, ValueError):
        return "—"
    if not comparable:
        return "⚠"
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "● 0"


def group_label(group: str | None, lang: str) -> str:
    if not group:
        return "—"
    return GROUP_LABELS_EN.get(group, group) if lang == "en" else group


def plotly_separators(lang: str) -> str:
    """Plotly's `separators`: decimal mark then thousands mark."""
    return ",." if lang == "vi" else ".,"
