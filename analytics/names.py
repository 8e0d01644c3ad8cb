"""What the label of a data row is: a province (exactly, or nearly), a summary row, a note line.

- Codes are read only when they are plain ASCII digits of at most 3 characters (a cell "²" or
  of 5,000 digits is not a code and cannot crash the reader).
- Near matches: after folding (see `text.fold_province`) and undoing Telex leftovers ("DDak" →
  "Dak"), a label one edit (two for long names) from exactly one province, with no other province
  nearly as close, is that province; the caller reports it as a warning. Two close provinces: the
  label is ambiguous and the error names both (a near match is proposed only when exactly one
  province is at the smallest distance).
- Summary rows by family: a label that speaks of an average, median, highest, lowest, total,
  the nation or a region ("Giá trị trung bình", "Bình quân", "Trung vị", "Toàn quốc", "Vùng …",
  the six socio-economic regions by name) is not a province.
- Note lines: "Nguồn: …", "Ghi chú", "(*) …", or a sentence without figures under the table.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from analytics.headers import tokens
from analytics.registry import ProvinceMatch, ProvinceMatcher
from analytics.text import fold_province

_SUMMARY = [p.split() for p in [
    "trung binh", "binh quan", "trung vi", "gia tri", "cao nhat", "thap nhat", "lon nhat", "nho nhat", "toan quoc",
    "ca nuoc", "vung", "khu vuc", "mien", "average", "mean", "median", "highest", "lowest", "maximum", "minimum",
    "max", "min", "national", "nationwide", "region", "regional", "tong", "tong cong", "total", "sum",
    "do lech chuan", "standard deviation", "std", "toan bo", "tat ca", "all", "provinces", "cac tinh"]]
_NOTES = [p.split() for p in ["nguon", "source", "ghi chu", "note", "chu thich", "luu y", "chu y", "ghi nhan"]]
CODE_WORDS = [w.split() for w in ["tinhid", "tinh id", "ma tinh", "ma", "ma gso", "ma don vi", "code", "province code",
                                   "id", "provinceid", "matinh"]]  # headers of a GSO code column
_TELEX = [("dd", "d"), ("aa", "a"), ("ee", "e"), ("oo", "o"), ("aw", "a"), ("ow", "o"), ("uw", "u")]


@dataclass(frozen=True)
class Near:
    match: ProvinceMatch | None
    candidates: tuple[str, ...] = ()


def as_code(label: object) -> str | None:
    """'01', 1 or 1.0 as a code key; None for anything else (including '²', NaN, 5,000 digits)."""
    if isinstance(label, bool) or label is None:
        return None
    if isinstance(label, (int, float)):
        if not math.isfinite(label) or not float(label).is_integer() or not 0 < label < 1000:
            return None
        return str(int(label))
    text = str(label).strip()
    return text if text.isascii() and text.isdigit() and len(text) <= 3 else None


def _telex(key: str) -> str:
    for typed, letter in _TELEX:
        key = key.replace(typed, letter)
    return key


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class ProvinceFinder:
    """Province labels of one era: exact, by code, near; summary and note rows."""

    def __init__(self, provinces: pd.DataFrame, era: str):
        self.era = era
        self.provinces = provinces
        self.matcher = ProvinceMatcher(provinces)
        rows = provinces[provinces["era"] == era]
        self._spellings: list[tuple[str, ProvinceMatch]] = []
        for row in rows.itertuples(index=False):
            match = ProvinceMatch(row.era, row.code, row.name)
            for spelling in [row.name, row.name_en, *[a for a in row.aliases.split(";") if a]]:
                self._spellings.append((_telex(fold_province(spelling)), match))
        from analytics.registry import load_former_provinces
        self._former = {fold_province(spelling): row for row in load_former_provinces().itertuples(index=False)
                        for spelling in [row.name, *[a for a in row.aliases.split(";") if a]]}
        regions = provinces["region"].dropna().unique()
        self._regions = [tokens(r) for r in regions if str(r).strip()]

    def find(self, label: object, era: str | None = None) -> ProvinceMatch | None:
        """Exact match by code or any known spelling; never raises."""
        era = era or self.era
        code = as_code(label)
        if code is not None:
            return self.matcher.find(code, era)
        if not isinstance(label, str) or not label.strip() or len(label) > 200:
            return None
        if label.strip().isdigit():
            return None
        return self.matcher.find(label, era)

    def near(self, label: object) -> Near:
        """The one province a misspelt label is close to, or the candidates when several are."""
        if not isinstance(label, str) or len(label) > 80:
            return Near(None)
        key = _telex(fold_province(label))
        if len(key) < 4:
            return Near(None)
        best: dict[str, tuple[int, ProvinceMatch]] = {}
        for spelling, match in self._spellings:
            d = 0 if spelling == key else _distance(key, spelling)
            if match.code not in best or d < best[match.code][0]:
                best[match.code] = (d, match)
        ranked = sorted(best.values(), key=lambda pair: pair[0])
        allowed = 1 if len(key) < 8 else 2
        if not ranked or ranked[0][0] > allowed:
            return Near(None)
        close = [m for d, m in ranked if d == ranked[0][0]]
        if len(close) == 1:
            return Near(ranked[0][1])
        return Near(None, tuple(m.name for m in close))

    def former(self, label: object):
        """The dissolved province (data/provinces/former.csv) a label names, else None."""
        return self._former.get(fold_province(label)) if isinstance(label, str) and label.strip() else None

    def is_summary(self, label: object) -> bool:
        words = tokens(label) if isinstance(label, str) else []
        if not words:
            return False
        if any(words[i:i + len(p)] == p for p in _SUMMARY for i in range(len(words))):
            return True
        return any(words[:len(r)] == r or words == r for r in self._regions)

    @staticmethod
    def is_note(label: object, has_numbers: bool) -> bool:
        if not isinstance(label, str) or not label.strip():
            return False
        text = label.strip()
        words = tokens(text)
        if text.startswith(("*", "(*", "-", "•")) or any(words[:len(p)] == p for p in _NOTES):
            return True
        return not has_numbers and (len(words) >= 6 or re.search(r"[.:;]\s", text) is not None)
