"""Errors a user causes, in the interface language: `UserError.keyed` and `Problem.keyed` render
their message, place (sheet/row/column) and hint from the catalog in Vietnamese or English; the
Vietnamese rendering is what the command line has always printed."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import plan_sheet, plans
from analytics.errors import Joined, UserError, fill
from analytics.isolation import run_isolated
from analytics.plan import Problem
from analytics.store import Store
from analytics.store_wait import WRITE, Waiter, explain
from analytics.weak_wording import phrase
from analytics.wording import placeholders, say
from analytics.workbook import ReadLimits, check_file, read_workbook

REPO = Path(__file__).resolve().parents[1]

# The files whose errors a web user can reach (converted to catalog keys).
CONVERTED = ["analytics/workbook.py", "analytics/store_api.py", "analytics/plan_sheet.py", "analytics/store_plans.py",
             "analytics/plan_service.py", "analytics/isolation.py", "analytics/store_wait.py", "analytics/store.py",
             "analytics/store_backends.py", "analytics/provinces.py", "analytics/imports.py", "analytics/brief_pdf.py",
             "analytics/registry.py", "analytics/plans.py", "pages/muc_tieu.py", "analytics/errors.py",
             "analytics/plan.py", "analytics/ingest.py", "analytics/columns.py", "analytics/rows.py",
             "pages/nhap_du_lieu.py"]

VIETNAMESE = "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
value_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "Đ abcXYZ0123456789_-./()", min_size=1, max_size=24)
sheet_names = st.text(alphabet=VIETNAMESE + "ĐÂ ABCpaci_0123456789()-", min_size=1, max_size=31)
rows = st.integers(min_value=1, max_value=1_048_576)
columns = st.from_regex(r"[A-Z]{1,3}", fullmatch=True)


def foreign_letters(text: str, values=()) -> list[str]:
    """Letters outside ASCII in `text` once the filled-in `values` are taken out."""
    for value in sorted((str(v) for v in values), key=len, reverse=True):
        text = text.replace(value, "")
    return [ch for ch in text if ch.isalpha() and not ch.isascii()]


def error_keys() -> list[str]:
    """Keys the converted files pass to keyed(), phrase() and N_() (extracted like the checker does)."""
    keywords = {"keyed": None, "phrase": None, "N_": None, "say": (2,)}
    found = set()
    for name in CONVERTED:
        for _line, message, _comments, _context in extract_from_file("python", str(REPO / name), keywords=keywords):
            found.add(message if isinstance(message, str) else message[0])
    return sorted(found)


def test_converted_files_raise_no_plain_vietnamese_user_error():
    for name in CONVERTED:
        text = (REPO / name).read_text(encoding="utf-8")
        assert "UserError(f\"" not in text and "UserError(\"" not in text, name


def test_the_converted_keys_are_many_and_known():
    keys = error_keys()
    assert {"err_file_empty", "hint_db_path", "err_db_is_folder", "where_sheet", "err_lock_timeout"} <= set(keys)
    for key in keys:
        assert say("vi", key) and say("en", key)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_converted_message_is_english_in_english(data):
    for key in error_keys():
        text = say("en", key)
        values = {name: data.draw(value_text, label=f"{key}.{name}") for name in placeholders(text)}
        english = fill("en", key, values)
        assert not foreign_letters(english, values.values()), (key, english)


@settings(max_examples=60, deadline=None)
@given(sheet=sheet_names, row=rows, column=columns, value=value_text)
def test_a_keyed_error_says_where_in_either_language(sheet, row, column, value):
    error = UserError.keyed("err_not_a_date", hint_key="hint_date_format", sheet=sheet, row=row, column=column,
                            value=value)
    vi = f"sheet «{sheet}», dòng {row}, cột {column}: «{value}» không phải là ngày. Nhập ngày dạng dd/mm/yyyy, ví dụ 30/09/2026."
    en = (f"sheet «{sheet}», row {row}, column {column}: «{value}» is not a date. "
          "Enter the date as dd/mm/yyyy, for example 30/09/2026.")
    assert error.describe("vi") == vi and error.describe() == vi and str(error) == vi
    assert error.describe("en") == en
    assert error.message == f"«{value}» không phải là ngày."
    assert error.hint == "Nhập ngày dạng dd/mm/yyyy, ví dụ 30/09/2026."
    assert not foreign_letters(error.describe("en"), [sheet, value])
    assert error.describe("fr") == vi  # an unknown language falls back to Vietnamese


@settings(max_examples=30, deadline=None)
@given(sheet=st.one_of(st.none(), sheet_names), row=st.one_of(st.none(), rows),
       column=st.one_of(st.none(), columns))
def test_the_place_has_only_the_parts_given(sheet, row, column):
    error = UserError.keyed("err_too_many_cells", hint_key="hint_keep_only_table", sheet=sheet, row=row,
                            column=column, cells="1,000")
    parts = [f"sheet «{sheet}»" if sheet is not None else None, f"row {row}" if row is not None else None,
             f"column {column}" if column is not None else None]
    where = ", ".join(p for p in parts if p)
    text = "The file has too many cells (more than 1,000). Keep only the data table to import."
    assert error.describe("en") == (f"{where}: {text}" if where else text)
    assert pickle.loads(pickle.dumps(error)).describe("en") == error.describe("en")


def test_a_plain_message_error_stays_vietnamese():
    error = UserError("Tệp hỏng.", sheet="S", row=3, column="B", hint="Lưu lại.")
    assert error.describe("en") == error.describe() == "sheet «S», dòng 3, cột B: Tệp hỏng. Lưu lại."
    assert str(error) == error.describe()
    with pytest.raises(TypeError):
        UserError()


@pytest.mark.parametrize("make, vi, en", [
    (lambda tmp: tmp, "Đây là một thư mục, không phải tệp Excel. Chọn một tệp .xlsx hoặc .xls.",
     "This is a folder, not an Excel file. Choose an .xlsx or .xls file."),
    (lambda tmp: _write(tmp / "rong.xlsx", b""), "Tệp rỗng (0 byte). Chọn lại tệp Excel có số liệu.",
     "The file is empty (0 bytes). Choose an Excel file that holds the data."),
])
def test_file_checks_speak_both_languages(tmp_path, make, vi, en):
    with pytest.raises(UserError) as caught:
        check_file(make(tmp_path), ReadLimits())
    assert caught.value.describe() == vi and str(caught.value) == vi
    assert caught.value.describe("en") == en


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_a_file_that_is_no_workbook_in_english(tmp_path):
    with pytest.raises(UserError) as caught:
        read_workbook(_write(tmp_path / "bang.xlsx", b"ten,diem\nHue,1\n"), ReadLimits())
    assert caught.value.describe() == ("Tệp không phải bảng tính Excel (.xlsx hoặc .xls). "
                                       "Nếu là tệp CSV hay PDF, hãy mở bằng Excel và lưu dưới dạng .xlsx.")
    assert caught.value.describe("en").startswith("The file is not an Excel workbook (.xlsx or .xls).")


def _raise_keyed(path, limits):
    raise UserError.keyed("err_too_many_rows", hint_key="hint_delete_trailing_rows", sheet="Bảng 1", row=9, rows="10")


def test_an_error_raised_in_the_reading_process_keeps_its_language(tmp_path):
    with pytest.raises(UserError) as caught:
        run_isolated(_raise_keyed, tmp_path / "x.xlsx", ReadLimits())
    assert caught.value.describe("en") == ("sheet «Bảng 1», row 9: The sheet has more than 10 rows. "
                                           "Delete the extra rows at the end of the sheet (formatted empty rows too).")
    assert caught.value.describe() == ("sheet «Bảng 1», dòng 9: Sheet có hơn 10 dòng. "
                                       "Xóa các dòng thừa ở cuối sheet (kể cả dòng trống đã định dạng).")


def test_store_errors_in_english(tmp_path):
    with pytest.raises(UserError) as caught:
        Store.open(tmp_path)
    assert caught.value.describe() == (f"{tmp_path} là một thư mục, không phải tệp cơ sở dữ liệu. "
                                       "Ghi đường dẫn tới tệp .duckdb, ví dụ data/govindex.duckdb.")
    assert caught.value.describe("en") == (f"{tmp_path} is a folder, not a database file. "
                                           "Give the path of a .duckdb file, for example data/govindex.duckdb.")
    with pytest.raises(UserError) as caught:
        Store.open(tmp_path / "none.duckdb", read_only=True)
    assert not foreign_letters(caught.value.describe("en"), [tmp_path])


def test_driver_errors_and_lock_waits_in_english():
    class IOException(Exception):
        pass

    error = explain(IOException("disk"), phrase("act_save_target"))
    assert error.describe() == ("Không lưu được mục tiêu: lỗi đọc/ghi tệp cơ sở dữ liệu (IOException). "
                                "Không có gì đã bị thay đổi. Thử lại sau.")
    assert error.describe("en") == ("Could not save the target: a read/write error on the database file "
                                    "(IOException). Nothing was changed. Try again later.")
    waited = Waiter(WRITE, "/data/govindex.duckdb").gave_up("PID 42 (python)", 31.0)
    assert waited.describe().startswith("PID 42 (python) đang giữ cơ sở dữ liệu /data/govindex.duckdb; đã chờ 31 giây "
                                        "mà chưa đến lượt ghi vào.")
    assert waited.describe("en").startswith("PID 42 (python) is holding the database /data/govindex.duckdb; "
                                            "waited 31 seconds without getting the turn to write.")
    assert not foreign_letters(waited.describe("en"))


def test_plan_annex_and_quarter_errors_in_english():
    with pytest.raises(UserError) as caught:
        plan_sheet._date("31/02/2026", {"sheet": "Phụ lục", "row": 7, "column": "F (Hạn hoàn thành)"})
    assert caught.value.describe("en") == ("sheet «Phụ lục», row 7, column F (Hạn hoàn thành): «31/02/2026» is not "
                                           "a date. Enter the date as dd/mm/yyyy, for example 30/09/2026.")
    with pytest.raises(UserError) as caught:
        plans.parse_quarter("2026Q5")
    assert caught.value.describe() == "Quý «2026Q5» không hợp lệ. Viết dạng 2026Q3 (năm, chữ Q, số quý 1-4)."
    assert caught.value.describe("en") == ("The quarter «2026Q5» is not valid. "
                                           "Write it as 2026Q3 (the year, the letter Q, the quarter 1-4).")


def test_problems_and_a_blocked_import_in_either_language():
    first = Problem.keyed("err_not_a_date", hint_key="hint_date_format", sheet="S", row=4, value="x")
    legacy = Problem("Cũ.", sheet="S")
    blocked = UserError.keyed("err_import_blocked_more", problems=Joined([first, legacy], " | "), more=3)
    assert first.message == "«x» không phải là ngày." and first.describe("en").startswith("sheet «S», row 4: «x» is")
    assert legacy.describe("en") == "sheet «S»: Cũ."
    assert blocked.describe() == ("Không nhập được: sheet «S», dòng 4: «x» không phải là ngày. Nhập ngày dạng "
                                  "dd/mm/yyyy, ví dụ 30/09/2026. | sheet «S»: Cũ. … và 3 lỗi khác.")
    assert blocked.describe("en") == ("Cannot import: sheet «S», row 4: «x» is not a date. Enter the date as "
                                      "dd/mm/yyyy, for example 30/09/2026. | sheet «S»: Cũ. … and 3 other errors.")


def _error_text_script():
    import streamlit as st

    from analytics.errors import UserError
    from ui.errors import error_text

    st.session_state["lang"] = st.query_params.get("lang", "vi")
    message, code = error_text(UserError.keyed("err_file_empty", hint_key="hint_choose_file_with_data"))
    st.text(message + "|" + code)


@pytest.mark.parametrize("lang, shown", [
    ("en", "The file is empty \\(0 bytes\\)\\. Choose an Excel file that holds the data\\.|"),
    ("vi", "Tệp rỗng \\(0 byte\\)\\. Chọn lại tệp Excel có số liệu\\.|"),
])
def test_the_app_shows_a_user_error_in_the_session_language(lang, shown):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(_error_text_script, default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert [t.value for t in at.text] == [shown]


def _values_of(problem) -> list[str]:
    from analytics.errors import render_value
    return [str(render_value(v, "en")) for v in problem.values.values()] + [str(problem.sheet or ""), str(problem.column or "")]


def test_import_problems_are_keyed_and_english_in_english(tmp_path, built_db):
    from analytics.imports import prepare_import
    from tests.workbooks import dimension_workbook
    rows = [[1, "Hà Nội", "năm phẩy một", 5.2, 5.3, 5.4, 6.5, 7.0, 34.5, 1],
            [2, "Cần Thơ", 12.0, 5.0, 5.0, 5.0, 6.0, 7.0, 40.0, 2],
            [3, "Tỉnh Xyz", 5, 5, 5, 5, 5, 5, 30, 3],
            [4, "Ha Noi", 5, 5, 5, 5, 5, 5, 30, 4]]
    path = dimension_workbook(tmp_path / "bad.xlsx", rows)
    with Store.open(built_db, read_only=True) as store:
        prepared = prepare_import(store, path, file_name="bad.xlsx")
    problems = prepared.plan.problems
    assert len(problems) >= 4
    for problem in problems:
        assert problem.key is not None, problem.message
        english = problem.describe("en")
        assert not foreign_letters(english, _values_of(problem)), english
        assert problem.describe("vi") == problem.describe()
    vietnamese = " | ".join(p.describe() for p in problems)
    for fragment in ["Không nhận ra tỉnh/thành phố «Tỉnh Xyz»", "không phải số", "12 nằm ngoài thang điểm",
                     "xuất hiện hai lần", "dòng 5", "cột C"]:
        assert fragment in vietnamese
    english = " | ".join(p.describe("en") for p in problems)
    assert "The province or city «Tỉnh Xyz» is not recognised." in english
    assert "The value «năm phẩy một» is not a number." in english
