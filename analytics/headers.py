"""Recognising a column header by what it means, against the catalog of one index and year.

Rules, in order (each gives a confidence; below `THRESHOLD` the column is a question for the
analyst, never a silent guess):
1. fold case, diacritics and punctuation into tokens; a header that speaks of a weighted total, a
   confidence interval or a standard error is kept apart (never the unweighted total);
2. strip the index name, the year, units and scale words ("(%)", "điểm", "(unweighted)",
   "Chỉ số", "Tổng điểm"): a header with nothing left is the index's TOTAL;
3. a numbered header ("2.1: …", "Chỉ số nội dung 3", "Dimension 3") is placed in the catalog's
   structure of that year (the N-th dimension, its M-th sub-dimension) and its words are checked
   against that place; words naming the same number in another year's structure (files that
   reuse another year's labels) are a warning, words naming another indicator of this year a
   question;
4. the remaining words are compared with the names and aliases of the indicators in force that
   year: equal (1.0), a unique part of one indicator's names ("Công chức") (0.85), or a token
   overlap (its share, accepted from THRESHOLD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pandas as pd

from analytics import registry
from analytics.text import strip_diacritics
from analytics.weak_wording import ByLanguage, phrase, render_part

THRESHOLD = 0.7
MARGIN = 0.05  # a best match must lead the next indicator by this much



@lru_cache(maxsize=1)
def index_tokens() -> dict[str, list[list[str]]]:
    """The words naming each index (indices.csv: code, short name, `aliases`), as token runs."""
    return {code: [tokens(w) for w in words]
            for code, words in registry.index_aliases(registry.load_indices()).items()}


# Words that say how a figure is expressed, not what it is (folded, as token sequences).
_SCALE_WORDS = [w.split() for w in [
    "khong co trong so", "khong trong so", "unweighted", "un weighted", "tong diem", "tong hop", "diem so",
    "diem", "chi so", "aggregate", "index", "score", "scores", "points", "point", "nam", "year",
    "phan tram", "percent", "ty le", "thang", "of", "cua", "cap tinh", "provincial", "overall"]]
_TOTAL_WORDS = [w.split() for w in ["tong diem", "tong hop", "aggregate", "overall", "chi so"]]
_WEIGHTED = [w.split() for w in ["da co trong so", "co trong so", "weighted"]]
_UNWEIGHTED = [w.split() for w in ["khong co trong so", "khong trong so", "chua co trong so", "unweighted", "un weighted"]]
_RANK = [w.split() for w in ["xep hang", "thu hang", "rank", "ranking"]]
_TIER = [w.split() for w in ["nhom", "tier", "group"]]
_INTERVAL = [w.split() for w in ["phuong sai", "variance", "observation", "so quan sat", "so mau", "so nguoi tra loi","khoang tin cay", "confidence interval", "ci", "sai so chuan", "sai so",
                                  "standard error", "std error", "se", "can tren", "can duoi", "upper bound",
                                  "lower bound", "upper", "lower", "do lech chuan", "standard deviation"]]
# Vietnamese "sẽ" (will) folds to "se", the abbreviation of standard error: not an interval then.
_INTERVAL_VI = [w for w in _INTERVAL if w != ["se"]]
_SCALE_TEXT = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*%?\s*[-–—]\s*-?\d+(?:[.,]\d+)?\s*%?\s*(?:điểm|diem|points?)?\s*$",
                         re.IGNORECASE)
_DIMENSION_WORDS = r"(?:chi so noi dung|chi so thanh phan|noi dung|dimension|linh vuc|diem thanh phan|yeu to|truc|khia canh)"
_NUMBERED = re.compile(rf"^\s*(?:{_DIMENSION_WORDS}\s*)?(\d{{1,2}})(?:\s*\.\s*(\d{{1,2}}))?(?:\s*[:.)\-]\s*|\s*$|\s+)(.*)$")


def tokens(text: object) -> list[str]:
    """Folded word and number tokens: 'Un-weighted2015PAPI' → ['un', 'weighted', '2015', 'papi']."""
    folded = strip_diacritics(str(text)).lower()
    return [_singular(t) for t in re.findall(r"[a-z]+|\d+", folded)]


def _singular(token: str) -> str:
    """English plurals ("lists", "procedures"); folded Vietnamese syllables never end in s."""
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss") and token != "sipas":
        return token[:-1]
    return token


def _remove(seq: list[str], phrases: list[list[str]]) -> tuple[list[str], bool]:
    """`seq` without any of `phrases` (longest first); True when one was found."""
    out, found, i = [], False, 0
    ordered = sorted(phrases, key=len, reverse=True)
    while i < len(seq):
        for phrase in ordered:
            if seq[i:i + len(phrase)] == phrase:
                i += len(phrase)
                found = True
                break
        else:
            out.append(seq[i])
            i += 1
    return out, found


def _has(seq: list[str], phrases: list[list[str]]) -> bool:
    return _remove(seq, phrases)[1]


def core_tokens(text: object, index_code: str | None = None) -> tuple[list[str], bool]:
    """The words that say WHAT a header is; True when it named an index (or 'total' words)."""
    seq = [t for t in tokens(text) if not re.fullmatch(r"(19|20)\d\d", t)]
    named = False
    for code, phrases in index_tokens().items():
        if index_code is None or code == index_code:
            seq, found = _remove(seq, phrases)
            named = named or found
    seq, total_words = _remove(seq, _TOTAL_WORDS + [["tong"], ["total"]])
    seq, _ = _remove(seq, _SCALE_WORDS)
    return seq, named or total_words


@dataclass(frozen=True)
class Guess:
    code: str | None
    confidence: float
    how: str                      # total | number | name | part | tokens | weighted | interval | rank | none
    note: str = ""                # a warning to show with the match (Vietnamese)
    candidates: tuple[str, ...] = field(default_factory=tuple)
    note_phrase: object = None    # the same warning as a `phrase` (key and values), for either language

    @property
    def accepted(self) -> bool:
        return self.code is not None and self.confidence >= THRESHOLD


NONE = Guess(None, 0.0, "none")


class HeaderCatalog:
    """The names and structure of one index in one year, plus the names of its other years."""

    def __init__(self, catalog: pd.DataFrame, index_code: str, year: int | None):
        rows = catalog[catalog["index_code"] == index_code]
        self.index_code = index_code
        self.year = year
        indices = registry.load_indices()
        this = indices[indices["index_code"] == index_code]
        self.weighted_total = bool(this["weighted_total"].any())  # is the catalog's TOTAL a weighted sum?
        self.official_rank = bool(this["official_rank"].any())
        self._seen: dict[str, Guess] = {}
        in_year = rows if year is None else rows[(rows["valid_from"] <= year) & (rows["valid_to"] >= year)]
        self.in_year = in_year.sort_values("sort_order")
        records = list(rows.sort_values("sort_order").itertuples(index=False))
        chosen = set(in_year.index)
        in_year_records = [r for i, r in zip(rows.sort_values("sort_order").index, records) if i in chosen]
        other_records = [r for i, r in zip(rows.sort_values("sort_order").index, records) if i not in chosen]
        self.names = self._names(in_year_records)
        self.other_names = self._names(other_records)
        self.labels = {r.indicator_code: r.name_vi for r in in_year_records}
        self.labels_en = {r.indicator_code: r.name_en for r in in_year_records
                          if isinstance(r.name_en, str) and r.name_en.strip()}
        self.levels = {r.indicator_code: r.level for r in records}
        self.parents = {r.indicator_code: r.parent_code for r in in_year_records}
        self.has_total = "TOTAL" in self.labels
        self.structure = self._structure(in_year_records)
        self.other_structures = [self._structure([r for r in records if r.valid_from <= y <= r.valid_to])
                                 for y in sorted({r.valid_from for r in records}) if y != year]

    def _names(self, records: list) -> dict[str, list[tuple[str, ...]]]:
        names: dict[str, list[tuple[str, ...]]] = {}
        for row in records:
            for name in [row.name_vi, row.name_en, *str(row.aliases).split(";")]:
                core = tuple(self._core(name)[0])
                if core and core not in names.setdefault(row.indicator_code, []):
                    names[row.indicator_code].append(core)
        return names

    def _core(self, text: object) -> tuple[list[str], bool]:
        """`core_tokens`, without the words saying the figure is weighted when the total is."""
        core, named = core_tokens(text, self.index_code)
        return (_remove(core, _WEIGHTED)[0] if self.weighted_total else core), named

    @staticmethod
    def _structure(records: list) -> dict[str, str]:
        """'3' → the 3rd dimension, '3.2' → its 2nd sub-dimension (records in sort order)."""
        places = {}
        for n, parent in enumerate([r for r in records if r.level == 1], start=1):
            places[str(n)] = parent.indicator_code
            kids = [r for r in records if r.level == 2 and r.parent_code == parent.indicator_code]
            for m, kid in enumerate(kids, start=1):
                places[f"{n}.{m}"] = kid.indicator_code
        return places

    @staticmethod
    def is_numbered(header: str) -> bool:
        found = _NUMBERED.match(strip_diacritics(str(header)).lower())
        return bool(found) and not re.fullmatch(r"(19|20)\d\d", found.group(1))

    def child_guess(self, texts: list[str], parent: str | None) -> Guess | None:
        """A level-3 indicator (chỉ tiêu) under `parent`, by its name: the official tables list each
        sub-dimension's indicators under it, and names repeat across sub-dimensions ("Mức độ hài
        lòng với dịch vụ nhận được" under each procedure), so only the siblings are candidates."""
        kids = {code: spellings for code, spellings in self.names.items()
                if self.levels.get(code) == 3 and self.parents.get(code) == parent}
        for text in reversed(texts):
            core = core_tokens(text, self.index_code)[0]
            found = self.by_words(core, kids) if core and kids else NONE
            if found.accepted:
                return found
        return None

    def has_level(self, level: int) -> bool:
        return level in {self.levels[code] for code in self.labels}

    # -- matching ---------------------------------------------------------------------------------
    def guess(self, header: str) -> Guess:
        if header not in self._seen:
            self._seen[header] = self._guess(header)
        return self._seen[header]

    def _guess(self, header: str) -> Guess:
        seq = tokens(header)
        if not seq or re.fullmatch(r"[\s\d.,%+\-]*", str(header)):
            return NONE  # a figure (stored as text) is not a header
        if _SCALE_TEXT.match(str(header)):
            return Guess(None, 1.0, "scale")
        if _has(seq, _INTERVAL if "sẽ" not in str(header).lower() else _INTERVAL_VI):
            return Guess(None, 1.0, "interval")
        unweighted = _has(seq, _UNWEIGHTED)
        weighted = _has(seq, _WEIGHTED) and not unweighted
        core, named = self._core(header)
        if _has(seq, _RANK) and not _has(seq, _TIER) and _remove(core, _RANK)[0] == []:
            return Guess(None, 1.0, "rank")
        numbered = _NUMBERED.match(strip_diacritics(str(header)).lower())
        if numbered and not re.fullmatch(r"(19|20)\d\d", numbered.group(1) or ""):
            return self._numbered(numbered)
        # The total the catalog holds is weighted (PCI) or not (PAPI): the other kind is kept apart,
        # unless the catalog has that figure by this very name (PAPI 2019's TOTAL_WEIGHTED).
        if (weighted and not self.weighted_total) or (unweighted and self.weighted_total):
            found = self.by_words(core) if core else NONE
            return found if found.how == "name" and found.code is not None else Guess(None, 1.0, "weighted")
        if not core:
            if (named or weighted) and self.has_total:
                return Guess("TOTAL", 0.95, "total")
            return NONE
        return self.by_words(core)

    def by_words(self, core: list[str], names: dict | None = None) -> Guess:
        names = self.names if names is None else names
        key = tuple(core)
        exact = [code for code, spellings in names.items() if key in spellings]
        if len(exact) == 1:
            return Guess(exact[0], 1.0, "name")
        if len(exact) > 1:
            return Guess(None, 0.5, "name", candidates=tuple(exact))
        part = [code for code, spellings in names.items() if any(_contains(s, key) for s in spellings)]
        if len(part) == 1 and sum(len(t) for t in key) >= 4:
            return Guess(part[0], 0.85, "part")
        if len(part) > 1:
            return Guess(None, 0.6, "part", candidates=tuple(part))
        scored = sorted(((max(_score(s, key) for s in spellings), code) for code, spellings in names.items()),
                        reverse=True)
        if not scored or scored[0][0] == 0:
            return NONE
        best, code = scored[0]
        if len(scored) > 1 and scored[1][0] >= best - MARGIN:
            return Guess(None, min(best, 0.6), "tokens", candidates=(code, scored[1][1]))
        return Guess(code, best, "tokens", candidates=(code,))

    def _numbered(self, found: re.Match) -> Guess:
        place = found.group(1) + (f".{found.group(2)}" if found.group(2) else "")
        label = found.group(3)
        words = core_tokens(label, self.index_code)[0]
        by_place = self.structure.get(place)
        if by_place is None:
            return self.by_words(words) if words else Guess(None, 0.0, "number")
        level = 2 if "." in place else 1
        by_name = self.by_words(words, self._at_level(self.names, level)) if words else NONE
        if not words or by_name.code == by_place or by_place in by_name.candidates:
            return Guess(by_place, 1.0 if words else 0.8, "number")
        other = self.by_words(words, self._at_level(self.other_names, level))
        best = max(by_name, other, key=lambda g: g.confidence)
        named = _likely(best)
        if named is not None and named != by_place:  # the words name another indicator than the place
            if any(s.get(place) == named for s in self.other_structures):
                return _noted(Guess(by_place, 0.9, "number"), self._reused_label(place, label, by_place))
            if best.confidence >= THRESHOLD:
                return Guess(None, 0.5, "number", candidates=(by_place, named))
        return _noted(Guess(by_place, THRESHOLD, "number"),
                      phrase("imp_label_by_number", place=place, label=label.strip(), year=self.year,
                             name=self.label_in_both(by_place), code=by_place))

    def _at_level(self, names: dict, level: int) -> dict:
        levels = self.levels
        return {code: spellings for code, spellings in names.items() if levels.get(code) == level}

    def label_in_both(self, code: str) -> ByLanguage:
        """An indicator's name in the catalog, in both languages (its code when unknown)."""
        vi = self.labels.get(code, code)
        return ByLanguage(vi, self.labels_en.get(code, vi))

    def _reused_label(self, place: str, label: str, code: str):
        return phrase("imp_label_reused", place=place, label=label.strip(), year=self.year,
                      name=self.label_in_both(code), code=code)


