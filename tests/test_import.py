"""Importing workbooks: the official file, realistic variants, bad files, history and rollback.

Every bad file must be refused with a Vietnamese message naming sheet, row and column, and
leave the store exactly as it was (a full dump of scores, batches, history and mappings is
compared before and after).
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt

from analytics.errors import UserError
from analytics.imports import commit_import, prepare_import
from analytics.ingest import parse_value
from analytics.store import EMBEDDED_SOURCES, Store
from analytics.workbook import ReadLimits
from tests.conftest import REPO, shared_file
from tests.workbooks import (bytes_file, dimension_workbook, papi_2016_table, zip_bomb,
                             zip_without_workbook)

OFFICIAL = "PAPI_2011-2016.xlsx"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8")


def dump(path: Path) -> dict[str, pd.DataFrame]:
    with Store.open(path, read_only=True) as store:
        return {table: store._query(f"SELECT * FROM {table} ORDER BY ALL")
                for table in ("scores", "import_batches", "score_history", "column_mappings")}


def assert_same(before: dict, after: dict) -> None:
    for table in before:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    with Store.open(path) as store:
        store.initialise()
    return path


def import_file(db: Path, path: Path, replace=False, **options):
    with Store.open(db) as store:
        prepared = prepare_import(store, path, **options)
        batch = commit_import(store, prepared, imported_by="test", replace_official=replace) if not prepared.plan.errors else None
    return prepared, batch


# -- the official workbook ------------------------------------------------------------------------
def test_official_workbook_reproduces_the_embedded_figures_exactly(tmp_path, built_db):
    fresh = tmp_path / "without_2011_2016.duckdb"
    with Store.open(fresh) as store:
        store.initialise(sources=tuple(s for s in EMBEDDED_SOURCES if s != "papi_2011_2019"))
    result = cli("import", "--db", str(fresh), str(shared_file("papi", OFFICIAL)))
    assert result.returncode == 0, result.stderr
    assert "Đã nhập lô" in result.stderr
    with Store.open(fresh, read_only=True) as imported, Store.open(built_db, read_only=True) as embedded:
        got = imported.scores("PAPI").query("year <= 2016")
        want = embedded.scores("PAPI").query("year <= 2016")
    keys = ["index_code", "year", "era", "province_code", "indicator_code"]
    merged = want.merge(got, on=keys, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["value_x"] == merged["value_y"]).all()
    in_2014 = set(got.query("year == 2014")["province_code"])
    assert len(in_2014) == 61 and not {"24", "87"} & in_2014
    assert set(got["source_id"]) == {"import"}


def test_importing_the_same_file_twice_changes_nothing(db):
    path = shared_file("papi", OFFICIAL)
    before = dump(db)
    first = cli("import", "--db", str(db), str(path))
    assert first.returncode == 0 and "Không có gì thay đổi" in first.stderr  # same figures as embedded
    assert_same(before, dump(db))


def test_dry_run_writes_nothing(db, tmp_path):
    rows = [[1, "Hà Nội", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 34.5, 1]]
    path = dimension_workbook(tmp_path / "one.xlsx", rows, sheet="PAPI 2025", title="PAPI 2025")
    before = dump(db)
    result = cli("import", "--db", str(db), str(path), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "chưa ghi gì" in result.stderr
    assert_same(before, dump(db))


# -- realistic variants ----------------------------------------------------------------------------
def variant_rows(store, spell=lambda name: name, number=lambda v: v):
    table = papi_2016_table(store)
    rows = []
    for i, r in enumerate(table.itertuples(), start=1):
        rows.append([i, spell(r.name)] + [number(getattr(r, c)) for c in ["D1", "D2", "D3", "D4", "D5", "D6", "TOTAL"]] + [i])
    return table, rows


@pytest.mark.parametrize("variant", ["ascii names", "nfd names", "prefixed names", "english names",
                                     "decimal commas", "numbers as text"])
def test_realistic_variants_import_the_same_figures(db, tmp_path, variant):
    with Store.open(db, read_only=True) as store:
        english = store.provinces().query("era == 'legacy'").set_index("name")["name_en"]
        spell = {"ascii names": lambda n: unicodedata.normalize("NFD", n.replace("Đ", "D").replace("đ", "d")).encode("ascii", "ignore").decode(),
                 "nfd names": lambda n: unicodedata.normalize("NFD", n),
                 "prefixed names": lambda n: n if n.startswith("TP.") else f"Tỉnh {n}",
                 "english names": lambda n: english[n]}.get(variant, lambda n: n)
        number = {"decimal commas": lambda v: f"{v:.4f}".replace(".", ","),
                  "numbers as text": lambda v: f"{v:.4f}"}.get(variant, lambda v: round(v, 4))
        table, rows = variant_rows(store, spell, number)
        # Add the summary rows real files carry.
        rows += [[None, "Trung bình", *[None] * 8], [None, "Cả nước", *[None] * 8], [None, "Điểm cao nhất", *[None] * 8]]
    path = dimension_workbook(tmp_path / f"{variant}.xlsx", rows, sheet="Sheet1")
    with Store.open(db, read_only=True) as store:
        prepared = prepare_import(store, path, year=2016)
    plan = prepared.plan
    assert plan.errors == [], [p.describe() for p in plan.errors]
    assert plan.scores["province_code"].nunique() == 63
    got = plan.scores.pivot_table(index="province_code", columns="indicator_code", values="value")
    want = table.set_index("province_code")[got.columns]
    assert ((got - want).abs() < 1e-4).all().all()
    assert len(plan.sheets[0].summary_rows) == 3


def test_merged_group_header_and_missing_province_row(db, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Kết quả"
    ws.append(["CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS) NĂM 2023"])
    ws.append(["TT", "Tỉnh/thành phố", "Chỉ số thành phần", None, None, None, None, "SIPAS"])
    ws.merge_cells("C2:G2")
    ws.append([None, None, "Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức giải quyết công việc",
               "Kết quả dịch vụ", "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị", None])
    ws.append([1, "TP. Hà Nội", "85,1%", 0.842, "86,0%", "83,3%", "80,9%", "83,9%"])
    ws.cell(4, 4).number_format = "0.0%"                                      # Excel percent format
    ws.append([2, "Hà Giang", None, None, None, None, None, None])          # not surveyed
    ws.append([3, "Thua Thien - Hue", 90.15, 91.2, 92.5, 90.1, 88.0, None])  # total missing, not zero
    ws.append([None, "Cả nước", 82, 81, 83, 80, 79, 81])
    path = tmp_path / "sipas.xlsx"
    book.save(path)
    with Store.open(db, read_only=True) as store:
        prepared = prepare_import(store, path)
    plan = prepared.plan
    errors = [p.describe() for p in plan.errors]
    assert errors == [], errors
    sheet = plan.sheets[0]
    assert (sheet.index_code, sheet.year) == ("SIPAS", 2023)
    assert sheet.provinces_without_data == ["Hà Giang"]
    values = plan.scores.set_index(["province_code", "indicator_code"])["value"]
    assert values[("01", "E1")] == pytest.approx(85.1)
    assert values[("01", "E2")] == pytest.approx(84.2)
    assert ("46", "TOTAL") not in values.index and values[("46", "E5")] == pytest.approx(88.0)
    assert prepared.preview.replaced_demo > 0  # SIPAS 2023 demo rows will be replaced


def test_a_2025_file_uses_the_34_provinces(db, tmp_path):
    rows = [[1, "Thành phố Huế", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 4.5, 3.1],
            [2, "Tuyên Quang", 5.0, 5.0, 5.0, 5.0, 6.0, 7.0, 4.0, 2.9]]
    headers_vi = ["STT", "Tỉnh, thành phố", "Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch",
                  "Trách nhiệm giải trình với người dân", "Kiểm soát tham nhũng trong khu vực công",
                  "Thủ tục hành chính công", "Cung ứng dịch vụ công", "Quản trị môi trường", "Quản trị điện tử"]
    path = dimension_workbook(tmp_path / "papi2025.xlsx", rows, sheet="PAPI 2025", title="PAPI 2025",
                              headers_vi=headers_vi, headers_en=False)
    prepared, batch = import_file(db, path)
    assert batch is not None, [p.describe() for p in prepared.plan.errors]
    with Store.open(db, read_only=True) as store:
        stored = store.scores("PAPI", 2025)
    assert set(stored["era"]) == {"2025"} and set(stored["province_code"]) == {"46", "08"}


def test_old_xls_files_are_read(db, tmp_path):
    book = xlwt.Workbook()
    ws = book.add_sheet("PAPI 2016")
    header = ["STT", "Tỉnh", "Tham gia của người dân ở cấp cơ sở", "Chỉ số PAPI (không có trọng số)"]
    for c, text in enumerate(header):
        ws.write(0, c, text)
    ws.write(1, 0, 1), ws.write(1, 1, "Cần Thơ"), ws.write(1, 2, 5.793279647827148), ws.write(1, 3, 39.57212591171265)
    path = tmp_path / "old.xls"
    book.save(str(path))
    with Store.open(db, read_only=True) as store:
        prepared = prepare_import(store, path)
    assert prepared.plan.errors == []
    assert prepared.preview.unchanged == 2 and prepared.preview.added.empty


def test_template_workbook_round_trips(db, tmp_path):
    path = tmp_path / "template.xlsx"
    assert cli("template", "--index", "PAR_INDEX", "--year", "2024", "--out", str(path)).returncode == 0
    book = openpyxl.load_workbook(path)
    ws = book.active
    maxima = [9.5, 11, 13, 10.5, 15, 7.5, 17, 16.5]
    for row in range(4, 4 + 63):
        for offset, maximum in enumerate(maxima):
            ws.cell(row, 4 + offset, round(maximum * 0.9, 2))
        ws.cell(row, 12, round(sum(m * 0.9 for m in maxima), 2))
    book.save(path)
    prepared, batch = import_file(db, path)
    assert batch is not None, [p.describe() for p in prepared.plan.errors]
    with Store.open(db, read_only=True) as store:
        stored = store.scores("PAR_INDEX", 2024)
    assert len(stored) == 63 * 9 and not stored["is_demo"].any()  # demo rows replaced
    assert stored.query("indicator_code == 'TOTAL'")["value"].round(2).eq(90.0).all()


def test_an_unmatched_column_can_be_mapped_and_the_mapping_is_remembered(db, tmp_path):
    headers = ["STT", "Tỉnh", "Điểm tham gia (tự đặt tên)", "Chỉ số PAPI (không có trọng số)"]
    path = dimension_workbook(tmp_path / "custom.xlsx", [[1, "Hà Nội", 5.5, 36.0]], sheet="PAPI 2025",
                              title="PAPI 2025", headers_vi=headers, headers_en=False)
    with Store.open(db, read_only=True) as store:
        prepared = prepare_import(store, path)
    unmatched = prepared.plan.unmatched()
    assert [c.column for c in unmatched] == ["C"]
    assert any(p.column == "C" and "không khớp" in p.message for p in prepared.plan.errors)
    with Store.open(db) as store:
        store.save_mappings([("PAPI", unmatched[0].header_key, "D1")], saved_by="test")
        again = prepare_import(store, path)
    assert again.plan.errors == []
    assert set(again.plan.scores["indicator_code"]) == {"D1", "TOTAL"}
    result = cli("import", "--db", str(db), str(path), "--map", "C=IGNORE", "--dry-run")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("text, expected", [
    ("92,55", 92.55), ("88,5%", 88.5), (" 1.234,5 ", 1234.5), ("1,234.5", 1234.5), ("-", None), ("", None),
    ("n/a", None), (7, 7.0), ("x", None), ("0,5", 0.5)])
def test_parse_value(text, expected):
    assert parse_value(text) == expected


# -- bad files -------------------------------------------------------------------------------------
def official_with(tmp_path, change) -> Path:
    """A copy of the official workbook with one change applied to its 2016 sheet."""
    path = tmp_path / "changed.xlsx"
    book = openpyxl.load_workbook(shared_file("papi", OFFICIAL), data_only=True)  # totals are formulas
    change(book["2016_PAPI"])
    book.save(path)
    return path


def good_rows():
    return [[1, "Hà Nội", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 34.5, 1],
            [2, "Cần Thơ", 5.0, 5.0, 5.0, 5.0, 6.0, 7.0, 33.0, 2]]


def bad_files(tmp_path: Path) -> dict[str, tuple]:
    """name → (a function writing the file, fragments the message must contain)."""
    d = tmp_path
    rows = good_rows
    files = {
        "empty file": (lambda: bytes_file(d / "empty.xlsx", b""), ["Tệp rỗng"]),
        "not a workbook": (lambda: bytes_file(d / "notes.xlsx", "Tỉnh,Điểm\nHà Nội,5".encode()), ["không phải bảng tính"]),
        "pdf renamed": (lambda: bytes_file(d / "report.xls", b"%PDF-1.7 ..."), ["không phải bảng tính"]),
        "zip without workbook": (lambda: zip_without_workbook(d / "archive.xlsx"), ["không phải bảng tính"]),
        "truncated xlsx": (lambda: bytes_file(d / "cut.xlsx", shared_file("papi", OFFICIAL).read_bytes()[:5000]), ["bị hỏng"]),
        "no header": (lambda: dimension_workbook(d / "noheader.xlsx", rows(), headers_vi=["a", "b", "c"], headers_en=False),
                      ["Không tìm thấy dòng tiêu đề", "sheet «PAPI 2016»"]),
        "unknown province": (lambda: dimension_workbook(d / "unknown.xlsx", rows() + [[3, "Tỉnh Xyz", 5, 5, 5, 5, 5, 5, 30, 3]]),
                             ["Không nhận ra tỉnh/thành phố «Tỉnh Xyz»", "dòng 7", "cột B"]),
        "duplicate province": (lambda: dimension_workbook(d / "dup.xlsx", rows() + [[3, "Ha Noi", 5, 5, 5, 5, 5, 5, 30, 3]]),
                               ["Hà Nội xuất hiện hai lần", "dòng 7"]),
        "out of scale": (lambda: dimension_workbook(d / "scale.xlsx", [[1, "Hà Nội", 12.0, 5.2, 5.3, 5.4, 6.5, 7.0, 41.4, 1]]),
                         ["12 nằm ngoài thang điểm", "dòng 5", "cột C"]),
        "text value": (lambda: dimension_workbook(d / "text.xlsx", [[1, "Hà Nội", "năm phẩy một", 5.2, 5.3, 5.4, 6.5, 7.0, 34.5, 1]]),
                       ["không phải số", "dòng 5", "cột C"]),
        "sum mismatch": (lambda: dimension_workbook(d / "sum.xlsx", [[1, "Hà Nội", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 40.0, 1]]),
                         ["Tổng các chỉ số thành phần của TOTAL", "dòng 5", "cột I"]),
        "future year": (lambda: dimension_workbook(d / "future.xlsx", rows(), sheet="PAPI 2031", title="PAPI 2031"),
                        ["Năm 2031 chưa tới"]),
        "no year": (lambda: dimension_workbook(d / "noyear.xlsx", rows(), sheet="Sheet1", title="Bảng điểm"),
                    ["Không xác định được năm"]),
        "legacy name in 2025": (lambda: dimension_workbook(d / "merged.xlsx", [[1, "Hà Giang", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 34.5, 1]],
                                                   sheet="PAPI 2025", title="PAPI 2025"),
                                ["không còn là tỉnh từ 1/7/2025", "Tuyên Quang"]),
        "code and name disagree": (lambda: _code_name_mismatch(d / "mismatch.xlsx"), ["Mã tỉnh 24 là Bắc Giang", "dòng 3"]),
        "changes official figures": (lambda: official_with(d, _nudge_total),
                                     ["thay đổi 1 số liệu chính thức"]),
        "sub-dimension sum broken": (lambda: official_with(d, lambda ws: ws.cell(3, 5, 2.0)),
                                     ["Tổng các chỉ số thành phần của D1", "sheet «2016_PAPI»", "dòng 3"]),
        "formula without value": (lambda: _formula_workbook(d / "formula.xlsx"), ["công thức", "dòng 3", "cột D"]),
        "too many rows": (lambda: _many_rows(d / "rows.xlsx"), ["hơn 5,000 dòng"]),
        "zip bomb": (lambda: zip_bomb(d / "bomb.xlsx", dimension_workbook(d / "small.xlsx", rows())), ["giải nén ra quá lớn"]),
        "million empty rows then data": (lambda: _million_rows(d / "million.xlsx", dimension_workbook(d / "small2.xlsx", rows())),
                                         ["dòng trống liên tiếp", "sheet «PAPI 2016»"]),
    }
    return files


def _nudge_total(ws) -> None:
    """Bạc Liêu's 2016 total (row 64) up by 0.005: within the sum tolerance, but a changed figure."""
    ws.cell(64, 32, ws.cell(64, 32).value + 0.005)


