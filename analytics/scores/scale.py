"""Analytics at commune scale: synthetic units × indicators × years, the weak-indicator flags of
every row at once, and the benchmark that compares the sorted path with the group-by reference.

Provinces compute the same indices for their departments and 3,321 communes (since 2025): about
two million rows for 60 indicators over 10 years. `flag_rows` applies the worklist's rules
(weak.py) to every row with column arithmetic; TREND, which walks each series, is left to the
per-province worklist.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analytics.scores import build, fast

FLAG_CODES = ["LOW", "BELOW_MEDIAN", "DECLINE", "POINTS_LOST", "PERSISTENT"]
WEIGHTS = {"LOW": 3, "PERSISTENT": 2, "BELOW_MEDIAN": 1, "DECLINE": 2, "POINTS_LOST": 1}
POINTS_UNIT = "điểm"


def synthetic_scores(units: int = 3321, indicators: int = 60, years: int = 10, seed: int = 1) -> pd.DataFrame:
    """Deterministic unit scores on 0-10 points: index_code, year, era, province_code, lineage_id,
    indicator_code, value, higher_is_better, unit, scale_min, scale_max, level."""
    rng = np.random.default_rng(seed)
    unit_codes = np.array([f"{u:05d}" for u in range(units)])
    indicator_codes = np.array([f"I{i:02d}" for i in range(indicators)])
    year_values = np.arange(2016, 2016 + years)
    n = units * indicators * years
    frame = pd.DataFrame({
        "index_code": pd.Categorical(["COMMUNE"] * n),
        "year": np.repeat(year_values, units * indicators),
        "era": pd.Categorical(["2025"] * n),
        "province_code": np.tile(np.repeat(unit_codes, indicators), years),
        "indicator_code": np.tile(indicator_codes, units * years),
        "value": np.round(rng.uniform(2.0, 9.5, n), 2),
    })
    frame["lineage_id"] = frame["province_code"]
    return frame.assign(higher_is_better=True, unit=POINTS_UNIT, scale_min=0.0, scale_max=10.0, level=2,
                        comparable=True, noise_band=0.0, survey_based=False)


def flag_rows(table: pd.DataFrame, *, decline_rank_places: int = 5, points_lost_share: float = 0.3) -> pd.DataFrame:
    """One boolean column per rule (FLAG_COLUMNS) and `severity`, for every row of a table that
    carries the score contract's derived columns (group_no, previous_group_no, comparable,
    score_change, rank_change, noise_band, previous_year) plus `survey_based`. Same rules as `weak.assess_indicators`."""
    group = table["group_no"].to_numpy(dtype=float)
    higher = table["higher_is_better"].to_numpy(dtype=bool)
    change = table["score_change"].to_numpy(dtype=float)
    turned = np.where(higher, change, -change)
    comparable = table["comparable"].to_numpy(dtype=bool)
    survey = table["survey_based"].to_numpy(dtype=bool)
    small = survey & (np.abs(change) < table["noise_band"].to_numpy(dtype=float))
    rank_fell = -table["rank_change"].to_numpy(dtype=float, na_value=np.nan) >= decline_rank_places
    value, maximum = table["value"].to_numpy(dtype=float), table["scale_max"].to_numpy(dtype=float)
    low = group == 4
    previous_group = table["previous_group_no"].to_numpy(dtype=float)
    # compared in the engine (Arrow strings): converting two million strings to objects costs more
    points = (table["unit"] == POINTS_UNIT).to_numpy(dtype=bool)
    flags = {
        "LOW": low,
        "BELOW_MEDIAN": group >= 3,
        "DECLINE": comparable & ~small & ((turned < 0) | rank_fell),
        "POINTS_LOST": points & higher & (maximum > 0)
                       & ((maximum - value) / np.where(maximum > 0, maximum, 1) > points_lost_share),
        "PERSISTENT": low & (previous_group == 4),
    }
    severity = (flags["DECLINE"] & (turned < 0) & rank_fell).astype(np.int16)  # a fall in score and places
    for code, weight in WEIGHTS.items():  # in numpy, in place: a third of the time of pandas columns
        severity += flags[code].astype(np.int16) * weight
    return pd.DataFrame({**flags, "severity": severity}, index=table.index)


def _timed(function, *args, repeat: int = 2):
    """The result and the best of `repeat` wall times (the first run pays allocation warm-up)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return result, best


def _reference(rows: pd.DataFrame) -> pd.DataFrame:
    """Today's group-by path (rank, groups, changes along the series) without comparability."""
    ranked = build.assign_groups(build.rank_provinces(rows))
    series = ranked.sort_values(fast.SERIES_KEYS + ["year"]).groupby(fast.SERIES_KEYS, sort=False, observed=True)
    ranked["previous_rank"] = series["rank"].shift(1)
    ranked["previous_value"] = series["value"].shift(1)
    ranked["score_change"] = ranked["value"] - ranked["previous_value"]
    ranked["rank_change"] = ranked["previous_rank"] - ranked["rank"]
    return ranked


def bench_scale(units: int = 3321, indicators: int = 60, years: int = 10) -> dict[str, float]:
    """Figures of the scale benchmark: rows, seconds and rows/s of the sorted path (rank, groups,
    changes, flags) and of the group-by reference (rank, groups, changes), and their ratio."""
    rows = synthetic_scores(units, indicators, years)
    table, fast_seconds = _timed(fast.rank_group_change, rows)
    _, flag_seconds = _timed(flag_rows, table.assign(comparable=table["previous_year"].notna()))
    reference, reference_seconds = _timed(_reference, rows)
    same = bool((reference["rank"].to_numpy(dtype=float) == table["rank"].to_numpy(dtype=float)).all()
                and (reference["group_no"].to_numpy(dtype=float) == table["group_no"].to_numpy(dtype=float)).all())
    total = fast_seconds + flag_seconds
    return {"rows": float(len(rows)), "sorted_rank_group_change_s": fast_seconds, "flags_s": flag_seconds,
            "sorted_total_s": total, "sorted_rows_per_s": len(rows) / total,
            "reference_rank_group_change_s": reference_seconds,
            "reference_rows_per_s": len(rows) / reference_seconds,
            "ratio_sorted_to_reference": total / reference_seconds, "same_ranks_and_groups": float(same)}


if __name__ == "__main__":  # python -m analytics.scores.scale
    for name, value in bench_scale().items():
        print(f"{name:32s} {value:,.3f}")
