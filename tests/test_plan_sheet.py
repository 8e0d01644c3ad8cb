"""The plan annex round trip: exported from the plan, filled in Excel (openpyxl here), imported
back with a preview; a bad fill is refused with sheet, row and column and changes nothing. The
print setup: official heading, numbered items, signature block, landscape A4, ≥ 9 pt printed."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from analytics import plan_sheet, plans, weak
from analytics.errors import UserError
from tests.test_cli import run
from tests.test_plans import plan_store  # noqa: F401  (fixture)

QUARTER = "2017Q3"
DEPARTMENTS = plans.department_names(weak.load_default_departments())


def exported(store, plan_id) -> bytes:
    plan = store.plans().set_index("plan_id").loc[plan_id].to_dict() | {"plan_id": plan_id}
    view = plans.item_view(store.plan_items(plan_id), store.plan_statuses(plan_id), QUARTER)
    return plan_sheet.plan_workbook(plan, view, quarter=QUARTER, departments=DEPARTMENTS,
                                    province_name="Hà Nội", index_name="PAPI")


def fill(content: bytes, edits: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[plan_sheet.SHEET]
    for ref, value in edits.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def first_row(content: bytes) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[plan_sheet.SHEET]
    return next(r for r in range(1, 20) if sheet[f"A{r}"].value == "STT") + 1


def test_the_annex_is_print_ready(plan_store):  # noqa: F811
    store, plan_id, _ = plan_store
    book = openpyxl.load_workbook(io.BytesIO(exported(store, plan_id)))
    sheet = book[plan_sheet.SHEET]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert sheet["A1"].value == "Phụ lục"
    assert "(Kèm theo Kế hoạch số 125/KH-UBND ngày 15/5/2017 của Ủy ban nhân dân Hà Nội)" in texts
    assert any("TM. ỦY BAN NHÂN DÂN" in t and "CHỦ TỊCH" in t for t in texts) and any("Nơi nhận" in t for t in texts)
    start = next(r for r in range(1, 20) if sheet[f"A{r}"].value == "STT")
    numbers = [sheet[f"A{r}"].value for r in range(start + 1, start + 11) if isinstance(sheet[f"A{r}"].value, int)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == len(store.plan_items(plan_id))
    assert [sheet.cell(start, c).value for c in range(1, 12)][5:9] == ["Nhiệm vụ, giải pháp", "Cơ quan chủ trì",
                                                                       "Cơ quan phối hợp", "Thời hạn"]
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    sizes = {c.font.sz for row in sheet.iter_rows() for c in row if c.value is not None}
    assert min(sizes) * plan_sheet.PRINT_SCALE >= 9, (sizes, plan_sheet.PRINT_SCALE)
    assert book[plan_sheet.LISTS].sheet_state == "hidden"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_a_filled_annex_comes_back_with_preview_and_one_edit(plan_store):  # noqa: F811
    store, plan_id, _ = plan_store
    content = exported(store, plan_id)
    r = first_row(content)
    filled = fill(content, {f"F{r}": "Niêm yết công khai thu chi ngân sách xã", f"I{r}": datetime(2017, 9, 30),
                            f"J{r}": "Đang thực hiện", f"K{r}": "Đã niêm yết tại 30/30 xã",
                            f"F{r + 1}": "Rà soát danh sách hộ nghèo", f"I{r + 1}": "31/12/2017",
                            f"J{r + 1}": "Hoàn thành", f"H{r + 1}": "Sở Tư pháp\nUBND cấp xã"})
    items = store.plan_items(plan_id)
    changes, problems = plan_sheet.read_plan_fill(filled, items, DEPARTMENTS)
    assert problems == []
    view = plans.item_view(items, store.plan_statuses(plan_id), QUARTER)
    preview = plan_sheet.preview_changes(changes, view)
    assert set(preview["field"]) == {"task", "deadline", "status", "note", "support_departments"}
    edit = store.apply_plan_changes(plan_id, preview, changed_by="lan", source="excel", file_name="filled.xlsx")
    after = plans.item_view(store.plan_items(plan_id), store.plan_statuses(plan_id), QUARTER).set_index("item_no")
    assert after.loc[1, "task"] == "Niêm yết công khai thu chi ngân sách xã"
    assert after.loc[1, "deadline"] == date(2017, 9, 30) and after.loc[1, "status"] == "in_progress"
    assert after.loc[2, "status"] == "done" and after.loc[2, "support_departments"] == "Sở Tư pháp;UBND cấp xã"
    assert (store.plan_changes(plan_id).query("edit_id == @edit")["file_name"] == "filled.xlsx").all()
    store.rollback_plan_edit(edit, "lan")
    assert plans.item_view(store.plan_items(plan_id), store.plan_statuses(plan_id), QUARTER).set_index("item_no").loc[2, "status"] == "not_started"


def test_a_bad_fill_is_refused_with_sheet_row_column_and_changes_nothing(plan_store):  # noqa: F811
    store, plan_id, _ = plan_store
    content = exported(store, plan_id)
    r = first_row(content)
    filled = fill(content, {f"F{r}": "Nhiệm vụ hợp lệ", f"G{r + 1}": "Sở Không Có", f"I{r + 2}": "cuối quý 3",
                            f"J{r + 3}": "Gần xong", f"B{r + 4}": 99999})
    before = store.plan_changes(plan_id)
    changes, problems = plan_sheet.read_plan_fill(filled, store.plan_items(plan_id), DEPARTMENTS)
    where = [(p.sheet, p.row, p.column.split(" ")[0]) for p in problems]
    assert where == [("Phụ lục", r + 1, "G"), ("Phụ lục", r + 2, "I"), ("Phụ lục", r + 3, "J"), ("Phụ lục", r + 4, "B")]
    described = [p.describe() for p in problems]
    assert "«Sở Không Có» không có trong danh mục cơ quan" in described[0]
    assert "«cuối quý 3» không phải là ngày" in described[1] and "dd/mm/yyyy" in described[1]
    assert described[0].startswith(f"sheet «Phụ lục», dòng {r + 1}, cột G")
    assert store.plan_changes(plan_id).equals(before)


def test_a_foreign_workbook_is_refused():
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(UserError, match="không phải phụ lục kế hoạch"):
        plan_sheet.read_plan_fill(out.getvalue(), pd.DataFrame(columns=["item_id"]), DEPARTMENTS)


def test_cli_plan_export_fill_import_and_a_refused_fill(tmp_path):
    db = tmp_path / "c.duckdb"
    run("init", "--db", str(db))
    out = tmp_path / "kh.xlsx"
    made = run("plan", "export", "--db", str(db), "--province", "Hà Nội", "--index", "PAPI", "--year", "2016",
               "--quarter", QUARTER, "--number", "125", "--date", "2017-05-15", "--out", str(out))
    assert "Đã lập kế hoạch" in made.stderr
    content = out.read_bytes()
    r = first_row(content)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(fill(content, {f"G{r}": "Bộ Ngoại giao", f"I{r + 1}": "2017-13-45"}))
    refused = run("plan", "import", "--db", str(db), "--province", "01", "--index", "PAPI", "--year", "2016",
                  "--file", str(bad), check=False)
    assert refused.returncode == 2 and f"dòng {r}, cột G" in refused.stderr and f"dòng {r + 1}, cột I" in refused.stderr
    assert "Kế hoạch không thay đổi" in refused.stderr
    good = tmp_path / "good.xlsx"
    good.write_bytes(fill(content, {f"F{r}": "Công khai ngân sách", f"J{r}": "Hoàn thành"}))
    done = run("plan", "import", "--db", str(db), "--province", "01", "--index", "PAPI", "--year", "2016",
               "--file", str(good), "--user", "lan")
    assert "Đã nhập lần sửa" in done.stderr and "Công khai ngân sách" in done.stderr
    edit = done.stderr.split("lần sửa #")[1].split(":")[0]
    run("plan", "rollback", "--db", str(db), "--edit", edit)
