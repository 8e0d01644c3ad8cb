"""Reports ready to send: the quarterly progress report (.docx) and the one-page leader brief
(PDF, DejaVu Sans embedded), opened and read; the brief's first page is saved as PNG under
test-artifacts/ for people to look at. And the Kế hoạch / Sở ngành pages on a filled plan."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pandas as pd
import pypdfium2 as pdfium
from docx import Document

from analytics import brief_pdf, plans, reports_docx
from analytics.registry import load_provinces
from tests.conftest import REPO
from tests.test_cli import run
from tests.test_pages import app  # noqa: F401  (fixture)
from tests.test_plans import change, plan_store  # noqa: F401  (fixture)

ARTIFACTS = REPO / "test-artifacts"


def pdf_text(content: bytes) -> tuple[int, str]:
    doc = pdfium.PdfDocument(content)
    return len(doc), unicodedata.normalize("NFC", doc[0].get_textpage().get_text_range())


def test_the_brief_is_one_page_with_the_figures_and_diacritics(real):
    table, indices, _ = real
    facts = brief_pdf.brief_facts(table, indices, "legacy:01")
    papi = facts["headline"][0]
    assert papi["index"] == "PAPI" and int(papi["year"]) == 2024 and len(facts["strongest"]) == 3
    content = brief_pdf.brief_pdf(facts, province_name="Hà Nội", quarter="2026Q3", today=date(2026, 11, 29))
    pages, text = pdf_text(content)
    assert pages == 1 and content.count(b"/FontFile2") >= 1 and b"DejaVu" in content
    assert "BẢN TÓM TẮT CHỈ SỐ QUẢN TRỊ — HÀ NỘI" in text
    assert f"{int(papi['rank'])}/{int(papi['n_ranked'])}" in text
    assert f"{papi['value']:.2f}".replace(".", ",") in text
    assert "Ba lĩnh vực mạnh nhất" in text and "Ba lĩnh vực yếu nhất" in text and "Quý III/2026" in text
    assert "Dữ liệu minh họa" in text  # PAR INDEX and SIPAS are demo data
    ARTIFACTS.mkdir(exist_ok=True)
    image = pdfium.PdfDocument(content)[0].render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "brief_ha_noi.png")
    assert image.size[0] > 800 and len(set(image.convert("L").getdata())) > 20  # not blank


def test_the_quarterly_report_carries_departments_and_movement(plan_store):  # noqa: F811
    store, plan_id, table = plan_store
    items = store.plan_items(plan_id)
    first, second = (int(i) for i in items.sort_values("item_no")["item_id"].iloc[:2])
    store.apply_plan_changes(plan_id, pd.concat([change(first, "task", "Công khai thu chi ngân sách xã"),
                                                 change(first, "status", "done", "2017Q3"),
                                                 change(second, "deadline", "2017-06-30")]), changed_by="lan")
    view = plans.item_movement(plans.item_view(store.plan_items(plan_id), store.plan_statuses(plan_id), "2017Q3"),
                               table, store.indices(), load_provinces())
    content = reports_docx.quarterly_report(view, store.plans(), province_name="Hà Nội", quarter="2017Q3",
                                            index_names={"PAPI": "PAPI"}, today=date(2017, 10, 5))
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "BÁO CÁO" in text and "Quý III/2017" in text and "Kính gửi: Ủy ban nhân dân Hà Nội." in text
    assert "Kế hoạch số 125/KH-UBND ngày 15/5/2017" in text
    assert "Sở Tài chính" in text and "hoàn thành 1" in text
    assert "Công khai thu chi ngân sách xã" in cells and "● Hoàn thành" in cells
    assert "Nhiệm vụ quá hạn đề nghị kiểm tra lại" in text and "⚠ Quá hạn" in cells
    assert "Hà Nội, ngày 5 tháng 10 năm 2017" in cells and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "III. BIẾN ĐỘNG CÁC CHỈ SỐ" in text


def test_cli_brief_and_report(tmp_path):
    db = tmp_path / "r.duckdb"
    run("init", "--db", str(db))
    run("plan", "export", "--db", str(db), "--province", "Hà Nội", "--index", "PAPI", "--year", "2020",
        "--quarter", "2021Q4", "--out", str(tmp_path / "kh.xlsx"))
    report = tmp_path / "bc.docx"
    run("report", "--db", str(db), "--province", "Hà Nội", "--quarter", "2021Q4", "--out", str(report))
    cells = "\n".join(c.text for t in Document(report).tables for r in t.rows for c in r.cells)
    assert "PAPI 2020" in cells and "(2024)" in cells  # movement against the latest results
    assert any(word in cells for word in ("▲ Cải thiện", "● Giữ nguyên", "▼ Xấu đi"))
    brief = tmp_path / "tt.pdf"
    made = run("brief", "--db", str(db), "--province", "Ha Noi", "--out", str(brief))
    assert "PAPI 2024" in made.stderr
    pages, text = pdf_text(brief.read_bytes())
    assert pages == 1 and "HÀ NỘI" in text and "3 nhiệm vụ" in text
    older = run("brief", "--db", str(db), "--province", "01", "--year", "2016", "--out", str(brief))
    assert "PAPI 2016" in older.stderr
    bad = run("report", "--db", str(db), "--province", "Hà Nội", "--quarter", "Q3", "--out", str(report), check=False)
    assert bad.returncode == 2 and "2026Q3" in bad.stderr


def item_tables(at) -> pd.DataFrame:
    """The per-department item tables of the Kế hoạch page (not the summary, editor or log)."""
    return pd.concat([d.value for d in at.dataframe if "Mức" in d.value.columns and "Tình trạng" in d.value.columns])


def test_plan_page_shows_imported_tasks_and_statuses(plan_store, app, monkeypatch):  # noqa: F811
    store, plan_id, _ = plan_store
    first = int(store.plan_items(plan_id).sort_values("item_no")["item_id"].iloc[0])
    quarter = plans.quarter_of(date.today())
    store.apply_plan_changes(plan_id, pd.concat([change(first, "task", "Niêm yết ngân sách xã"),
                                                 change(first, "status", "in_progress", quarter)]),
                             changed_by="lan", source="excel")
    store.close()
    monkeypatch.setenv("GOVINDEX_DB", str(store.path))
    at = app("ke_hoach", province="01", index="PAPI", year="2016")
    assert at.title[0].value == "Kế hoạch cải thiện: Hà Nội, PAPI 2016"
    shown = item_tables(at)
    assert "Niêm yết ngân sách xã" in set(shown["Nhiệm vụ, giải pháp"])
    assert "◐ Đang thực hiện" in set(shown["Tình trạng"])
    assert len(shown) <= 10 and set(shown["Mức"]) == {"Ưu tiên"}
    assert any("Kế hoạch số 125/KH-UBND" in c.value for c in at.caption)
    at.multiselect(key="plan_f_status").set_value(["in_progress"]).run()
    assert len(item_tables(at)) == 1
    dept = app("so_nganh", province="01")
    assert dept.title[0].value.startswith("Nhiệm vụ của Sở Nội vụ")
    assert len(dept.dataframe[0].value) >= 1


def test_plan_rollback_asks_first_and_a_save_is_confirmed_by_a_toast(plan_store, app, monkeypatch):  # noqa: F811
    """AppTest loses a button click to the page's first rerun, so the pending rollback and the
    saved message are put in the session as the clicks would (the browser path is the same code)."""
    store, plan_id, _ = plan_store
    first = int(store.plan_items(plan_id).sort_values("item_no")["item_id"].iloc[0])
    edit = store.apply_plan_changes(plan_id, change(first, "task", "Rà soát hộ nghèo"), changed_by="lan", source="excel")
    store.close()
    monkeypatch.setenv("GOVINDEX_DB", str(store.path))
    at = app("ke_hoach", province="01", index="PAPI", year="2016")
    at.session_state["plan_rollback_pending"] = edit
    at.run()
    assert any(f"Hoàn tác lần sửa #{edit}?" in w.value for w in at.warning)  # asked, nothing undone yet
    assert "Rà soát hộ nghèo" in set(item_tables(at)["Nhiệm vụ, giải pháp"])
    assert at.button(key="plan_rollback_yes") and at.button(key="plan_rollback_no")
    at.session_state["_saved_message"] = f"Đã hoàn tác lần sửa #{edit}."
    at.run()
    assert [toast.value for toast in at.toast] == [f"Đã hoàn tác lần sửa #{edit}."]
