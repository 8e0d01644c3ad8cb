"""Numbers as people read them, in one place: Babel's locale data decides the marks.

Vietnamese 1.234,56 and 43,77; English 1,234.56 and 43.77; a missing value is "—" (never "None"
or "nan"). Tables show the precision the source publishes (`source_decimals`). Machine formats
(CSV) are `analytics.exports`'s business, not this module's.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from analytics.preview import DEFAULT_PRECISION, precision

MISSING = "—"
MINUS = "−"  # U+2212: a typographic minus, so a sign never reads as a dash or a hyphenation
LOCALES = {"vi": "vi_VN", "en": "en_GB"}


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, Decimal)):
        return math.isnan(value)
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if isinstance(result, (bool, np.bool_)) else False


_WIDE = Context(prec=400, rounding=ROUND_HALF_EVEN)


@lru_cache(maxsize=None)
def _marks(lang: str) -> dict[int, str]:
    """The locale's decimal and grouping marks (Babel's), as a str.translate table from Python's."""
    locale = LOCALES.get(lang, "vi_VN")
    return str.maketrans({".": get_decimal_symbol(locale), ",": get_group_symbol(locale)})


def _magnitude(value: float, decimals: int, lang: str) -> str:
    """`format_decimal(value, "#,##0.00…", locale)` for a non-negative value, without Babel's
    per-call pattern and locale parsing (a worklist formats thousands of numbers): the same
    rounding (the float's shortest decimal form, half to even), groups of three, Babel's marks.
    `tests/test_numbers.py` checks it against Babel. Its context holds every digit of any finite
    float, where Babel's default one (28 digits) raised on a value past 10^26."""
    if math.isinf(value):
        return format_decimal(value, locale=LOCALES.get(lang, "vi_VN"))  # "∞"
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), context=_WIDE)
    return f"{rounded:,.{decimals}f}".translate(_marks(lang))


def format_number(value, lang: str, decimals: int = 2, signed: bool = False) -> str:
    """`value` with `decimals` decimals in `lang`'s marks: 1234.5 → "1.234,50" (vi) / "1,234.50" (en).

    Negative numbers take "−"; with `signed`, positive ones take "+" and zero (at that precision)
    "±". A value that rounds to zero never shows "−0,00".
    """
    if is_missing(value):
        return MISSING
    value = float(value)
    magnitude = _magnitude(abs(value), decimals, lang)
    rounded = round(value, decimals)
    if rounded < 0:
        return MINUS + magnitude
    if signed:
        return ("+" if rounded > 0 else "±") + magnitude
    return magnitude


def format_integer(value, lang: str, signed: bool = False) -> str:
    return format_number(value, lang, 0, signed)


def format_short(value, lang: str) -> str:
    """`value` with only the decimals it needs, at most three, in `lang`'s marks: a scale's
    bounds 0.25 → "0,25", 1/3 → "0,333", 10 → "10" (vi)."""
    if is_missing(value):
        return MISSING
    text = format_decimal(abs(float(value)), format="#,##0.###", locale=LOCALES.get(lang, "vi_VN"))
    return (MINUS + text) if round(float(value), 3) < 0 else text


def source_decimals(index_code: str | None, indices: pd.DataFrame | None = None) -> int:
    """Decimals the index's publisher gives (PAPI 4, PCI 2, others 2): the index catalog's
    `decimals` column (the store's `indices` when given, else data/'s)."""
    if indices is not None and "decimals" in indices and index_code is not None:
        row = indices.loc[indices["index_code"] == index_code, "decimals"]
        if not row.empty and not is_missing(row.iloc[0]):
            return int(row.iloc[0])
    return precision().get(index_code, DEFAULT_PRECISION)


def format_column(values: pd.Series, lang: str, decimals: int = 2, signed: bool = False) -> pd.Series:
    """A numeric column as display text (object dtype), "—" where missing."""
    numbers = pd.to_numeric(values, errors="coerce")
    return pd.Series([format_number(v, lang, decimals, signed) for v in numbers], index=values.index, dtype=object)


def display_frame(frame: pd.DataFrame, lang: str, decimals: dict | int = 2) -> pd.DataFrame:
    """A copy of `frame` for `st.dataframe`: float columns as locale text at their precision
    (`decimals`: one number, or per column), integer columns as plain digits, every missing
    cell "—". Text, so a Vietnamese reader never sees a decimal point."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_float_dtype(series):
            places = decimals.get(column, 2) if isinstance(decimals, dict) else decimals
            out[column] = format_column(series, lang, places)
        elif pd.api.types.is_integer_dtype(series):
            # Whole numbers in tables are ranks, counts and years: no thousands mark (2025, not 2.025).
            out[column] = series.astype(object).map(lambda v: MISSING if is_missing(v) else str(int(v)))
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.astype(object).map(lambda v: MISSING if is_missing(v) else v)
    return out
