"""The annex's second sheet, "Theo dõi" / "Follow-up": how last year's list moved, row by row and
counted by lead department (counts written as numbers, never formulas)."""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment, Font

from analytics import weak
from analytics.annex_layout import (CHANGE_FORMAT, FOLLOW_HEADERS, FOLLOW_WIDTHS, FONT_NAME, LINE_HEIGHT,
                                    SMALL_CHANGE_FORMAT, STATUS_EN, STATUS_FILLS, STATUS_SYMBOLS,
                                    SUMMARY_HEADERS, TEXT, WRAP_CENTER, WRAP_TOP_CENTER, header_block,
                                    in_language, lines_estimate, page_setup, put, reason_labels,
                                    table_header)
from analytics.scores.rules import GROUP_SYMBOLS, GROUPS_EN
from analytics.weak_wording import department_label


def follow_up_sheet(wb, follow: pd.DataFrame, *, province_name: str, index_name: str, year: int,
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
    header_row = header_block(ws, lines, len(headers), sum(widths))
    table_header(ws, header_row, headers, widths)

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
            (in_language(row, "indicator", lang), {}),
            (in_language(row, "parent_indicator", lang), {}),
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
            put(ws, row_no, column, value, **style)
        height = max(lines_estimate(values[c][0], widths[c]) for c in (1, 2, 3, 4))
        ws.row_dimensions[row_no].height = LINE_HEIGHT * height + 4
        row_no += 1
    ws.freeze_panes = f"A{header_row + 1}"

    # Summary by lead department (counts written as numbers; no formulas).
    row_no += 1
    put(ws, row_no, 1, text["summary"], font=Font(name=FONT_NAME, size=12, bold=True), border=False,
         alignment=Alignment(vertical="center"))
    ws.merge_cells(f"A{row_no}:D{row_no}")
    row_no += 1
    summary = weak.follow_up_summary(follow, lang)
    summary_headers = SUMMARY_HEADERS[lang]
    bold = Font(name=FONT_NAME, size=10, bold=True)
    # The department name spans columns B-D of the sheet's grid; counts follow in E-J.
    layout = [2, 5, 6, 7, 8, 9, 10]
    for title, column in zip(summary_headers, layout):
        put(ws, row_no, column, title, font=bold, fill="D9D9D9", alignment=WRAP_CENTER)
    ws.merge_cells(start_row=row_no, start_column=2, end_row=row_no, end_column=4)
    row_no += 1
    statuses = ["improved", "unchanged", "worse", "not_comparable", "no_data"]
    for row in summary.itertuples(index=False):
        put(ws, row_no, 2, department_label(row.lead_department, lang))
        ws.merge_cells(start_row=row_no, start_column=2, end_row=row_no, end_column=4)
        counts = [row.n] + [getattr(row, s) for s in statuses]
        for column, count in zip(layout[1:], counts):
            fill = STATUS_FILLS.get(statuses[layout.index(column) - 2]) if column > 5 and count else None
            put(ws, row_no, column, int(count), number_format="0", alignment=WRAP_CENTER, fill=fill)
        row_no += 1
    if not summary.empty:
        put(ws, row_no, 2, text["total"], font=bold)
        ws.merge_cells(start_row=row_no, start_column=2, end_row=row_no, end_column=4)
        totals = [int(summary["n"].sum())] + [int(summary[s].sum()) for s in statuses]
        for column, count in zip(layout[1:], totals):
            put(ws, row_no, column, count, number_format="0", font=bold, alignment=WRAP_CENTER)
    page_setup(ws, header_row, demo, text["footer"])
