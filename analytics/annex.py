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
import re
from typing import Iterable

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from analytics import weak
from analytics.annex_follow_up import follow_up_sheet
from analytics.annex_layout import (ANNEX_HEADERS, ANNEX_WIDTHS, CHANGE_FORMAT, DEMO_LABEL, FONT_NAME,
                                    INTEGER_COLUMNS, LINE_HEIGHT, NUMBER_COLUMNS, REASON_LABELS,
                                    SMALL_CHANGE_FORMAT, TEXT, WRAP_TOP, WRAP_TOP_CENTER, first_value,
                                    group_cell, header_block, in_language, lines_estimate, missing,
                                    names_lines, page_setup, put, reason_cell, reason_labels,
                                    sources_text, table_header)
from analytics.exports import is_formula_like, safe_cell
from analytics.text import fold
from analytics.weak_wording import department_label, departments_label
from analytics.wording import say
from openpyxl.utils import get_column_letter


def annex_groups(flags: pd.DataFrame) -> list[tuple[pd.Series | None, pd.DataFrame]]:
    """The annex's rows in print order, as (heading row or None, rows under it).

    A list at the indicator level (any row at level 3, the chỉ tiêu of PAPI 2018-2019) is grouped
    under each row's parent (its sub-dimension): groups in the order of their most severe row, rows
    in severity order within their group, each group headed by its first row (which names the
    parent). Any other list is one block, in severity order, without a heading.
    """
    if flags.empty or "level" not in flags or "parent_code" not in flags:
        return [(None, flags)]
    levels = pd.to_numeric(flags["level"], errors="coerce")
    if not (levels >= 3).any():
        return [(None, flags)]
    parents = flags["parent_code"].where(flags["parent_code"].notna(), flags["indicator_code"])
    return [(rows.iloc[0], rows) for _, rows in flags.groupby(parents, sort=False)]


def _group_heading(ws, row_no: int, first: pd.Series, n: int, n_columns: int, lang: str) -> None:
    """A full-width bold row naming the sub-dimension (and its number of flagged indicators)."""
    name = in_language(first, "parent_indicator", lang) or in_language(first, "indicator", lang)
    text = TEXT[lang]["group_heading"].format(name=name, n=n)
    put(ws, row_no, 1, text, font=Font(name=FONT_NAME, size=10, bold=True), fill="EDEDED", alignment=WRAP_TOP)
    for column in range(2, n_columns + 1):
        put(ws, row_no, column, None, fill="EDEDED")
    ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=n_columns)
    ws.row_dimensions[row_no].height = LINE_HEIGHT + 6


def _flag_row(ws, row_no: int, number: int, row: pd.Series, widths: list[float], index_name: str,
              lang: str) -> None:
    """One flagged indicator: its numbers, reasons and departments; the task and deadline left to fill."""
    reasons = set(str(row.get("reasons") or "").split(";"))
    level = row.get("level")
    is_child = not missing(level) and int(level) >= 2
    field = in_language(row, "parent_indicator", lang) if is_child else in_language(row, "indicator", lang)
    child = in_language(row, "indicator", lang) if is_child else ""
    group_text, group_fill = group_cell(row.get("group"), row.get("group_no"), lang)
    small = isinstance(row.get("note"), str) and weak.SMALL_CHANGE_NOTE in row["note"]
    change = row.get("change")
    change_fill = None
    if "DECLINE" in reasons and not missing(change) and float(change) < 0:
        change_fill = "FFC7CE"
    n_ranked = row.get("n_ranked")
    rank_format = f'0"/{int(n_ranked)}"' if not missing(n_ranked) else "0"
    reason_text = reason_cell(row, lang)
    values = [
        (number, {"alignment": WRAP_TOP_CENTER}),
        (row.get("index_name") if isinstance(row.get("index_name"), str) else index_name, {}),
        (field, {}),
        (child, {}),
        (row.get("value"), {"number_format": "0.00"}),
        (row.get("max_value"), {"number_format": "0.00"}),
        (row.get("points_lost"), {"number_format": '"⚠ "0.00' if "POINTS_LOST" in reasons else "0.00",
                                  "fill": "FCE4D6" if "POINTS_LOST" in reasons else None}),
        (row.get("previous_value"), {"number_format": "0.00"}),
        (change if not missing(change) else ("—" if not missing(row.get("previous_year")) else None),
         {"number_format": SMALL_CHANGE_FORMAT if small else CHANGE_FORMAT, "fill": change_fill}),
        (row.get("rank"), {"number_format": rank_format, "alignment": WRAP_TOP_CENTER}),
        (row.get("previous_rank"), {"number_format": "0", "alignment": WRAP_TOP_CENTER}),
        (group_text, {"fill": group_fill}),
        (reason_text, {}),
        (department_label(row.get("lead_department"), lang), {}),
        (names_lines(departments_label(row.get("support_departments"), lang)), {}),
        (None, {}),
        (None, {}),
    ]
    for column, (value, style) in enumerate(values, start=1):
        put(ws, row_no, column, value, **style)
    height = max(lines_estimate(values[c][0], widths[c]) for c in (2, 3, 11, 12, 13, 14))
    ws.row_dimensions[row_no].height = LINE_HEIGHT * height + 4


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
    source_text = sources_text(sources, flags, lang)
    demo = demo or DEMO_LABEL.lower() in source_text.lower()

    wb = Workbook()
    ws = wb.active
    ws.title = text["sheet"]
    headers, widths = ANNEX_HEADERS[lang], ANNEX_WIDTHS
    total_width = sum(widths)

    unit = first_value(flags, "unit", weak.POINTS_UNIT)
    threshold_lines = thresholds.lines(
        index_small_change=first_value(flags, "index_small_change"),
        survey_based=None if first_value(flags, "survey_based") is None else bool(first_value(flags, "survey_based")),
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
    header_row = header_block(ws, lines, len(headers), total_width)
    table_header(ws, header_row, headers, widths)

    row_no = header_row + 1
    if flags.empty:
        put(ws, row_no, 1, text["empty"], alignment=Alignment(wrap_text=True))
        ws.merge_cells(f"A{row_no}:{get_column_letter(len(headers))}{row_no}")
        row_no += 1
    number = 0
    for heading, rows in annex_groups(flags):
        if heading is not None:
            _group_heading(ws, row_no, heading, len(rows), len(headers), lang)
            row_no += 1
        for _, row in rows.iterrows():
            number += 1
            _flag_row(ws, row_no, number, row, widths, index_name, lang)
            row_no += 1

    ws.freeze_panes = f"A{header_row + 1}"
    if not flags.empty:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{row_no - 1}"
    page_setup(ws, header_row, demo, text["footer"])

    if follow_up is not None:
        follow_up_sheet(wb, follow_up, province_name=province_name, index_name=index_name,
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


# -- the CSV ---------------------------------------------------------------------------------
def _csv_number(value) -> str:
    if missing(value):
        return ""
    return np.format_float_positional(float(value), trim="-")


def _csv_integer(value) -> str:
    if missing(value):
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
                names = [] if missing(value) else [n.strip() for n in str(value).split(";") if n.strip()]
                out.append(safe_cell(";".join(names)))
            else:
                out.append("" if missing(value) else safe_cell(str(value)))
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
