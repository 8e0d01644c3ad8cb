"""Hostile and broken inputs: each ends in a UserError in Vietnamese (no library's English), or
a located problem, quickly, and leaves the store exactly as it was.

The corpus is built here: damaged XML parts (NaN and out-of-range shared strings, malformed and
entity-laden sheet XML), bad CRC, a corrupt .xls record, encrypted packages, special files
(folder, /dev/zero, a named pipe), NaN/inf where a number is expected, province cells "²" and of
5,000 digits, a code column that contradicts the names; then hypothesis flips, cuts and
overwrites bytes of a valid workbook.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.errors import UserError
from analytics.imports import prepare_import
from analytics.isolation import run_isolated
from analytics.store import Store
from analytics.workbook import ReadLimits
from tests.test_import import assert_same, dump
from tests.workbooks import dimension_workbook

ENGLISH = re.compile(r"\b(error|errno|file|invalid|not|the|is|zip|crc|bad|xml|openpyxl|xlrd|workbook|unsupported|"
                     r"exception|traceback|encrypted|expected|none|nan|index|list|out of range|key)\b", re.IGNORECASE)
ROWS = [[1, "Hà Nội", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 34.5, 1], [2, "Cần Thơ", 5.0, 5.0, 5.0, 5.0, 6.0, 7.0, 33.0, 2]]


@pytest.fixture()
def db(built_db) -> Path:
    """The shared store built from data/: every attempt here only reads it (dumps compared)."""
    return built_db


def vietnamese(message: str) -> bool:
    return not ENGLISH.search(message.replace("sheet", "").replace("Excel", ""))


def attempt(db: Path, path: Path, limits: ReadLimits = ReadLimits(max_seconds=10)) -> tuple[str, list]:
    """('refused', [message]) or ('problems', [messages]) or ('ok', []); never anything else."""
    with Store.open(db, read_only=True) as store:
        try:
            prepared = prepare_import(store, path, limits=limits)
        except UserError as error:
            return "refused", [error.describe()]
    errors = [p.describe() for p in prepared.plan.errors]
    return ("problems", errors) if errors else ("ok", [])


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of an .xlsx whose members pass through change(name, bytes) → bytes."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, change(name, data))
    target.write_bytes(buffer.getvalue())
    return target


def shared_strings_workbook(path: Path) -> Path:
    return dimension_workbook(path, ROWS)


def with_sheet_xml(tmp_path: Path, name: str, edit) -> Path:
    source = shared_strings_workbook(tmp_path / "source.xlsx")
    return rewrite(source, tmp_path / name, lambda member, data: edit(data.decode()).encode()
                   if member == "xl/worksheets/sheet1.xml" else data)


def first_value(xml: str, new: str, kind: str | None = None) -> str:
    """Replace the first numeric cell's value (and its type)."""
    found = re.search(r'<c r="C5"[^>]*>(<v>[^<]*</v>)</c>', xml)
    cell = found.group(0)
    replaced = cell.replace(found.group(1), f"<v>{new}</v>")
    if kind:
        replaced = re.sub(r'<c r="C5"( t="\w+")?', f'<c r="C5" t="{kind}"', replaced)
    return xml.replace(cell, replaced)


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']>')


def hostile_files(tmp_path: Path) -> dict:
    d = tmp_path
    fifo = d / "pipe.xlsx"
    return {
        "NaN shared string": lambda: with_sheet_xml(d, "nan_ss.xlsx", lambda x: first_value(x, "NaN", "s")),
        "out-of-range shared string": lambda: with_sheet_xml(d, "oor_ss.xlsx", lambda x: first_value(x, "999999", "s")),
        "NaN number": lambda: with_sheet_xml(d, "nan.xlsx", lambda x: first_value(x, "NaN")),
        "infinite number": lambda: with_sheet_xml(d, "inf.xlsx", lambda x: first_value(x, "INF")),
        "malformed sheet XML": lambda: with_sheet_xml(d, "malformed.xlsx", lambda x: x.replace("</sheetData>", "<row><c")),
        "billion laughs": lambda: with_sheet_xml(d, "laughs.xlsx", lambda x: LAUGHS + re.sub(r"^<\?xml[^>]*\?>", "", x).replace(
            "<sheetData>", "<sheetData>&lol9;", 1)),
        "bad CRC": lambda: bad_crc(shared_strings_workbook(d / "crc_source.xlsx"), d / "crc.xlsx"),
        "corrupt .xls record": lambda: corrupt_xls(d / "corrupt.xls"),
        "encrypted package": lambda: encrypted(d / "secret.xlsx"),
        "province cell ²": lambda: dimension_workbook(d / "sup.xlsx", [[1, "²", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 34.5, 1]]),
        "province of 5,000 digits": lambda: dimension_workbook(d / "digits.xlsx", [[1, "9" * 5000, 5.1, 5.2, 5.3, 5.4,
                                                                                  6.5, 7.0, 34.5, 1]]),
        "code contradicts name": lambda: swapped_codes(d / "swapped.xlsx"),
        "folder": lambda: (d / "folder.xlsx").mkdir() or d / "folder.xlsx",
        "/dev/zero": lambda: Path("/dev/zero"),
        "named pipe": lambda: os.mkfifo(fifo) or fifo,
    }


