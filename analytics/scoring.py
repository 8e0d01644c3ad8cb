"""Ranks, quartile groups and year-over-year changes, as pure pandas functions.

Every function takes a DataFrame of score rows and returns a new one; inputs are never changed.
A score row has at least: index_code, year, era, province_code, indicator_code, value.
Only provinces with a value take part: a province-year without data has no rank and no group,
and the year's ranks and quartiles are among the provinces that have data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.registry import catalog_for_years

# Within one index, year and indicator, provinces are compared with each other.
PEER_KEYS = ["index_code", "year", "indicator_code"]
# One province's series over the years (an era's codes are not comparable with the other's).
SERIES_KEYS = ["index_code", "indicator_code", "era", "province_code"]

# PAPI's four groups, by quartile of the provinces' scores; applied to every index.
GROUPS = ["Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất"]
GROUPS_EN = ["Highest", "High average", "Low average", "Lowest"]
# The symbol of each group (by number 1-4), so that no view relies on colour alone.
GROUP_SYMBOLS = {1: "▲", 2: "△", 3: "▽", 4: "▼"}


def rank_provinces(scores: pd.DataFrame, higher_is_better: pd.Series | None = None) -> pd.DataFrame:
    """Add `rank` (1 = best, ties share the best rank) and `n_ranked` per index, year, indicator.

    `higher_is_better` (aligned with `scores`) defaults to a column of that name, else True.
    """
    ranked = scores.copy()
    if higher_is_better is None:
        higher_is_better = ranked.get("higher_is_better", pd.Series(True, index=ranked.index))
    better_first = ranked["value"].where(higher_is_better.astype(bool), -ranked["value"])
    peers = better_first.groupby([ranked[k] for k in PEER_KEYS])
    ranked["rank"] = peers.rank(method="min", ascending=False).astype("Int64")
    ranked["n_ranked"] = peers.transform("count").astype("Int64")
    return ranked


def quartile_group(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """PAPI's groups for one set of peers: 1 = Cao nhất (top 25%) … 4 = Thấp nhất (bottom 25%).

    Cut points are the 25th, 50th and 75th percentiles (linear interpolation) of the values
    present; a value equal to a cut point goes to the better group.
    """
    present = values.dropna()
    group = pd.Series(pd.NA, index=values.index, dtype="Int64")
    if present.empty:
        return group
    oriented = present if higher_is_better else -present
    q25, q50, q75 = np.percentile(oriented, [25, 50, 75])
    group.loc[present.index] = np.select(
        [oriented >= q75, oriented >= q50, oriented >= q25], [1, 2, 3], default=4)
    return group


def assign_groups(scores: pd.DataFrame) -> pd.DataFrame:
    """Add `group_no` (1-4) and `group` (Vietnamese label) per index, year and indicator.

    Same rule as `quartile_group`, computed for all peer sets at once.
    """
    grouped = scores.copy()
    higher = grouped.get("higher_is_better", pd.Series(True, index=grouped.index)).astype(bool)
    oriented = grouped["value"].where(higher, -grouped["value"])
    peers = oriented.groupby([grouped[k] for k in PEER_KEYS])
    q25, q50, q75 = (peers.transform("quantile", q) for q in (0.25, 0.5, 0.75))
    numbers = np.select([oriented >= q75, oriented >= q50, oriented >= q25], [1, 2, 3], default=4)
    grouped["group_no"] = pd.Series(numbers, index=grouped.index).where(oriented.notna()).astype("Int64")
    grouped["group"] = grouped["group_no"].map(lambda n: GROUPS[n - 1] if pd.notna(n) else None)
    return grouped


def add_changes(ranked: pd.DataFrame, catalog: pd.DataFrame, breaks: pd.DataFrame) -> pd.DataFrame:
    """Add changes against the province's previous year with data for the same indicator.

    New columns: previous_year, previous_value, previous_rank, score_change, rank_change
    (positive = moved up), comparable (bool; False when no previous year, or when the two years
    are not comparable) and not_comparable_reason (Vietnamese, None when comparable or when
    there is no previous year).

    Two years are not comparable when a break in `breaks` lies after the previous year and at
    or before this one (for the indicator or for every indicator, `*`), when the indicator is
    not in the catalog in one of the years, or when its scale differs between them.
    """
    changed = ranked.sort_values(SERIES_KEYS + ["year"]).copy()
    series = changed.groupby(SERIES_KEYS, sort=False)
    changed["previous_year"] = series["year"].shift(1).astype("Int64")
    changed["previous_value"] = series["value"].shift(1)
    changed["previous_rank"] = series["rank"].shift(1).astype("Int64")
    changed["score_change"] = changed["value"] - changed["previous_value"]
    changed["rank_change"] = (changed["previous_rank"] - changed["rank"]).astype("Int64")

    reasons = _not_comparable_reasons(changed, catalog, breaks)
    has_previous = changed["previous_year"].notna()
    changed["not_comparable_reason"] = reasons.where(has_previous, None)
    changed["comparable"] = has_previous & reasons.isna()
    return changed.sort_index()


def _not_comparable_reasons(changed: pd.DataFrame, catalog: pd.DataFrame,
                            breaks: pd.DataFrame) -> pd.Series:
    """One Vietnamese reason per row where the previous year is not comparable, else None."""
    reasons = pd.Series(None, index=changed.index, dtype=object)
    rows = changed[changed["previous_year"].notna()]
    if rows.empty:
        return reasons

    # 1. Declared breaks (methodology changes).
    for brk in breaks.itertuples(index=False):
        hit = ((rows["index_code"] == brk.index_code)
               & ((brk.indicator_code == "*") | (rows["indicator_code"] == brk.indicator_code))
               & (rows["previous_year"] < brk.year) & (rows["year"] >= brk.year))
        reasons.loc[hit[hit].index] = reasons.loc[hit[hit].index].fillna(brk.reason_vi)

    # 2. Indicator missing from the catalog in a year, or rescaled between the years.
    keys = ["index_code", "indicator_code", "year"]
    now = catalog_for_years(catalog, rows[keys].drop_duplicates())
    before = catalog_for_years(catalog, rows[keys[:2] + ["previous_year"]].drop_duplicates()
                               .rename(columns={"previous_year": "year"}).astype({"year": int}))
    now_scale = rows[keys].merge(now, on=keys, how="left")[["valid_from", "scale_min", "scale_max"]]
    before_scale = (rows[keys[:2] + ["previous_year"]].rename(columns={"previous_year": "year"})
                    .astype({"year": int}).merge(before, on=keys, how="left")
                    [["valid_from", "scale_min", "scale_max"]])
    now_scale.index = before_scale.index = rows.index
    absent = now_scale["valid_from"].isna() | before_scale["valid_from"].isna()
    rescaled = ~absent & ((now_scale["scale_min"] != before_scale["scale_min"])
                          | (now_scale["scale_max"] != before_scale["scale_max"]))
    for mask, text in ((absent, "chỉ số không có trong một trong hai năm"),
                       (rescaled, "thang điểm của chỉ số khác nhau giữa hai năm")):
        reasons.loc[mask[mask].index] = reasons.loc[mask[mask].index].fillna(text)
    return reasons


def score_table(scores: pd.DataFrame, catalog: pd.DataFrame, breaks: pd.DataFrame) -> pd.DataFrame:
    """Scores with catalog facts, rank, group and changes: what every page and export reads.

    Adds: parent_code, level, name_vi, name_en, scale_min, scale_max, unit, higher_is_better,
    sort_order (from the catalog row in force that year), then `rank_provinces`,
    `assign_groups` and `add_changes`.
    """
    keys = scores[["index_code", "indicator_code", "year"]].drop_duplicates()
    facts = catalog_for_years(catalog, keys)[
        ["index_code", "indicator_code", "year", "parent_code", "level", "name_vi", "name_en",
         "scale_min", "scale_max", "unit", "higher_is_better", "sort_order"]]
    table = scores.merge(facts, on=["index_code", "indicator_code", "year"], how="left")
    table["higher_is_better"] = table["higher_is_better"].fillna(True).astype(bool)
    table = rank_provinces(table)
    table = assign_groups(table)
    return add_changes(table, catalog, breaks)