def _code_name_mismatch(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "PAPI 2016"
    ws.append(["tinhid", "tentinh_vie", "Tham gia của người dân ở cấp cơ sở", "Chỉ số PAPI (không có trọng số)"])
    ws.append(["tinhid", "Province", "Participation at Local Levels", "Un-weighted2015PAPI"])
    ws.append([24, "Bắc Ninh", 5.0, 35.0])
    return book.save(path) or path


def _formula_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "PAPI 2016"
    ws.append(["Tỉnh", "Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch", "Chỉ số PAPI (không có trọng số)"])
    ws.append(["Hà Nội", 5.0, 5.0, 35.0])
    ws.append(["Cần Thơ", 5.0, 5.0, "=B3+C3+25"])  # written by a program: no cached value
    return book.save(path) or path


def _many_rows(path: Path) -> Path:
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("PAPI 2016")
    ws.append(["Tỉnh", "Tham gia của người dân ở cấp cơ sở", "Chỉ số PAPI (không có trọng số)"])
    for i in range(6000):
        ws.append(["Hà Nội", 5.0, 35.0])
    return book.save(path) or path


def _million_rows(path: Path, template: Path) -> Path:
    """A million empty formatted rows, then a data row at the very bottom: reading stops long before."""
    import zipfile
    with zipfile.ZipFile(template) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index("<sheetData>") + len("<sheetData>")
    header_end = sheet.index("</row>", sheet.index("</row>", sheet.index("</row>", start) + 1) + 1) + len("</row>")
    padding = "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(5, 1_000_005))
    tail = '<row r="1000005"><c r="B1000005" t="inlineStr"><is><t>Hà Nội</t></is></c><c r="C1000005"><v>5</v></c></row>'
    members["xl/worksheets/sheet1.xml"] = (sheet[:header_end] + padding + tail + "</sheetData>"
                                           + sheet[sheet.index("</sheetData>") + len("</sheetData>"):]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


BAD_NAMES = ["million empty rows then data", "empty file", "not a workbook", "pdf renamed", "zip without workbook", "truncated xlsx", "no header",
             "unknown province", "duplicate province", "out of scale", "text value", "sum mismatch", "future year",
             "no year", "legacy name in 2025", "code and name disagree", "changes official figures",
             "sub-dimension sum broken", "formula without value", "too many rows", "zip bomb"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_file_is_refused_with_a_located_message_and_the_store_unchanged(db, tmp_path, name):
    make, fragments = bad_files(tmp_path)[name]
    path = make()
    before = dump(db)
    result = cli("import", "--db", str(db), str(path))
    assert result.returncode == 2, (name, result.stderr)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (name, fragment, result.stderr)
    assert_same(before, dump(db))


def test_corrections_to_official_figures_need_confirmation_and_show_the_diff(db, tmp_path):
    path = official_with(tmp_path, _nudge_total)
    refused = cli("import", "--db", str(db), str(path))
    assert refused.returncode == 2 and "old_value" in refused.stderr and "33.344005" in refused.stderr
    accepted = cli("import", "--db", str(db), str(path), "--replace")
    assert accepted.returncode == 0, accepted.stderr
    with Store.open(db, read_only=True) as store:
        stored = store.scores("PAPI", 2016).query("indicator_code == 'TOTAL'")
    assert stored.set_index("province_code").loc["95", "value"] == pytest.approx(33.339005 + 0.005)


# -- history and rollback -------------------------------------------------------------------------
def test_rollback_restores_exactly_what_was_there(db, tmp_path):
    before = dump(db)
    _, first = import_file(db, dimension_workbook(tmp_path / "a.xlsx", good_rows(), sheet="PAPI 2016x", title="PAPI 2016"),
                           replace=True)
    assert first is not None
    middle = dump(db)
    assert not middle["scores"].equals(before["scores"])
    result = cli("rollback", str(first), "--db", str(db))
    assert result.returncode == 0, result.stderr
    after = dump(db)
    pd.testing.assert_frame_equal(before["scores"], after["scores"])
    batches = after["import_batches"].set_index("batch_id")
    assert pd.notna(batches.loc[first, "rolled_back_at"])


def test_rollback_of_a_demo_replacing_import_brings_the_demo_rows_back(db, tmp_path):
    before = dump(db)["scores"]
    path = tmp_path / "par.xlsx"
    assert cli("template", "--index", "PAR_INDEX", "--year", "2023", "--out", str(path)).returncode == 0
    book = openpyxl.load_workbook(path)
    ws = book.active
    for col, value in zip(range(4, 13), [9, 9, 13, 10, 14, 6, 14, 14, 89]):
        ws.cell(4, col, value)
    book.save(path)
    _, batch = import_file(db, path)
    with Store.open(db, read_only=True) as store:
        assert len(store.scores("PAR_INDEX", 2023)) == 9  # only Hà Nội; the 63 demo provinces are gone
        store_batch = batch
    assert cli("rollback", str(store_batch), "--db", str(db)).returncode == 0
    pd.testing.assert_frame_equal(before, dump(db)["scores"])


def test_rollback_refuses_when_a_later_import_changed_the_same_figures(db, tmp_path):
    first_file = dimension_workbook(tmp_path / "first.xlsx", good_rows(), sheet="PAPI 2025", title="PAPI 2025")
    rows = good_rows()
    rows[0][2] = 5.9
    rows[0][8] = 35.3
    second_file = dimension_workbook(tmp_path / "second.xlsx", rows, sheet="PAPI 2025", title="PAPI 2025")
    headers = None
    del headers
    _, first = import_file(db, first_file)
    _, second = import_file(db, second_file, replace=True)
    assert first and second
    before = dump(db)
    refused = cli("rollback", str(first), "--db", str(db))
    assert refused.returncode == 2 and f"Hoàn tác lô #{second} trước" in refused.stderr
    assert_same(before, dump(db))
    assert cli("rollback", str(second), "--db", str(db)).returncode == 0
    assert cli("rollback", str(first), "--db", str(db)).returncode == 0
    with Store.open(db, read_only=True) as store:
        assert store.scores("PAPI", 2025).empty


def test_batches_lists_file_sha_and_who(db, tmp_path):
    _, batch = import_file(db, dimension_workbook(tmp_path / "b.xlsx", good_rows(), sheet="PAPI 2025", title="PAPI 2025"))
    listing = cli("batches", "--db", str(db), "--format", "csv")
    assert listing.returncode == 0
    assert "b.xlsx" in listing.stdout and ",test," in listing.stdout


def test_a_huge_file_is_refused_by_size_before_reading(db, tmp_path):
    path = bytes_file(tmp_path / "big.xlsx", b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))
    with Store.open(db, read_only=True) as store:
        with pytest.raises(UserError, match="Tệp quá lớn"):
            prepare_import(store, path, limits=ReadLimits(max_file_bytes=1024 * 1024))
