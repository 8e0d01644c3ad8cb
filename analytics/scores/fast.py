"""Ranks, groups, peer statistics and year-over-year changes by counting instead of sorting rows (numpy).

The same results as `build.rank_provinces`, `build.assign_groups` and the change step of
`build.add_changes` (the reference, kept for tests), computed with counts, cumulative sums and
gathers instead of group-by transforms, merges or a sort of every row, so that millions of rows
(communes × indicators × years) take well under a second. Inputs are never changed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.scores import rules

PEER_KEYS = ["index_code", "year", "indicator_code"]
SERIES_KEYS = ["index_code", "indicator_code", "lineage_id"]


def _dense_enough(span: int, rows: int) -> bool:
    """Whether integer ids below `span` can be used as they are (a count per possible id, an array
    of that size) rather than renumbered by hashing, which costs more on millions of rows."""
    return span <= 4 * rows + (1 << 20)


def _codes(frame: pd.DataFrame, keys: list[str], known: dict | None = None) -> np.ndarray:
    """One integer per distinct combination of `keys` (each column factorized, then combined in
    mixed radix), -1 where any key is missing. The ids are only renumbered when the product of the
    columns' cardinalities is not `_dense_enough`. `known` keeps each column's factorization for the
    next call (peer and series keys share two columns)."""
    known = {} if known is None else known
    combined = np.zeros(len(frame), dtype=np.int64)
    span = 1
    for key in keys:
        if key not in known:
            codes, uniques = pd.factorize(frame[key], sort=False)  # -1 where missing
            known[key] = (codes, len(uniques))
        codes, size = known[key]
        combined = np.where((combined < 0) | (codes < 0), -1, combined * size + codes)
        span *= size
    if _dense_enough(span, len(frame)):
        return combined
    return np.where(combined < 0, -1, pd.factorize(combined, sort=False)[0])


def _ascending_codes(keys: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of non-negative integer keys below `span` that keep their order, and the key of each
    code: the keys themselves when `_dense_enough` (scores with two decimals: a few hundred
    distinct values per peer set), else a sorted factorization (which sorts the distinct keys only)."""
    if _dense_enough(span, len(keys)):
        return keys, np.arange(span)
    return pd.factorize(keys, sort=True)


def peer_statistics(values: np.ndarray, higher_is_better: np.ndarray, peer: np.ndarray) -> dict[str, np.ndarray]:
    """rank (min method, 1 = best), n_ranked, group_no, q25, median, q75, best_value for each row;
    `peer` is an integer peer-set id per row. NaN values take no part (rank NaN).

    No row is sorted. Each distinct (peer set, value) pair gets a code in best-first order; a
    count per pair and its cumulative sum give each pair's place in the sorted order, hence the
    rank (rows of the peer set before it, plus one), and the value at any place (the quantiles,
    the best) is found by a binary search over the pairs."""
    turned = np.where(higher_is_better, values, -values)
    present = ~np.isnan(turned)
    n_groups = int(peer.max()) + 1 if len(peer) else 0
    peer_present = peer[present]
    counts = np.bincount(peer_present, minlength=n_groups)
    peer_first = np.cumsum(counts) - counts  # a peer set's first place in the sorted order
    value_code, distinct = pd.factorize(turned[present], sort=True)  # ascending
    span = max(len(distinct), 1)
    pair, pair_keys = _ascending_codes(peer_present.astype(np.int64) * span + (span - 1 - value_code),
                                       n_groups * span)
    per_pair = np.bincount(pair, minlength=len(pair_keys))
    pair_end = np.cumsum(per_pair)  # the place after a pair's rows
    pair_peer = pair_keys // span
    pair_value = distinct[span - 1 - pair_keys % span] if len(distinct) else np.zeros(len(pair_keys))

    def value_at(place: np.ndarray) -> np.ndarray:
        return pair_value[np.searchsorted(pair_end, place, side="right")]

    ranked = np.flatnonzero(counts)  # peer sets with at least one value
    n, first = counts[ranked], peer_first[ranked]
    quantiles = {}
    for name, q in (("q25", 0.25), ("median", 0.5), ("q75", 0.75)):
        h = (n - 1) * q
        lo = np.floor(h).astype(int)
        hi = np.minimum(lo + 1, n - 1)
        low = value_at(first + n - 1 - lo)  # ascending position k is place n-1-k (best first)
        quantiles[name] = np.full(n_groups, np.nan)
        quantiles[name][ranked] = low + (h - lo) * (value_at(first + n - 1 - hi) - low)
    best = np.full(n_groups, np.nan)
    best[ranked] = value_at(first)
    # rank and group are the same for every row of a pair: computed per pair, then gathered
    pair_rank = pair_end - per_pair - peer_first[pair_peer] + 1
    pair_group = rules.group_numbers(pair_value, *(quantiles[name][pair_peer] for name in ("q25", "median", "q75")))
    rank, group_no = np.full(len(values), np.nan), np.full(len(values), np.nan)
    rank[present] = pair_rank[pair]
    group_no[present] = pair_group[pair]
    sign = np.where(higher_is_better, 1.0, -1.0)
    return {"rank": rank, "n_ranked": counts[peer].astype(float), "group_no": group_no,
            "q25": quantiles["q25"][peer] * sign, "median": quantiles["median"][peer] * sign,
            "q75": quantiles["q75"][peer] * sign, "best_value": best[peer] * sign}


