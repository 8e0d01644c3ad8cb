"""Secure defaults outside the sign-in itself: exports that cannot start a formula, command-line
arguments that cannot hit the store, the config file, and pages that refuse writes when the
analyst configuration is broken."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tomllib

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from analytics.auth import hash_password
from analytics.exports import csv_bytes, csv_text, excel_csv_bytes, safe_cell, safe_frame, set_cell
from tests.conftest import REPO
from tests.test_pages import app, texts  # noqa: F401  (the AppTest fixture)

NASTY = ["=HYPERLINK(\"http://x.invalid\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", input=stdin)


# -- exports -----------------------------------------------------------------------------------
def test_text_cells_are_neutralised_numbers_stay_numbers():
    frame = pd.DataFrame({"note": NASTY + ["Sở Nội vụ"], "change": [-1.5, -2, 0, 3, None, 1, -0.25],
                          "=col": ["a"] * 7})
    rows = list(csv.reader(io.StringIO(csv_text(frame), newline="")))
    assert rows[0] == ["note", "change", "'=col"]
    assert [r[0] for r in rows[1:]] == ["'" + n for n in NASTY] + ["Sở Nội vụ"]
    assert [r[1] for r in rows[1:]][:2] == ["-1.5", "-2.0"]  # negative numbers are numbers
    assert frame["note"].iloc[0] == NASTY[0]  # the input is not changed
    assert safe_cell(-3) == -3 and safe_cell(None) is None and safe_cell("a-b") == "a-b"
    assert excel_csv_bytes(frame).startswith("\ufeff".encode("utf-8"))
    assert not csv_bytes(frame).startswith("\ufeff".encode("utf-8"))
    assert safe_frame(pd.DataFrame({"x": pd.Series(["=1", None], dtype="string")}))["x"].iloc[0] == "'=1"


def test_workbook_cells_stay_text(tmp_path):
    book = Workbook()
    for row, text in enumerate(NASTY, start=1):
        set_cell(book.active.cell(row, 1), text)
    book.save(tmp_path / "x.xlsx")
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert [sheet.cell(r, 1).data_type for r in range(1, len(NASTY) + 1)] == ["s"] * len(NASTY)
    assert sheet.cell(1, 1).value == NASTY[0] and sheet.cell(1, 1).quotePrefix


def test_batches_csv_neutralises_file_and_user_names(built_db, tmp_path):
    import shutil
    from tests.workbooks import dimension_workbook
    db = tmp_path / "s.duckdb"
    shutil.copy(built_db, db)
    rows = [[1, "Thành phố Huế", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 4.5, 3.1]]
    headers = ["STT", "Tỉnh, thành phố", "Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch",
               "Trách nhiệm giải trình với người dân", "Kiểm soát tham nhũng trong khu vực công",
               "Thủ tục hành chính công", "Cung ứng dịch vụ công", "Quản trị môi trường", "Quản trị điện tử"]
    book = dimension_workbook(tmp_path / "=HYPERLINK(1).xlsx", rows, sheet="PAPI 2025", title="PAPI 2025",
                              headers_vi=headers, headers_en=False)
    result = run_cli("import", str(book), "--db", str(db), "--user", "@evil")
    assert result.returncode == 0, result.stderr
    out = run_cli("batches", "--db", str(db), "--format", "csv")
    last = list(csv.DictReader(io.StringIO(out.stdout)))[-1]
    assert last["file_name"] == "'=HYPERLINK(1).xlsx" and last["imported_by"] == "'@evil"


# -- command line ------------------------------------------------------------------------------
@pytest.mark.parametrize("args, says", [
    (["scores", "--index", "PAPI", "--year", "0"], "Năm 0 nằm ngoài phạm vi của PAPI"),
    (["scores", "--index", "SIPAS", "--year", "2012"], "từ 2017"),
    (["weak", "--province", "01", "--index", "PAPI", "--year", "3000", "--out", "{tmp}/a.csv"], "Năm 3000"),
    (["scores", "--db", "", "--index", "PAPI", "--year", "2016"], "--db rỗng"),
    (["scores", "--db", "{tmp}", "--index", "PAPI", "--year", "2016"], "là một thư mục"),
    (["batches", "--db", "{readme}"], "không phải cơ sở dữ liệu DuckDB"),
    (["batches", "--db", "{tmp}/absent.duckdb"], "Chưa có cơ sở dữ liệu"),
    (["template", "--index", "PAPI", "--year", "2016", "--out", "{db}"], "là cơ sở dữ liệu: không ghi đè"),
    (["template", "--index", "PAPI", "--year", "2016", "--out", "{db}", "--db", "{db}"], "không ghi đè"),
    (["weak", "--province", "01", "--index", "PAPI", "--year", "2016", "--out", "{db}"], "không ghi đè"),
    (["template", "--index", "PAPI", "--year", "2016", "--out", "{tmp}"], "là một thư mục"),
    (["template", "--index", "PAPI", "--year", "2016", "--out", "{tmp}/m.csv"], "phải có đuôi .xlsx"),
    (["import", "{tmp}/x.xlsx", "--year", "0"], "Năm 0"),
])
def test_arguments_are_checked_before_anything_runs(args, says, built_db, tmp_path):
    import shutil
    db = tmp_path / "store.duckdb"
    shutil.copy(built_db, db)
    before = db.read_bytes()
    values = {"tmp": str(tmp_path), "db": str(db), "readme": str(REPO / "README.md")}
    args = [a.format(**values) for a in args]
    if "--db" not in args and args[0] != "template":
        args += ["--db", str(db)]
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and result.stderr.startswith("Lỗi: ")
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before  # the store is never overwritten


def test_reference_commands_accept_db(built_db, tmp_path):
    for args in (["provinces"], ["indicators", "--index", "PAPI"],
                 ["template", "--index", "PAPI", "--year", "2016", "--out", str(tmp_path / "m.xlsx")]):
        result = run_cli(*args, "--db", str(built_db))
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.xlsx").stat().st_size > 0


def test_hash_password_reads_stdin_and_refuses_an_argument():
    result = run_cli("hash-password", stdin="mot mat khau dai\n")
    assert result.returncode == 0 and result.stdout.startswith("pbkdf2_sha256$310000$")
    assert "mot mat khau" not in result.stdout
    refused = run_cli("hash-password", "--password", "abcdefghij")
    assert refused.returncode == 2 and "Không nhận mật khẩu trên dòng lệnh" in refused.stderr
    assert "abcdefghij" not in refused.stdout + refused.stderr
    unknown = run_cli("scores", "--bogus")
    assert unknown.returncode == 2 and "Lỗi: tham số không hợp lệ" in unknown.stderr
    assert run_cli("hash-password", stdin="short\n").returncode == 2


# -- config and pages --------------------------------------------------------------------------
def test_streamlit_config_hides_details_and_the_table_download():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["address"] == "127.0.0.1"
    assert "ADDRESS ?= 127.0.0.1" in (REPO / "Makefile").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["lan:pbkdf2_sha256$310000$00$11", "lan=mat-khau",
                                   f"lan={hash_password('abcdefgh', iterations=1000)}"])
def test_a_broken_configuration_refuses_writes_on_every_page(app, monkeypatch, value):  # noqa: F811
    monkeypatch.setenv("GOVINDEX_ANALYSTS", value)
    at = app("nhap_du_lieu")
    assert not at.get("file_uploader")
    assert not at.text_input  # no sign-in form: nobody can sign in
    errors = " ".join(e.value for e in at.error)
    assert "Cấu hình tài khoản cán bộ phân tích bị lỗi" in errors
    assert "Chế độ một người dùng" not in texts(at)
    at.session_state["analyst"] = "lan"  # even a session that says so may not write
    at.run()
    assert not at.get("file_uploader")
    overview = app()
    assert any("bị lỗi" in e.value for e in overview.sidebar.error)


def test_show_error_never_shows_a_stack():
    from streamlit.testing.v1 import AppTest
    script = ("import streamlit as st\nfrom ui.errors import show_error\nfrom analytics.errors import UserError\n"
              "show_error(RuntimeError('/srv/secret/path.py boom'))\n"
              "show_error(UserError('Sheet ![x](http://x.invalid/a.png) lỗi', hint='Sửa tệp.'))\n")
    at = AppTest.from_string(script, default_timeout=30)
    import os
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        at.run()
    finally:
        os.chdir(cwd)
    first, second = at.error[0].value, at.error[1].value
    assert "/srv" not in first and "boom" not in first and "mã" in first
    assert "\\!\\[x\\]\\(http\\:" in second and "Sửa tệp" in second
