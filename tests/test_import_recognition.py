"""Recognition by meaning (issue 9 "Why" cases): summary rows by family, short and numbered
headers, totals named by the index alone, near-matched province names, derived totals,
re-import precision and columns that repeat another indicator's stored figures."""

from __future__ import annotations

import openpyxl
import pytest

from analytics.headers import THRESHOLD, HeaderCatalog
from analytics.imports import commit_import, prepare_import
from analytics.names import ProvinceFinder
from analytics.registry import load_catalog, load_provinces
from analytics.store import Store
from tests.test_import import assert_same, db, dump  # noqa: F401 (db: a fresh store per test)


def workbook(path, title, headers, rows, sheet="Sheet1"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def prepared(db, path, **options):
    with Store.open(db, read_only=True) as store:
        return prepare_import(store, path, **options)


@pytest.mark.parametrize("header, code", [
    ("SIPAS 2023", "TOTAL"), ("Công chức", "E3"), ("Thủ tục hành chính", "E2"), ("Tiếp cận dịch vụ (%)", "E1"),
    ("Góp ý, phản ánh, kiến nghị", "E5")])
def test_sipas_headers_by_meaning(header, code):
    assert HeaderCatalog(load_catalog(), "SIPAS", 2023).guess(header).code == code


@pytest.mark.parametrize("header, code", [
    ("Tổng điểm PAPI 2025", "TOTAL"), ("PAPI 2025 (unweighted)", "TOTAL"), ("Chỉ số PAPI (không có trọng số)", "TOTAL"),
    ("Chỉ số nội dung 3", "D3"), ("Dimension 7: Environmental Governance", "D7"), ("1.1: Tri thức công dân", "D1_CIVIC_KNOWLEDGE"),
    ("Quản trị điện tử (điểm)", "D8"), ("Chỉ số PAPI 2025 (có trọng số)", None), ("PAPI 95% CI Low", None),
    ("Điểm tham gia (tự đặt tên)", None), ("Xếp hạng", None)])
def test_papi_headers_by_meaning(header, code):
    guess = HeaderCatalog(load_catalog(), "PAPI", 2025).guess(header)
    assert (guess.code if guess.accepted else None) == code, guess


def test_a_label_from_another_year_is_filed_by_its_number_with_a_note():
    guess = HeaderCatalog(load_catalog(), "PAPI", 2016).guess("2.1: Tiếp cận thông tin")
    assert guess.code == "D2_POVERTY_LISTS" and "2.1" in guess.note and guess.confidence >= THRESHOLD


def test_an_ambiguous_short_header_is_a_question_not_a_guess():
    guess = HeaderCatalog(load_catalog(), "SIPAS", 2023).guess("Kết quả")
    assert not guess.accepted and {"E4", "POLICY_IMPACT"} <= set(guess.candidates)


@pytest.mark.parametrize("label, province", [("Nam inh", "Nam Định"), ("DDak Lak", "Đắk Lắk"), ("Ha Nol", "Hà Nội"),
                                             ("Quang Nan", "Quảng Nam")])
def test_near_province_names(label, province):
    assert ProvinceFinder(load_provinces(), "legacy").near(label).match.name == province


@pytest.mark.parametrize("label", ["Giá trị trung bình", "Bình quân", "Trung vị", "Toàn quốc", "Vùng Tây Nguyên",
                                   "Đồng bằng sông Cửu Long", "Average", "Cả nước", "Điểm cao nhất"])
def test_summary_rows_by_family(label):
    finder = ProvinceFinder(load_provinces(), "legacy")
    assert finder.is_summary(label) and finder.find(label) is None


def test_sipas_table_of_the_ministry_imports_without_hints(db, tmp_path):
    path = workbook(tmp_path / "sipas.xlsx", "KẾT QUẢ CHỈ SỐ SIPAS NĂM 2023",
                    ["STT", "Tỉnh, thành phố", "Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức", "Kết quả",
                     "Góp ý, phản ánh, kiến nghị", "SIPAS 2023"],
                    [[1, "Hà Nội", 81.5, 80.1, 82.0, 83.2, 79.9, 81.3], [2, "Nam inh", 84.0, 83.1, 85.0, 86.2, 82.9, 84.2],
                     [3, "DDak Lak", 84.0, 83.1, 85.0, 86.2, 82.9, 84.2],
                     [None, "Giá trị trung bình", 83.2, 82.1, 84.0, 85.2, 81.9, 83.2],
                     [None, "Bình quân vùng Đồng bằng sông Hồng", 83.2, 82.1, 84.0, 85.2, 81.9, 83.2],
                     [None, "Trung vị", 83.2, 82.1, 84.0, 85.2, 81.9, 83.2],
                     [None, "Nguồn: Bộ Nội vụ, Báo cáo Chỉ số SIPAS 2023 (tháng 4/2024)."]])
    result = prepared(db, path)
    plan = result.plan
    assert plan.errors == [], [p.describe() for p in plan.errors]
    sheet = plan.sheets[0]
    assert (sheet.index_code, sheet.year) == ("SIPAS", 2023) and len(sheet.summary_rows) == 3
    assert sheet.near_matches == [("Nam inh", "Nam Định"), ("DDak Lak", "Đắk Lắk")]
    warnings = [p for p in plan.problems if p.severity == "warning"]
    assert {(p.row, p.column) for p in warnings} == {(4, "B"), (5, "B")}
    assert set(plan.scores["indicator_code"]) == {"E1", "E2", "E3", "E4", "E5", "TOTAL"}  # "Kết quả" by context


def test_an_ambiguous_province_name_is_an_error_naming_the_candidates(db, tmp_path):
    path = workbook(tmp_path / "amb.xlsx", "SIPAS 2023", ["Tỉnh", "SIPAS 2023"], [["Hao Giang", 80.0]])
    messages = [p.describe() for p in prepared(db, path).plan.errors]
    assert any("gần giống nhiều tỉnh" in m and "Hà Giang" in m and "Hậu Giang" in m for m in messages), messages


def test_papi_2025_file_without_total_derives_it_and_marks_it(db, tmp_path):
    headers = ["Tỉnh", "Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch", "Trách nhiệm giải trình với người dân",
               "Kiểm soát tham nhũng trong khu vực công", "Thủ tục hành chính công", "Cung ứng dịch vụ công",
               "Quản trị môi trường", "Quản trị điện tử"]
    rows = [["Thành phố Huế", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 4.5, 3.1], ["11", 5.0, 5.0, 5.0, 5.0, 6.0, 7.0, 4.0, 2.9],
            ["Tuyên Quang", 5.0, 5.0, 5.0, 5.0, 6.0, 7.0, 4.0, None]]
    path = workbook(tmp_path / "papi2025.xlsx", "PAPI 2025", headers, rows, sheet="PAPI 2025")
    result = prepared(db, path)
    assert result.plan.errors == [], [p.describe() for p in result.plan.errors]
    scores = result.plan.scores
    derived = scores[scores["derived"]]
    assert set(derived["province_code"]) == {"46", "11"}  # Tuyên Quang lacks D8: no total
    assert derived.query("province_code == '46'")["value"].iloc[0] == pytest.approx(42.1)
    assert not scores[~scores["derived"]]["indicator_code"].eq("TOTAL").any()
    with Store.open(db) as store:  # the store takes the frame with or without its `derived` column
        assert commit_import(store, result, imported_by="test") is not None
        assert store.scores("PAPI", 2025).query("indicator_code == 'TOTAL'")["province_code"].nunique() == 2


def test_a_legacy_name_in_a_2025_file_names_its_new_province(db, tmp_path):
    path = workbook(tmp_path / "legacy.xlsx", "PAPI 2025", ["Tỉnh", "Tổng điểm PAPI 2025"], [["Hà Giang", 40.1]])
    messages = [p.describe() for p in prepared(db, path).plan.errors]
    assert any("Hà Giang" in m and "Tuyên Quang" in m for m in messages), messages


def test_precision_same_figure_is_unchanged_more_digits_are_kept(db, tmp_path):
    with Store.open(db, read_only=True) as store:
        stored = store.scores("PAPI", 2020).query("indicator_code == 'D1'").set_index("province_code")["value"]
    four = workbook(tmp_path / "four.xlsx", "PAPI 2020", ["Tỉnh", "Tham gia của người dân ở cấp cơ sở"],
                    [["Hà Nội", round(stored["01"], 4)]])
    result = prepared(db, four)
    assert result.preview.unchanged == 1 and result.preview.changed.empty
    more = workbook(tmp_path / "more.xlsx", "PAPI 2020", ["Tỉnh", "Tham gia của người dân ở cấp cơ sở"],
                    [["Hà Nội", round(stored["01"], 4) + 0.0000123]])
    result = prepared(db, more)
    assert result.preview.changed.empty and len(result.preview.more_precise) == 1
    with Store.open(db) as store:
        commit_import(store, result, imported_by="test")
        assert store.scores("PAPI", 2020).query("indicator_code == 'D1' and province_code == '01'")["value"].iloc[0] \
            == pytest.approx(round(stored["01"], 4) + 0.0000123)


def test_a_column_repeating_another_indicators_stored_figures_is_reported(db, tmp_path):
    with Store.open(db, read_only=True) as store:
        wide = store.scores("PAPI", 2016).pivot_table(index="province_code", columns="indicator_code", values="value")
        names = store.provinces().query("era == 'legacy'").set_index("code")["name"]
    rows = [[names[code], wide.loc[code, "D2_POVERTY_LISTS"]] for code in wide.index[:10]]
    path = workbook(tmp_path / "repeat.xlsx", "PAPI 2016", ["Tỉnh", "Công khai thu, chi ngân sách cấp xã/phường"], rows)
    before = dump(db)
    result = prepared(db, path)
    repeats = result.preview.repeats
    assert list(repeats["repeats_code"]) == ["D2_POVERTY_LISTS"] and list(repeats["indicator_code"]) == ["D2_COMMUNE_BUDGET"]
    assert_same(before, dump(db))
