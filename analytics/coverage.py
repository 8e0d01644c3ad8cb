"""What each index-year holds: the most detailed level, provinces and indicators, and where the
figures came from. Read from the score table itself, so an import, a new index or a new year is
described the moment it is stored; `data/catalog/coverage.csv` adds the publisher's notes."""

from __future__ import annotations

import pandas as pd

from analytics.registry import COVERAGE_LEVELS

LEVEL_OF_DEPTH = {1: COVERAGE_LEVELS[0], 2: COVERAGE_LEVELS[1], 3: COVERAGE_LEVELS[2]}


def level_name(depth: int) -> str:
    """1 → "dimensions", 2 → "sub-dimensions", 3 → "indicators" (deeper counts as indicators)."""
    return LEVEL_OF_DEPTH.get(min(max(int(depth), 1), 3))


def coverage_by_year(table: pd.DataFrame, index_code: str, notes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per year of `index_code` in the score table: year, depth (deepest catalog level
    with figures), level (its name), provinces (with any figure), indicators (distinct codes),
    sources (source ids, `;`-joined), demo; and note_vi / note_en from `notes` (coverage.csv)
    where it has that index-year."""
    rows = table[(table["index_code"] == index_code) & table["value"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=["year", "depth", "level", "provinces", "indicators", "sources", "demo",
                                     "note_vi", "note_en"])
    by_year = rows.groupby("year").agg(
        depth=("level", "max"), provinces=("province_id", "nunique"), indicators=("indicator_code", "nunique"),
        sources=("source_id", lambda s: ";".join(sorted(set(map(str, s))))), demo=("is_demo", "any"),
    ).reset_index()
    by_year["depth"] = by_year["depth"].astype(int).clip(lower=1)
    by_year["level"] = by_year["depth"].map(level_name)
    if notes is not None and not notes.empty:
        mine = notes[notes["index_code"] == index_code][["year", "note_vi", "note_en"]]
        by_year = by_year.merge(mine, on="year", how="left")
    else:
        by_year = by_year.assign(note_vi=None, note_en=None)
    return by_year.sort_values("year", ignore_index=True)


def years_at_depth(coverage: pd.DataFrame, depth: int) -> list[int]:
    """The years whose figures go at least `depth` deep."""
    return [int(y) for y in coverage.loc[coverage["depth"] >= depth, "year"]]


def year_span(years: list[int]) -> str:
    """[2011, 2012, 2013, 2016] → "2011–2013, 2016" (runs of consecutive years)."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
