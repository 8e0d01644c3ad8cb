"""The import page in headless Chromium: an unmatched column is mapped in the page (the editor
used to crash with `unhashable type: 'ColumnMatch'`), the preview shows near-matched names, the
file commits, rollback asks for confirmation, and file content written as markdown
(`![](http://example.invalid/x.png)`) never makes the browser load anything.
"""

from __future__ import annotations

import openpyxl
import pytest

from analytics.store import Store
from tests.test_e2e_workflows import SCREENSHOTS, app, browser, no_exception, page, settled, sign_in  # noqa: F401

IMAGE = "![](http://example.invalid/x.png)"


def sipas_workbook(path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "SIPAS 2023 !(x) _đậm_"
    ws.append(["Kết quả SIPAS 2023 [xem](http://example.invalid/link)"])
    ws.append(["STT", "Tỉnh", "SIPAS 2023", IMAGE, "Thủ tục hành chính", "Công chức", "Kết quả",
               "Góp ý, phản ánh, kiến nghị"])
    ws.append([1, "Nam inh", 81.5, 80.1, 82.0, 83.2, 79.9, 78.4])
    ws.append([2, "DDak Lak", 84.0, 83.1, 85.0, 86.2, 82.9, 80.4])
    ws.append([None, "Giá trị trung bình", 82.7, 81.6, 83.5, 84.7, 81.4, 79.4])
    ws.append(["Nguồn: Bộ Nội vụ, ![](http://example.invalid/note.png)"])
    book.save(path)
    return path


def test_unmatched_column_is_mapped_previewed_and_committed_without_loading_file_content(app, page, tmp_path):
    base_url, db_path = app
    outside = []
    page.on("request", lambda request: outside.append(request.url) if "example.invalid" in request.url else None)
    workbook = sipas_workbook(tmp_path / "sipas_2023.xlsx")
    sign_in(page, base_url)
    page.locator('input[type="file"]').set_input_files(str(workbook))
    page.get_by_text("Cột chưa khớp chỉ số").wait_for()
    settled(page)
    no_exception(page)
    assert page.get_by_text(f"«{IMAGE}»").count() >= 1  # shown as text, not rendered
    assert page.locator('img[src*="example.invalid"], a[href*="example.invalid"]').count() == 0
    page.locator('[data-testid="stForm"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="E1 — Tiếp cận dịch vụ hành chính công").click()
    page.get_by_role("button", name="Áp dụng và ghi nhớ").click()
    page.get_by_text("Cột chưa khớp chỉ số").wait_for(state="detached")
    settled(page)
    no_exception(page)
    page.get_by_text("«Nam inh» → Nam Định, «DDak Lak» → Đắk Lắk").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "import_mapped_preview.png"))
    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()
    page.get_by_text("Đã nhập lô #").wait_for()
    no_exception(page)
    with Store.open(db_path, read_only=True) as store:
        stored = store.scores("SIPAS", 2023).query("not is_demo")
    assert set(stored["province_code"]) == {"36", "66"}
    assert set(stored["indicator_code"]) == {"TOTAL", "E1", "E2", "E3", "E4", "E5"}
    assert outside == [], outside


def test_rollback_asks_for_confirmation(app, page, tmp_path):
    base_url, db_path = app
    with Store.open(db_path, read_only=True) as store:
        batches = store.batches()
    if batches.query("source_id == 'import' and rolled_back_at.isna()").empty:
        pytest.skip("needs the import of the previous test")
    sign_in(page, base_url)
    page.get_by_role("button", name="Hoàn tác", exact=True).click()
    page.get_by_role("button", name="Xác nhận hoàn tác").wait_for()
    with Store.open(db_path, read_only=True) as store:
        assert store.batches()["rolled_back_at"].isna().sum() == batches["rolled_back_at"].isna().sum()
    page.get_by_role("button", name="Xác nhận hoàn tác").click()
    page.get_by_text("Đã hoàn tác lô #").wait_for()
    no_exception(page)
