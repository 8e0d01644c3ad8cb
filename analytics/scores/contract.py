"""The score contract: the one table every page, export and command reads, its columns listed
once with their meaning, and the slices pages ask for.

Built by `analytics.scores.build.build_score_table` once per data version; never recomputed by
a reader. One row per (index, year, province, indicator) with a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from analytics.registry import LEGACY


class ComparabilityCode:
    """Whether a row's change against the previous year of its lineage can be read."""
    OK = "OK"              # comparable
    FIRST = "FIRST"        # no earlier year with data
    ERA = "ERA"            # the previous year is on the other provincial map (63 ↔ 34)
    BREAK = "BREAK"        # a declared methodology break (data/catalog/breaks.csv)
    ABSENT = "ABSENT"      # the indicator is not in the catalog in one of the two years
    RESCALED = "RESCALED"  # the indicator's scale differs between the two years


COLUMNS: dict[str, str] = {
    # identity
    "index_code": "index (catalog code: PAPI, PAR_INDEX, SIPAS, …)",
    "year": "year of the results",
    "era": "provincial map of that year: 'legacy' (63, to 2024) or '2025' (34)",
    "province_code": "GSO code within the era (not unique across eras)",
    "province_id": "unique identity '<era>:<code>' (legacy:24 Bắc Giang, 2025:24 Bắc Ninh)",
    "lineage_id": "continuous series: an unchanged province's legacy and 2025 rows share its 2025 id",
    "successor_id": "legacy rows: the 2025 province it became part of (None for 2025 rows)",
    "province": "Vietnamese name in its era",
    "province_en": "English name in its era",
    "region": "socio-economic region (Vietnamese)",
    "indicator_code": "stable indicator code (TOTAL, D1, D1_CIVIC_KNOWLEDGE, F3, E2, …)",
    # the figure and where it comes from
    "value": "the score",
    "batch_id": "import batch that wrote it",
    "source_id": "source of the batch (papi_2011_2019, import, demo, …)",
    "is_demo": "demo data: shown as 'Dữ liệu minh họa' everywhere",
    "derived": "computed by the importer (a total as the sum of its dimensions), not published",
    "official_rank": "the publisher's rank (PCI's VCCI rank, TOTAL rows); NA where none is published — "
                     "`rank` is always computed from the scores",
    # catalog facts in force that year
    "parent_code": "indicator one level up ('' for TOTAL)",
    "level": "0 total, 1 dimension/field/element, 2 sub-indicator, 3 indicator",
    "name_vi": "indicator name (Vietnamese)",
    "name_en": "indicator name (English)",
    "scale_min": "lowest possible value",
    "scale_max": "highest possible value (a PAR INDEX field's maximum points)",
    "unit": "unit (điểm, %)",
    "higher_is_better": "orientation",
    "sort_order": "display order in the catalog",
    # peers: the provinces with a value for this index, year and indicator
    "rank": "1 = best; ties share the best rank",
    "n_ranked": "provinces ranked",
    "group_no": "PAPI quartile group 1 (Cao nhất) … 4 (Thấp nhất)",
    "group": "group label (Vietnamese)",
    "q25": "peers' 25th percentile (of the better-first values, on the value's scale)",
    "median": "peers' median",
    "q75": "peers' 75th percentile",
    "best_value": "best value among the peers",
    # change against the previous year with data of the same lineage
    "previous_year": "that year (NA when first)",
    "previous_value": "value then",
    "previous_rank": "rank then",
    "previous_group_no": "group then (float, NaN when none): the weak flags' PERSISTENT rule",
    "score_change": "value − previous value",
    "rank_change": "previous rank − rank (positive = moved up)",
    "comparability": "a ComparabilityCode",
    "comparable": "comparability == OK",
    "not_comparable_reason": "why not (Vietnamese); None when comparable or first",
    "not_comparable_reason_en": "why not (English)",
    # survey noise
    "noise_band": "small-change band on this row's scale (0 for indices not survey-based)",
    "within_noise": "the comparable change is within sampling error (None when not comparable)",
}

KEY = ["index_code", "year", "province_id", "indicator_code"]