def _noted(guess: Guess, note) -> Guess:
    """`guess` with a warning: `note` (a phrase, a sentence of its own) and its Vietnamese text."""
    return replace(guess, note=render_part(note, "vi"), note_phrase=note)


def _likely(guess: Guess) -> str | None:
    """The indicator a guess points at, accepted or nearly (a half-matching name still names it)."""
    if guess.confidence < 0.5:
        return None
    return guess.code if guess.code is not None else (guess.candidates[0] if guess.candidates else None)


def _contains(name: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """`part` is a contiguous run of `name`'s words (a short header naming one indicator)."""
    n = len(part)
    return 0 < n < len(name) and any(name[i:i + n] == part for i in range(len(name) - n + 1))


def _score(name: tuple[str, ...], words: tuple[str, ...]) -> float:
    """Every word of the name in the header (extra words allowed): 0.7-0.95; else word overlap."""
    a, b = set(name), set(words)
    if not a or not b:
        return 0.0
    if a <= b:
        return 0.7 + 0.25 * len(a) / len(b)
    return len(a & b) / len(a | b)


def resolve_by_context(guesses: dict[str, Guess], catalog: HeaderCatalog) -> dict[str, Guess]:
    """An ambiguous short header ("Kết quả") whose candidates include exactly one sibling of the
    columns matched with confidence is that sibling."""
    parents = catalog.in_year.set_index("indicator_code")["parent_code"].to_dict()
    sure = {parents.get(g.code) for g in guesses.values() if g.accepted and g.code != "TOTAL"}
    resolved = dict(guesses)
    for key, g in guesses.items():
        if g.code is None and len(g.candidates) > 1:
            near = [c for c in g.candidates if parents.get(c) in sure]
            if len(near) == 1:
                resolved[key] = Guess(near[0], 0.8, "context", candidates=g.candidates)
    return resolved
