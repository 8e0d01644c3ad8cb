"""Folding of names as real files write them, so that spellings can be compared.

"TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh" and "ho chi minh" fold to the same key; so do the
NFC and NFD forms of "Hòa Bình" and the old tone placement "Hoà Bình", and "Thừa Thiên-Huế"
with "Thua Thien - Hue".
"""

from __future__ import annotations

import re
import unicodedata

# Administrative prefixes that real files put before a province name (already folded).
_PREFIXES = ("thanh pho ", "tp. ", "tp.", "tp ", "tinh ")


def strip_diacritics(text: str) -> str:
    """ASCII-fold Vietnamese text: drop combining marks, map đ/Đ to d/D."""
    decomposed = unicodedata.normalize("NFD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return without_marks.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Lower-case, diacritic-free, single-spaced key for comparing labels and headers."""
    folded = strip_diacritics(str(text)).lower()
    folded = re.sub(r"\s*-\s*", "-", folded)
    folded = re.sub(r"\s+", " ", folded)
    return folded.strip(" .:;,")


def fold_province(name: str) -> str:
    """Key for a province name: `fold` plus administrative prefixes and punctuation removed."""
    key = fold(name)
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    return re.sub(r"[\s.\-_]", "", key)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