def previous_in_series(series: np.ndarray, years: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
    """For each row, the year and the given columns of the previous row (by year) of its series;
    NaN for the first year of a series and where the series is unknown (id -1). `series` is an
    integer id per row.

    The rows are visited year by year (a counting sort of the few distinct years), keeping each
    series' latest row so far: a row's previous is its series' latest row when its year comes. Two
    rows of one series in one year both get the row of the latest earlier year. Each column is then
    one gather."""
    year_code, distinct_years = pd.factorize(years, sort=True)
    # 16-bit keys: numpy's stable sort is then a radix sort, linear in the rows
    by_year = np.argsort(year_code.astype(np.int16 if len(distinct_years) < 2 ** 15 else np.int64), kind="stable")
    latest = np.full(int(series.max()) + 1 if len(series) else 0, -1, dtype=np.int64)
    previous = np.full(len(series), -1, dtype=np.int64)
    start = 0
    for count in np.bincount(year_code, minlength=len(distinct_years)):
        rows = by_year[start:start + count]
        start += count
        rows = rows[series[rows] >= 0]  # a row without a series has no previous (and is none's)
        keys = series[rows]
        previous[rows] = latest[keys]
        latest[keys] = rows
    no_previous = np.flatnonzero(previous < 0)
    previous[no_previous] = 0

    def gather(column: np.ndarray) -> np.ndarray:
        out = np.asarray(column, dtype=float)[previous]
        out[no_previous] = np.nan
        return out

    return [gather(column) for column in (years, *columns)]


def _integers(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers held as floats (NaN where missing) as a nullable Int64 array, in one pass
    (through Float64 it takes two)."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def rank_group_change(table: pd.DataFrame) -> pd.DataFrame:
    """rank, n_ranked, group_no, group, q25, median, q75, best_value, previous_year,
    previous_value, previous_rank, previous_group_no, score_change, rank_change: added to a copy of `table`
    (index_code, year, indicator_code, lineage_id, value, higher_is_better; era when present).
    `_previous_era_changed` (temporary) says the previous year is on the other provincial map."""
    out = table.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    values = out["value"].to_numpy(dtype=float)
    higher = out["higher_is_better"].fillna(True).to_numpy(dtype=bool) if "higher_is_better" in out \
        else np.ones(len(out), dtype=bool)
    factorized: dict = {}
    stats = peer_statistics(values, higher, _codes(out, PEER_KEYS, factorized))
    for name in ("q25", "median", "q75", "best_value"):
        out[name] = stats[name]
    out["rank"] = _integers(stats["rank"])
    out["n_ranked"] = _integers(stats["n_ranked"])
    out["group_no"] = _integers(stats["group_no"])
    group_codes = np.nan_to_num(stats["group_no"], nan=0).astype(int) - 1  # -1: no value, no group
    out["group"] = pd.Categorical.from_codes(group_codes, categories=rules.GROUPS)
    eras = pd.factorize(out["era"])[0] if "era" in out else np.zeros(len(out))
    year, value, rank, era, group = previous_in_series(_codes(out, SERIES_KEYS, factorized), out["year"].to_numpy(),
                                                       values, stats["rank"], eras, stats["group_no"])
    out["_previous_era_changed"] = ~np.isnan(era) & (era != eras)
    out["previous_year"] = _integers(year)
    out["previous_value"] = value
    out["previous_rank"] = _integers(rank)
    out["previous_group_no"] = group  # float, NaN where none: the weak flags' PERSISTENT rule
    out["score_change"] = values - value
    out["rank_change"] = rules.rank_change(out["previous_rank"], out["rank"]).astype("Int64")
    return out
