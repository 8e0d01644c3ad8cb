"""Sentences of the weak-indicator rules (`analytics.weak`) in each language.

`weak` records what it found as parts, (key, values) pairs whose numbers are `Num`s, and this
module turns them into text with the wording catalog, once per language: the Vietnamese and the
English reason never drift apart, and the numbers take each language's marks (`analytics.numbers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics.numbers import format_number
from analytics.text import nfc
from analytics.wording import N_, say, say_n

POINTS_UNIT = "điểm"
UNIT_KEYS = {POINTS_UNIT: N_("unit_points"), "%": N_("unit_percent_points"), "": N_("unit_points")}
TREND_KEYS = {"IMPROVING": N_("trend_improving"), "SLOWING_IMPROVEMENT": N_("trend_slowing_improvement"),
              "WARNING": N_("trend_warning"), "RECOVERING": N_("trend_recovering"),
              "DETERIORATING": N_("trend_deteriorating"), "STABLE": N_("trend_stable"),
              "INSUFFICIENT": N_("trend_insufficient")}
FOLLOW_UP_KEYS = {"improved": N_("follow_improved"), "unchanged": N_("follow_unchanged"),
                  "worse": N_("follow_worse"), "not_comparable": N_("follow_not_comparable"),
                  "no_data": N_("follow_no_data")}
FOLLOW_UP_SYMBOLS = {"improved": "▲", "unchanged": "●", "worse": "▼", "not_comparable": "≠", "no_data": "○"}


@dataclass(frozen=True)
class Num:
    """A number inside a sentence: written with `digits` decimals in the sentence's language."""
    value: float
    digits: int = 2
    signed: bool = False


@dataclass(frozen=True)
class Unit:
    """A unit word: "điểm" → points; other units (as the catalog writes them) pass through."""
    unit: str


@dataclass(frozen=True)
class Part:
    """One sentence: a catalog key, its values, and `n` for a counted message."""
    key: str
    values: tuple = ()
    n: int | None = None
    suffix: Part | str | None = None  # text appended (a nested part or data text)


@dataclass(frozen=True)
class ByLanguage:
    """Data text that comes in both languages (a comparability reason from the catalog's data)."""
    vi: str
    en: str


def phrase(key: str, n: int | None = None, suffix=None, **values) -> Part:
    """A sentence to render later; `phrase` is an extraction keyword (scripts/check_wording.py)."""
    return Part(key, tuple(values.items()), n, suffix)


def _value(value, lang: str) -> str:
    if isinstance(value, ByLanguage):
        return value.en if lang == "en" else value.vi
    if isinstance(value, Num):
        return format_number(value.value, lang, value.digits, value.signed)
    if isinstance(value, Unit):
        key = UNIT_KEYS.get(value.unit)
        return say(lang, key) if key else value.unit
    if isinstance(value, Part):
        return render_part(value, lang)
    if isinstance(value, (list, tuple)):
        return "; ".join(_value(v, lang) for v in value)
    return "" if value is None else str(value)


def render_value(value, lang: str) -> str:
    """One value of a sentence in `lang`: a part, a number, a two-language text, a list; else its text."""
    return _value(value, lang)


def render_part(part: Part, lang: str) -> str:
    values = {name: _value(value, lang) for name, value in part.values}
    text = (say_n(lang, part.key, part.n, **values) if part.n is not None
            else say(lang, part.key, **values))
    return text + (_value(part.suffix, lang) if part.suffix is not None else "")


def render(parts: list, lang: str, separator: str = "\n") -> str:
    """Parts (or plain data texts) joined in `lang`."""
    return separator.join(_value(part, lang) for part in parts)


def trend_label(code: str, lang: str) -> str:
    return say(lang, TREND_KEYS[code]) if code in TREND_KEYS else code


def follow_up_label(status: str, lang: str) -> str:
    return say(lang, FOLLOW_UP_KEYS[status]) if status in FOLLOW_UP_KEYS else status


DEPARTMENT_NAMES = Path(__file__).resolve().parent.parent / "data" / "department_names.csv"


@lru_cache(maxsize=1)
def _department_names() -> dict[str, str]:
    """Vietnamese → English names of provincial departments (data/department_names.csv: name_vi,
    name_en). Kept apart from departments.csv, which assigns departments to indicators."""
    frame = pd.read_csv(DEPARTMENT_NAMES, dtype=str, keep_default_na=False, encoding="utf-8")
    return {nfc(vi).strip(): en.strip() for vi, en in zip(frame["name_vi"], frame["name_en"]) if en.strip()}


def department_label(name, lang: str) -> str:
    """A department name in `lang`; a name without an English entry stays as typed."""
    if not isinstance(name, str) or not name:
        return ""
    return _department_names().get(nfc(name).strip(), name) if lang == "en" else name


def departments_label(names, lang: str, separator: str = "; ") -> str:
    """A `;`-separated list of department names, each in `lang`."""
    if not isinstance(names, str) or not names:
        return ""
    return separator.join(department_label(n.strip(), lang) for n in names.split(";") if n.strip())