def bad_crc(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x55
    target.write_bytes(bytes(data))
    return target


def corrupt_xls(path: Path) -> Path:
    book = xlwt.Workbook()
    ws = book.add_sheet("PAPI 2016")
    for c, text in enumerate(["STT", "Tỉnh", "Tham gia của người dân ở cấp cơ sở"]):
        ws.write(0, c, text)
    ws.write(1, 1, "Hà Nội"), ws.write(1, 2, 5.3)
    book.save(str(path))
    data = bytearray(path.read_bytes())
    marker = data.find(b"\x09\x08", 512)  # the first BOF record of the workbook stream
    data[marker + 2:marker + 4] = b"\xff\xff"  # a record length far beyond the stream
    path.write_bytes(bytes(data))
    return path


def encrypted(path: Path) -> Path:
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
                     + "EncryptedPackage".encode("utf-16-le"))
    return path


def swapped_codes(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "PAPI 2016"
    ws.append(["Mã tỉnh", "Tỉnh", "Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch"])
    for code, name in [(79, "Hà Nội"), (1, "TP. Hồ Chí Minh"), (92, "Cần Thơ"), (48, "Đà Nẵng"), (31, "Hải Phòng")]:
        ws.append([code, name, 5.1, 5.2])
    book.save(path)
    return path


@pytest.mark.parametrize("name", list(hostile_files(Path("/nonexistent"))))
def test_hostile_input_is_refused_cleanly_quickly_and_changes_nothing(db, tmp_path, name):
    path = hostile_files(tmp_path)[name]()
    before = dump(db)
    started = time.monotonic()
    outcome, messages = attempt(db, path)
    assert time.monotonic() - started < 20, "took too long"
    assert outcome in ("refused", "problems"), (name, outcome)
    assert all(vietnamese(m) for m in messages), messages
    assert_same(before, dump(db))


def test_encrypted_file_says_what_to_do(db, tmp_path):
    outcome, messages = attempt(db, encrypted(tmp_path / "secret.xlsx"))
    assert outcome == "refused" and "tệp có mật khẩu — mở bằng excel, bỏ mật khẩu, lưu lại" in messages[0].lower()


def test_code_that_contradicts_the_name_names_both(db, tmp_path):
    outcome, messages = attempt(db, swapped_codes(tmp_path / "swapped.xlsx"))
    assert outcome == "problems"
    assert any("Mã tỉnh 79 là TP. Hồ Chí Minh" in m and "Hà Nội" in m and "dòng 2" in m for m in messages), messages


@pytest.mark.parametrize("value, kind", [("1E999", None), ("NaN", "str"), ("inf", "str")])
def test_nan_or_infinity_over_an_official_value_is_refused_with_its_cell(db, tmp_path, value, kind):
    path = with_sheet_xml(tmp_path, "nan.xlsx", lambda x: first_value(x, value, kind))
    outcome, messages = attempt(db, path)
    assert outcome == "problems", messages  # never "unchanged"
    assert any("không phải số" in m and "dòng 5" in m and "cột C" in m for m in messages), messages


def test_a_workbook_with_the_wrong_extension_is_read_by_its_content(db, tmp_path):
    path = dimension_workbook(tmp_path / "real.xlsx", ROWS)
    renamed = tmp_path / "real.xls"
    renamed.write_bytes(path.read_bytes())
    assert attempt(db, renamed)[0] in ("ok", "problems")  # read (its figures may differ from the store)


def _sleeper(path, limits):
    time.sleep(60)


def test_parsing_has_a_hard_time_limit(tmp_path):
    started = time.monotonic()
    with pytest.raises(UserError, match="quá 1 giây"):
        run_isolated(_sleeper, tmp_path, ReadLimits(max_seconds=1))
    assert time.monotonic() - started < 10


# -- byte-level corruptions of a valid workbook ----------------------------------------------------
@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory) -> bytes:
    return dimension_workbook(tmp_path_factory.mktemp("valid") / "valid.xlsx", ROWS).read_bytes()


corruption = st.one_of(
    st.tuples(st.just("flip"), st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=8)),
    st.tuples(st.just("cut"), st.integers(0, 10**6)),
    st.tuples(st.just("overwrite"), st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=64))))


def corrupt(data: bytes, how) -> bytes:
    kind, detail = how
    out = bytearray(data)
    if kind == "flip":
        for position, mask in detail:
            out[position % len(out)] ^= mask
    elif kind == "cut":
        out = out[:detail % len(out)]
    else:
        position, chunk = detail
        start = position % len(out)
        out[start:start + len(chunk)] = chunk
    return bytes(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=corruption)
def test_corrupted_bytes_never_crash_and_never_change_the_store(db, tmp_path, valid_bytes, how):
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(corrupt(valid_bytes, how))
    before = dump(db)
    outcome, messages = attempt(db, path)
    assert outcome in ("refused", "problems", "ok")
    assert all(vietnamese(m) for m in messages), messages
    assert_same(before, dump(db))
