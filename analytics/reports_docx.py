"""The quarterly progress report (báo cáo định kỳ hàng quý) of a province's improvement plans, as
.docx (python-docx), in Vietnamese, ready to send: administrative heading, per lead department
what was done and what is late, the overdue items to re-inspect, and the movement of each
indicator since the plan's year when later results exist.

Input is `plans.item_movement(plans.item_view(...))` of every item of the province's plans for
the quarter; nothing here reads the store.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from analytics import plans

FONT = "Times New Roman"


def _paragraph(doc, text: str, *, bold=False, italic=False, size=13, align=None, space_after=4):
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    if align is not None:
        para.alignment = align
    para.paragraph_format.space_after = Pt(space_after)
    return para


def _table(doc, headers: list[str], rows: list[list], widths: list[float]):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size, run.font.name = True, Pt(11), FONT
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = ""
            run = cell.paragraphs[0].add_run("" if value is None or (not isinstance(value, str) and pd.isna(value))
                                             else str(value))
            run.font.size, run.font.name = Pt(11), FONT
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
    doc.add_paragraph()
    return table


def _heading_block(doc, province_name: str, today: date) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text, right.text = "", ""
    for cell, lines in ((left, [(f"UBND {province_name.upper()}", False), ("SỞ NỘI VỤ", True), ("Số: …/BC-SNV", False)]),
                        (right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True),
                                 (f"{province_name}, ngày {today.day} tháng {today.month} năm {today.year}", False)])):
        for i, (text, bold) in enumerate(lines):
            para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = para.add_run(text)
            run.bold, run.font.size, run.font.name, run.italic = bold, Pt(12), FONT, i == 2 and cell is right
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph()


def _fmt(value, signed: bool = False) -> str:
    """A number with a decimal comma (1,58; +0,12 with `signed`); '' when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return (f"{float(value):+.2f}" if signed else f"{float(value):.2f}").replace(".", ",")


def _plan_name(row, index_names: dict) -> str:
    return f"{index_names.get(row['index_code'], row['index_code'])} {int(row['year'])}"


def _department_section(doc, department: str, rows: pd.DataFrame, index_names: dict, n: int) -> None:
    counts = rows["status"].value_counts()
    _paragraph(doc, f"{n}. {department}", bold=True)
    _paragraph(doc, (f"Chủ trì {len(rows)} nhiệm vụ: hoàn thành {int(counts.get('done', 0))}; đang thực hiện "
                     f"{int(counts.get('in_progress', 0))}; chưa bắt đầu {int(counts.get('not_started', 0))}; "
                     f"quá hạn {int(rows['overdue'].sum())}."))
    body = [[i + 1, _plan_name(r, index_names), r["indicator"], r.get("task") or "(chưa giao nhiệm vụ)",
             r["deadline"].strftime("%d/%m/%Y") if isinstance(r["deadline"], date) else "",
             ("⚠ " if r["overdue"] and r["status"] != "overdue" else "") + r["status_text"], r.get("note")]
            for i, (_, r) in enumerate(rows.iterrows())]
    _table(doc, ["STT", "Chỉ số", "Chỉ số thành phần", "Nhiệm vụ, giải pháp", "Thời hạn", "Tình trạng",
                 "Kết quả thực hiện"], body, [1, 2.2, 5, 7, 2.3, 3, 6])


def _movement_section(doc, moved: pd.DataFrame, index_names: dict) -> None:
    with_results = moved[moved["movement"].notna()]
    _paragraph(doc, "III. BIẾN ĐỘNG CÁC CHỈ SỐ SAU KHI THỰC HIỆN KẾ HOẠCH", bold=True)
    if with_results.empty:
        _paragraph(doc, "Chưa có kết quả chỉ số của năm sau năm kế hoạch.", italic=True)
        return
    _paragraph(doc, ("So sánh điểm năm của kế hoạch với kết quả mới nhất; «Giữ nguyên» khi thay đổi nằm trong "
                     "ngưỡng sai số khảo sát."), italic=True, size=12)
    body = [[i + 1, _plan_name(r, index_names), r["indicator"], r["lead_department"], _fmt(r["baseline_value"]),
             f"{_fmt(r['later_value'])} ({int(r['later_year'])})" if not pd.isna(r["later_value"]) else "",
             _fmt(r["change"], signed=True), r["movement_text"]]
            for i, (_, r) in enumerate(with_results.iterrows())]
    _table(doc, ["STT", "Chỉ số", "Chỉ số thành phần", "Cơ quan chủ trì", "Điểm năm kế hoạch", "Điểm mới nhất",
                 "Tăng/giảm", "Kết quả"], body, [1, 2.2, 5, 4, 2.3, 2.8, 2, 3])
    summary = plans.movement_summary(with_results)
    _table(doc, ["Cơ quan chủ trì", "Số chỉ số", "Cải thiện", "Giữ nguyên", "Xấu đi"],
           summary.values.tolist(), [7, 2.5, 2.5, 2.5, 2.5])


def quarterly_report(moved: pd.DataFrame, plan_rows: pd.DataFrame, *, province_name: str, quarter: str,
                     index_names: dict, today: date | None = None) -> bytes:
    """The report as .docx bytes. `moved`: the items' quarter view with movement; `plan_rows`:
    the plans (number, date, index, year)."""
    today = today or date.today()
    doc = Document()
    section = doc.sections[0]
    section.orientation, section.page_width, section.page_height = WD_ORIENT.LANDSCAPE, Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = FONT, Pt(13)
    _heading_block(doc, province_name, today)
    _paragraph(doc, "BÁO CÁO", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _paragraph(doc, f"Kết quả thực hiện các kế hoạch cải thiện, nâng cao chỉ số {plans.quarter_label(quarter)}",
               bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, f"Kính gửi: Ủy ban nhân dân {province_name}.", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "I. TÌNH HÌNH THỰC HIỆN CHUNG", bold=True)
    for _, plan in plan_rows.iterrows():
        rows = moved[moved["plan_id"] == plan["plan_id"]]
        _paragraph(doc, (f"- {plans.plan_reference(plan)}: {_plan_name(plan, index_names)}, "
                         f"{len(rows)} nhiệm vụ; hoàn thành {int((rows['status'] == 'done').sum())}; "
                         f"quá hạn {int(rows['overdue'].sum())}."))
    _paragraph(doc, "II. KẾT QUẢ THEO CƠ QUAN CHỦ TRÌ", bold=True)
    for n, (department, rows) in enumerate(moved.groupby("lead_department", sort=True), start=1):
        _department_section(doc, department, rows, index_names, n)
    late = moved[moved["overdue"]]
    if not late.empty:
        _paragraph(doc, "Nhiệm vụ quá hạn đề nghị kiểm tra lại: " + "; ".join(
            f"{r['indicator']} ({r['lead_department']})" for _, r in late.iterrows()) + ".", italic=True)
    _movement_section(doc, moved, index_names)
    _paragraph(doc, "GIÁM ĐỐC", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=48)
    _paragraph(doc, "(Ký, ghi rõ họ tên)", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.core_properties.title = f"Báo cáo {plans.quarter_label(quarter)} — {province_name}"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