def check(frame: pd.DataFrame) -> None:
    """Raise ValueError when `frame` does not follow the contract (columns, unique key)."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"score table lacks {missing}")
    if frame.duplicated(KEY).any():
        raise ValueError("score table has two rows for one (index, year, province_id, indicator)")


# What a province's total series shows (score, rank, group, change): the overview's cards and
# rank lines read these narrow slices, not the ~45-column rows (a take of those per card cost
# more than the rest of the page).
SERIES_COLUMNS = ["year", "era", "province_id", "lineage_id", "value", "rank", "n_ranked", "group", "is_demo",
                  "derived", "previous_year", "score_change", "rank_change", "comparable",
                  "not_comparable_reason", "not_comparable_reason_en"]


@dataclass
class TotalSeries:
    """One index's TOTAL rows, narrow and oldest first, split once by lineage and by province."""
    years: list[int]
    first_new_year: int | None      # the first year on the 34-province map, None before it
    empty: pd.DataFrame
    by_lineage: dict[str, pd.DataFrame] = field(default_factory=dict)
    by_province: dict[str, pd.DataFrame] = field(default_factory=dict)

    def lineage(self, lineage_id: str) -> pd.DataFrame:
        return self.by_lineage.get(lineage_id, self.empty)

    def province(self, province_id: str) -> pd.DataFrame:
        return self.by_province.get(province_id, self.empty)


def total_series(totals: pd.DataFrame) -> TotalSeries:
    """TOTAL rows of one index → its `TotalSeries`."""
    rows = totals[SERIES_COLUMNS].sort_values(["year", "province_id"], kind="stable")
    new_years = rows.loc[rows["era"] != LEGACY, "year"]
    return TotalSeries(
        years=sorted(int(y) for y in rows["year"].unique()),
        first_new_year=int(new_years.min()) if len(new_years) else None,
        empty=rows.iloc[0:0],
        by_lineage={k: part for k, part in rows.groupby("lineage_id", sort=False)},
        by_province={k: part for k, part in rows.groupby("province_id", sort=False)},
    )


class ScoreTable:
    """The score table with the slices pages ask for, indexed once (the frame is shared and
    must not be changed)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    @cached_property
    def _by_index_year(self) -> dict[tuple[str, int], pd.DataFrame]:
        return {(i, int(y)): rows for (i, y), rows in self.frame.groupby(["index_code", "year"], sort=False)}

    @cached_property
    def _by_index(self) -> dict[str, pd.DataFrame]:
        return {i: rows for i, rows in self.frame.groupby("index_code", sort=False)}

    def index(self, index_code: str) -> pd.DataFrame:
        return self._by_index.get(index_code, self.frame.iloc[0:0])

    def index_year(self, index_code: str, year: int) -> pd.DataFrame:
        return self._by_index_year.get((index_code, int(year)), self.frame.iloc[0:0])

    def years(self, index_code: str) -> list[int]:
        """Years with data, oldest first."""
        return sorted({y for i, y in self._by_index_year if i == index_code})

    def latest_year(self, index_code: str) -> int | None:
        years = self.years(index_code)
        return years[-1] if years else None

    def nearest_year(self, index_code: str, year: int) -> int | None:
        """The year with data closest to `year` (the later one on a tie)."""
        years = self.years(index_code)
        return min(years, key=lambda y: (abs(y - year), -y)) if years else None

    @cached_property
    def _totals(self) -> dict[str, pd.DataFrame]:
        return {i: rows[rows["indicator_code"] == "TOTAL"] for i, rows in self._by_index.items()}

    def totals(self, index_code: str) -> pd.DataFrame:
        """The index's TOTAL rows (sliced once)."""
        return self._totals.get(index_code, self.frame.iloc[0:0])

    @cached_property
    def _total_series(self) -> dict[str, TotalSeries]:
        return {i: total_series(rows) for i, rows in self._totals.items()}

    def total_series(self, index_code: str) -> TotalSeries:
        """The index's TOTAL rows by lineage and by province (see `TotalSeries`)."""
        found = self._total_series.get(index_code)
        return found if found is not None else total_series(self.frame.iloc[0:0])

    def era_of(self, index_code: str, year: int) -> str | None:
        rows = self.index_year(index_code, year)
        return rows["era"].iloc[0] if not rows.empty else None
