"""`python -m analytics weak` and the departments stored in DuckDB."""


import openpyxl
import pandas as pd
import pytest

from analytics.store import Store
from analytics.errors import UserError
from tests.test_cli import run


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    run("init", "--db", str(path))
    return path


def test_weak_csv_for_ha_noi_papi_2016_has_the_contract_columns(db, tmp_path):
    out = tmp_path / "hn.csv"
    result = run("weak", "--db", str(db), "--province", "Hà Nội", "--index", "PAPI", "--year", "2016", "--out", str(out))
    assert "Hà Nội, PAPI 2016" in result.stderr
    flags = pd.read_csv(out, dtype={"province_code": str})
    assert list(flags.columns) == ["index", "year", "province_code", "indicator_code", "indicator", "parent_indicator",
                                   "value", "max_value", "points_lost", "previous_value", "change", "rank",
                                   "previous_rank", "group", "median", "best_value", "reasons", "severity",
                                   "lead_department", "support_departments", "tier"]
    assert (flags["province_code"] == "01").all()
    assert flags["severity"].is_monotonic_decreasing


def test_weak_xlsx_has_the_annex_and_the_follow_up(db, tmp_path):
    out = tmp_path / "hn.xlsx"
    run("weak", "--db", str(db), "--province", "01", "--index", "PAPI", "--year", "2016", "--out", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Phụ lục" and len(book.sheetnames) == 2
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


def test_weak_xlsx_in_english(db, tmp_path):
    out = tmp_path / "hn-en.xlsx"
    result = run("weak", "--db", str(db), "--province", "01", "--index", "PAPI", "--year", "2016",
                 "--lang", "en", "--out", str(out))
    assert "Ha Noi, PAPI 2016" in result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Annex", "Follow-up"]
    text = " ".join(str(c.value) for row in book["Annex"].iter_rows() for c in row if c.value is not None)
    assert "Lead department" in text and "Department of" in text and "Thuộc nhóm Thấp nhất" not in text


def test_weak_refuses_unknown_province_and_bad_extension(db, tmp_path):
    bad = run("weak", "--db", str(db), "--province", "Atlantis", "--index", "PAPI", "--year", "2016",
              "--out", str(tmp_path / "x.csv"), check=False)
    assert bad.returncode == 2 and "Không nhận ra tỉnh/thành phố «Atlantis»" in bad.stderr
    ext = run("weak", "--db", str(db), "--province", "01", "--index", "PAPI", "--year", "2016",
              "--out", str(tmp_path / "x.pdf"), check=False)
    assert ext.returncode == 2 and ".xlsx hoặc .csv" in ext.stderr


def test_edited_departments_are_kept_by_init_and_used_by_the_list(db, tmp_path):
    with Store.open(db) as store:
        table = store.departments()
        table.loc[table["indicator_code"] == "D2_COMMUNE_BUDGET", "lead_department"] = "Sở Tài chính (đã sửa)"
        store.save_departments(table[table["index_code"] == "PAPI"], saved_by="test")
        store.initialise()  # must not overwrite the edit
        assert "Sở Tài chính (đã sửa)" in set(store.departments()["lead_department"])
    out = tmp_path / "hn.csv"
    run("weak", "--db", str(db), "--province", "01", "--index", "PAPI", "--year", "2016", "--out", str(out))
    flags = pd.read_csv(out)
    assert flags.set_index("indicator_code").loc["D2_COMMUNE_BUDGET", "lead_department"] == "Sở Tài chính (đã sửa)"


def test_departments_need_a_lead(db):
    with Store.open(db) as store:
        table = store.departments()
        table.loc[0, "lead_department"] = ""
        with pytest.raises(UserError, match="cơ quan chủ trì"):
            store.save_departments(table, saved_by="test")
