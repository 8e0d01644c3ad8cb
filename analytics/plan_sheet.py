"""The plan annex as a print-ready workbook the departments fill in Excel, and reading it back.

`plan_workbook` writes sheet "Phụ lục": the official heading ("Phụ lục … (Kèm theo Kế hoạch số
…/KH-UBND ngày … của Ủy ban nhân dân …)"), numbered items (STT), the columns a plan uses (item
code for the round trip, indicator, current standing, tier, task, lead and supporting
departments, deadline, status and progress of the quarter), and a signature block; landscape
A4, Times New Roman 11 pt, column widths that fit the page at ≥ 90 % (≥ 9.9 pt printed). A hidden
sheet "Danh mục" holds the department and status lists the cells' drop-downs use.

`read_plan_fill` reads a filled copy and returns the changes (item_id, field, quarter,
new_value) for `Store.apply_plan_changes`, or the list of problems, each a `UserError` with
sheet, row and column (Vietnamese). Nothing is written here.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analytics import plans
from analytics.annex_layout import FONT_NAME, page_setup as _page_setup, put as _put
from analytics.errors import UserError
from analytics.wording import N_

SHEET = "Phụ lục"
LISTS = "Danh mục"
KIND = "govindex-plan-annex"
COLUMNS = [  # (key, header, width)
    ("item_no", "STT", 4.5), ("item_id", "Mã mục", 6), ("indicator", "Chỉ số thành phần", 22),
    ("standing", "Hiện trạng (điểm; hạng; nhóm)", 13), ("tier", "Mức", 8),
    ("task", "Nhiệm vụ, giải pháp", 28), ("lead_department", "Cơ quan chủ trì", 15),
    ("support_departments", "Cơ quan phối hợp", 16), ("deadline", "Thời hạn", 10),
    ("status", "Tình trạng {quarter}", 12), ("note", "Kết quả thực hiện {quarter}", 18),
]
KEYS = [key for key, _, _ in COLUMNS]
LETTER = {key: get_column_letter(i) for i, key in enumerate(KEYS, start=1)}
BODY_SIZE = 11
DATE_FORMAT = "DD/MM/YYYY"


def _width_points(widths) -> float:
    """Printed width of columns in points (Excel: width w ≈ 7w + 5 pixels, 0.75 pt a pixel)."""
    return sum((7 * w + 5) * 0.75 for w in widths)


PRINTABLE_POINTS = (11.69 - 0.8) * 72  # A4 landscape less 0.4 in margins each side
PRINT_SCALE = min(1.0, PRINTABLE_POINTS / _width_points(w for _, _, w in COLUMNS))


def _standing(row) -> str:
    parts = []
    if not pd.isna(row.get("baseline_value")):
        parts.append(f"{float(row['baseline_value']):.2f}".replace(".", ","))
    if not pd.isna(row.get("baseline_rank")):
        parts.append(f"hạng {int(row['baseline_rank'])}")
    return "; ".join(parts)


def _heading(ws, plan, province_name: str, index_name: str, year: int, quarter: str) -> int:
    last = get_column_letter(len(COLUMNS))
    lines = [
        ("Phụ lục", Font(name=FONT_NAME, size=13, bold=True)),
        (f"NHIỆM VỤ CẢI THIỆN CHỈ SỐ {index_name.upper()} NĂM {year}", Font(name=FONT_NAME, size=13, bold=True)),
        (plans.plan_heading(plan, province_name), Font(name=FONT_NAME, size=12, italic=True)),
        (f"Tình trạng và kết quả thực hiện: {plans.quarter_label(quarter)}", Font(name=FONT_NAME, size=BODY_SIZE)),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        _put(ws, row, 1, text, font=font, border=False,
             alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 20
    return len(lines) + 2


def _signature(ws, row: int) -> None:
    left, right = f"A{row}:E{row + 5}", f"H{row}:{get_column_letter(len(COLUMNS))}{row + 5}"
    _put(ws, row, 1, "Nơi nhận:\n- Các sở, ban, ngành (chủ trì, phối hợp);\n- Sở Nội vụ (tổng hợp);\n- Lưu: VT.",
         font=Font(name=FONT_NAME, size=10, italic=True), border=False)
    _put(ws, row, 8, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\n\n(Ký, ghi rõ họ tên và đóng dấu)",
         font=Font(name=FONT_NAME, size=BODY_SIZE, bold=True), border=False,
         alignment=Alignment(horizontal="center", vertical="top", wrap_text=True))
    ws.merge_cells(left)
    ws.merge_cells(right)


def _lists_sheet(wb, departments: list[str]) -> None:
    ws = wb.create_sheet(LISTS)
    for i, name in enumerate(departments, start=1):
        ws.cell(row=i, column=1, value=name)
    for i, label in enumerate(plans.STATUSES.values(), start=1):
        ws.cell(row=i, column=2, value=label)
    ws.sheet_state = "hidden"


def _validations(ws, first: int, last: int, n_departments: int) -> None:
    lead = DataValidation(type="list", formula1=f"='{LISTS}'!$A$1:$A${max(n_departments, 1)}", allow_blank=True)
    status = DataValidation(type="list", formula1=f"='{LISTS}'!$B$1:$B${len(plans.STATUSES)}", allow_blank=True)
    deadline = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                              error="Nhập ngày dạng dd/mm/yyyy.")
    for check, key in ((lead, "lead_department"), (status, "status"), (deadline, "deadline")):
        check.add(f"{LETTER[key]}{first}:{LETTER[key]}{last}")
        ws.add_data_validation(check)


def plan_workbook(plan: dict, view: pd.DataFrame, *, quarter: str, departments: list[str],
                  province_name: str, index_name: str) -> bytes:
    """The annex of a plan as .xlsx bytes; `view` is `plans.item_view(...)` for `quarter`."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header_row = _heading(ws, plan, province_name, index_name, int(plan["year"]), quarter)
    label = plans.quarter_label(quarter)
    bold = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
    for column, (key, title, width) in enumerate(COLUMNS, start=1):
        _put(ws, header_row, column, title.format(quarter=label), font=bold, fill="D9D9D9",
             alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[header_row].height = 45
    ordered = view.sort_values("item_no").reset_index(drop=True)
    body = Font(name=FONT_NAME, size=BODY_SIZE)
    for i, row in ordered.iterrows():
        r = header_row + 1 + i
        values = {"item_no": i + 1, "item_id": int(row["item_id"]), "indicator": row["indicator"],
                  "standing": _standing(row), "tier": plans_tier(row.get("tier")), "task": row.get("task"),
                  "lead_department": row.get("lead_department"),
                  "support_departments": "\n".join(plans.split_departments(row.get("support_departments"))),
                  "deadline": row.get("deadline") if isinstance(row.get("deadline"), date) else None,
                  "status": plans.STATUSES.get(row.get("status")), "note": row.get("note")}
        for column, key in enumerate(KEYS, start=1):
            _put(ws, r, column, values[key], font=body,
                 number_format=DATE_FORMAT if key == "deadline" else None)
        ws.row_dimensions[r].height = 15 * max(2, len(str(values["indicator"] or "")) // 26 + 1,
                                               len(str(values["task"] or "")) // 32 + 1)
    last = header_row + max(len(ordered), 1)
    names = list(departments)
    _lists_sheet(wb, names)
    _validations(ws, header_row + 1, last, len(names))
    _signature(ws, last + 2)
    ws.freeze_panes = f"A{header_row + 1}"
    _page_setup(ws, header_row, False, "Trang &P/&N")
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.properties.title = f"Phụ lục kế hoạch {index_name} {plan['year']} — {province_name}"
    wb.properties.description = json.dumps({"kind": KIND, "plan_id": int(plan["plan_id"]), "quarter": quarter,
                                             "header_row": header_row}, ensure_ascii=False)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plans_tier(code) -> str | None:
    return {"priority": "Ưu tiên", "watch": "Theo dõi", "keep": "Duy trì"}.get(code) if isinstance(code, str) else None


# -- reading a filled copy -------------------------------------------------------------------
def _meta(wb) -> dict:
    try:
        meta = json.loads(wb.properties.description or "{}")
    except ValueError:
        meta = {}
    if meta.get("kind") != KIND or SHEET not in wb.sheetnames:
        raise UserError.keyed("err_not_plan_annex", hint_key=N_("hint_download_annex"))
    return meta


def _date(value, where: dict) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    parsed = pd.to_datetime(str(value).strip(), format="%d/%m/%Y", errors="coerce")
    if pd.isna(parsed):
        raise UserError.keyed("err_not_a_date", hint_key=N_("hint_date_format"), value=value, **where)
    return parsed.date().isoformat()


def _cell_values(ws, r: int, departments: set[str], where) -> dict:
    """The fillable values of row `r` (task, departments, deadline, status, note), checked."""
    get = {key: ws[f"{LETTER[key]}{r}"].value for key in KEYS}
    out = {"task": get["task"], "note": get["note"], "deadline": _date(get["deadline"], where("deadline"))}
    lead = str(get["lead_department"] or "").strip()
    if lead and lead not in departments:
        raise UserError.keyed("err_unknown_department", hint_key=N_("hint_pick_from_list"), department=lead,
                              **where("lead_department"))
    out["lead_department"] = lead or None
    support = plans.split_departments(get["support_departments"])
    unknown = [name for name in support if name not in departments]
    if unknown:
        raise UserError.keyed("err_unknown_support_department", hint_key=N_("hint_one_department_per_line"),
                              department=unknown[0], **where("support_departments"))
    out["support_departments"] = ";".join(support) or None
    status = str(get["status"] or "").strip()
    codes = {label.lower(): code for code, label in plans.STATUSES.items()}
    if status and status.lower() not in codes:
        raise UserError.keyed("err_bad_status", hint_key=N_("hint_status_choices"), status=status,
                              choices=", ".join(plans.STATUSES.values()), **where("status"))
    out["status"] = codes.get(status.lower()) if status else None
    return out


def read_plan_fill(content: bytes, items: pd.DataFrame, departments: list[str]) -> tuple[pd.DataFrame, list[UserError]]:
    """The changes a filled annex asks for, against the plan's current `items`, and the problems.

    Changes: item_id, item_no, indicator, field, quarter, new_value (every fillable value read;
    `Store.apply_plan_changes` skips those equal to the stored value). A blank cell changes
    nothing. With any problem, use none of the changes."""
    try:
        wb = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as error:  # not a workbook at all
        raise UserError.keyed("err_excel_unreadable", error=str(error)) from error
    meta = _meta(wb)
    ws, quarter, first = wb[SHEET], meta["quarter"], int(meta["header_row"]) + 1
    known = {int(i): row for i, row in zip(items["item_id"], items.to_dict("records"))}
    names, records, problems = set(departments), [], []
    for r in range(first, ws.max_row + 1):
        raw = ws[f"{LETTER['item_id']}{r}"].value
        if raw is None:
            break

        def where(key, r=r):
            return {"sheet": SHEET, "row": r, "column": f"{LETTER[key]} ({dict((k, h) for k, h, _ in COLUMNS)[key].format(quarter='').strip()})"}
        try:
            item_id = int(raw)
            if item_id not in known:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(UserError.keyed("err_item_not_in_plan", hint_key=N_("hint_keep_item_ids"), item=raw,
                                            **where("item_id")))
            continue
        try:
            values = _cell_values(ws, r, names, where)
        except UserError as problem:
            problems.append(problem)
            continue
        for field, value in values.items():
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            records.append({"item_id": item_id, "item_no": known[item_id]["item_no"],
                            "indicator": known[item_id]["indicator"], "field": field,
                            "quarter": quarter if field in ("status", "note") else None,
                            "new_value": value.strip() if isinstance(value, str) else value})
    changes = pd.DataFrame(records, columns=["item_id", "item_no", "indicator", "field", "quarter", "new_value"])
    return changes, problems


def preview_changes(changes: pd.DataFrame, view: pd.DataFrame) -> pd.DataFrame:
    """The changes that differ from `view` (item_view of the same quarter), with the value before."""
    current = view.set_index("item_id")
    rows = []
    for c in changes.itertuples(index=False):
        before = current.at[c.item_id, c.field] if c.field in current.columns else None
        if isinstance(before, date):
            before = before.isoformat()
        if (None if before is None or (not isinstance(before, str) and pd.isna(before)) else str(before)) != str(c.new_value):
            rows.append({**c._asdict(), "old_value": before})
    return pd.DataFrame(rows, columns=[*changes.columns, "old_value"])
