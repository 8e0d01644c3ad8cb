"""The shapes an import plan is made of: problems, column matches, sheet plans, the plan."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics import registry
from analytics.errors import fill, located, location
from analytics.wording import DEFAULT_LANGUAGE

IGNORE = "IGNORE"


@dataclass
class Problem:
    """Something wrong in the file, where it is, and what to do. `error` blocks the import.

    Built from catalog keys (`Problem.keyed("imp_no_year", hint_key=..., sheet=...)`) it shows in
    either language (`message_in(lang)`, `hint_in(lang)`, `describe(lang)`); `message` and
    `hint` are the Vietnamese texts. A Problem built from a plain message stays Vietnamese."""
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None
    severity: str = "error"  # "error" | "warning" | "info"
    key: str | None = None
    hint_key: str | None = None
    values: dict = field(default_factory=dict)

    @classmethod
    def keyed(cls, key: str, hint_key: str | None = None, *, sheet: str | None = None, row: int | None = None,
              column: str | None = None, severity: str = "error", **values) -> "Problem":
        """The problem whose message is the catalog's `key` (hint `hint_key`), filled with `values`."""
        return cls(fill(DEFAULT_LANGUAGE, key, values), sheet, row, column,
                   fill(DEFAULT_LANGUAGE, hint_key, values) if hint_key else None, severity, key, hint_key, values)

    def message_in(self, lang: str) -> str:
        return self.message if self.key is None else fill(lang, self.key, self.values)

    def hint_in(self, lang: str) -> str | None:
        return self.hint if self.hint_key is None else fill(lang, self.hint_key, self.values)

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Where, what and what to do in `lang`; a plain-message problem stays Vietnamese."""
        lang = lang if self.key is not None else DEFAULT_LANGUAGE
        where = location(lang, self.sheet or None, self.row or None, self.column or None)
        return located(where, self.message_in(lang), self.hint_in(lang))


@dataclass
class ColumnMatch:
    sheet: str
    column: str              # letter
    header: str              # header texts joined with " / "
    header_key: str          # folded header, the key of remembered mappings
    indicator_code: str | None
    how: str                 # name | mapping | manual | ignored | kept_apart | indicator | component | province |
    #                          code | unmatched
    position: int = 0        # column number in the (possibly turned) grid
    confidence: float = 0.0
    candidates: tuple[str, ...] = ()
    kind: str = ""           # how the header was recognised (headers.Guess.how): name, number, part, tokens…

    @property
    def key(self) -> str:
        """How a choice for this column is addressed: 'Sheet!H' (or 'Sheet!12' for a turned sheet row)."""
        return f"{self.sheet}!{self.column}"


@dataclass
class SheetPlan:
    sheet: str
    index_code: str | None = None
    sub_index: str | None = None     # the one sub-index a detail sheet is named after (it supplies only that)
    year: int | None = None
    era: str | None = None
    header_rows: list[int] = field(default_factory=list)
    columns: list[ColumnMatch] = field(default_factory=list)
    summary_rows: list[int] = field(default_factory=list)
    provinces_without_data: list[str] = field(default_factory=list)
    transposed: bool = False
    scales: dict[str, str] = field(default_factory=dict)        # indicator code → the file's "Thang điểm"
    near_matches: list[tuple[str, str]] = field(default_factory=list)  # (label in the file, province)
    derived_totals: list[str] = field(default_factory=list)     # provinces whose TOTAL was derived
    note_rows: list[int] = field(default_factory=list)
    near_problems: list["Problem"] = field(default_factory=list)


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    sheets: list[SheetPlan]
    scores: pd.DataFrame      # SCORE_COLUMNS; `derived` is True for totals summed from the dimensions;
    #                           `official_rank` is the publisher's rank, on TOTAL rows only (else NaN)
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.scores.empty

    def index_years(self) -> list[tuple[str, int]]:
        pairs = self.scores[["index_code", "year"]].drop_duplicates()
        return [(i, int(y)) for i, y in pairs.itertuples(index=False)]

    def unmatched(self) -> list[ColumnMatch]:
        return [c for s in self.sheets for c in s.columns if c.how == "unmatched"]


@dataclass(frozen=True)
class Reference:
    """What matching needs from the store: catalog, indices and provinces (DataFrames)."""
    catalog: pd.DataFrame
    indices: pd.DataFrame
    provinces: pd.DataFrame

    @classmethod
    def from_data(cls) -> "Reference":
        return cls(registry.load_catalog(), registry.load_indices(), registry.load_provinces())


SCORE_COLUMNS = ["index_code", "year", "era", "province_code", "indicator_code", "value", "sheet", "row", "column",
                 "derived", "official_rank"]
