"""Numbers by locale (analytics.numbers) and the two CSV flavours (analytics.exports)."""

import decimal
import io
import math

import numpy as np
import pandas as pd
import pytest
from babel.numbers import format_decimal
from hypothesis import example, given
from hypothesis import strategies as st

from analytics.exports import csv_bytes, excel_csv_bytes
from analytics.numbers import LOCALES, MINUS, display_frame, format_number, source_decimals


@pytest.mark.parametrize("value, lang, decimals, expected", [
    (1234.56, "vi", 2, "1.234,56"), (1234.56, "en", 2, "1,234.56"),
    (43.77, "vi", 2, "43,77"), (43.77, "en", 2, "43.77"),
    (42.80191234, "vi", 4, "42,8019"), (1576, "vi", 0, "1.576"),
    (-0.5, "vi", 2, "−0,50"), (-0.001, "vi", 2, "0,00"),
])
def test_format_number_by_locale(value, lang, decimals, expected):
    assert format_number(value, lang, decimals) == expected


@given(value=st.one_of(st.floats(allow_nan=False, allow_infinity=True, width=64),
                       st.integers(-10**12, 10**12).map(lambda n: n / 1000),
                       st.integers(-10**6, 10**6).map(lambda n: n / 8 + 0.005)),
       lang=st.sampled_from(["vi", "en"]), decimals=st.integers(0, 6))
@example(value=2.675, lang="vi", decimals=2)   # a tie in its shortest decimal form, not in binary
@example(value=0.125, lang="en", decimals=2)   # a tie in binary: half to even
@example(value=1e30, lang="vi", decimals=2)    # past Babel's default 28 digits (it raised there)
@example(value=float("inf"), lang="en", decimals=2)
def test_format_number_matches_babel_digit_for_digit(value, lang, decimals):
    """The fast path of format_number renders what Babel's format_decimal renders (given a
    decimal context wide enough for the value)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    with decimal.localcontext(decimal.Context(prec=400)):
        babel = format_decimal(abs(value), format=pattern, locale=LOCALES[lang])
    assert format_number(value, lang, decimals).removeprefix(MINUS) == babel


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
def test_missing_is_a_dash(missing):
    assert format_number(missing, "vi") == "—" and format_number(missing, "en") == "—"


def test_signed_numbers():
    assert format_number(0.5, "en", 2, signed=True) == "+0.50"
    assert format_number(0.0, "vi", 2, signed=True) == "±0,00"


def test_source_precision_is_read_in_one_place():
    assert source_decimals("PAPI") == 4 and source_decimals("PCI") == 2 and source_decimals("SIPAS") == 2
    indices = pd.DataFrame({"index_code": ["PAPI"], "decimals": [3]})
    assert source_decimals("PAPI", indices) == 3  # a `decimals` column in indices.csv wins


def test_display_frame_never_shows_none_nan_or_a_decimal_point_in_vietnamese():
    frame = pd.DataFrame({"Điểm": [42.80191234, None], "Hạng": pd.array([1, None], dtype="Int64"),
                          "Năm": [2025, 2024], "Tỉnh": ["Huế", None]})
    shown = display_frame(frame, "vi", 4)
    assert shown["Điểm"].tolist() == ["42,8019", "—"]
    assert shown["Hạng"].tolist() == ["1", "—"] and shown["Năm"].tolist() == ["2025", "2024"]
    assert shown["Tỉnh"].tolist() == ["Huế", "—"]
    assert not any(str(v) in {"None", "nan", "<NA>"} for v in shown.to_numpy().ravel())


FRAME = pd.DataFrame({"Tỉnh": ["Bắc Ninh", "=cmd", "Huế"], "Điểm": [42.80191234567, 1576.123456, None],
                      "Thứ hạng": pd.array([1, 2, None], dtype="Int64")})


def test_machine_csv_parses_back_with_the_documented_settings():
    raw = csv_bytes(FRAME, {"Điểm": 4})
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "42.8019" in text and "42.80191234567" not in text
    back = pd.read_csv(io.BytesIO(raw), sep=",", decimal=".", encoding="utf-8")
    assert back["Điểm"].tolist()[:2] == [42.8019, 1576.1235] and math.isnan(back["Điểm"].iloc[2])
    assert back["Tỉnh"].tolist() == ["Bắc Ninh", "'=cmd", "Huế"]
    assert back["Thứ hạng"].iloc[:2].tolist() == [1, 2] and pd.isna(back["Thứ hạng"].iloc[2])


def test_excel_csv_parses_back_with_the_documented_settings():
    raw = excel_csv_bytes(FRAME, 2)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "42,8;" in raw.decode("utf-8-sig") or "42,8\r" in raw.decode("utf-8-sig")
    back = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    assert back.columns.tolist() == ["Tỉnh", "Điểm", "Thứ hạng"]
    assert back["Điểm"].tolist()[:2] == [42.8, 1576.12]
