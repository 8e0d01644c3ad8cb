"""One definition of each rule the score table applies (pure; no pandas state).

- Orientation: a value is compared "better first": as is where higher is better, negated where
  lower is better.
- Rank: 1 = best among the provinces with data (ties share the best rank).
- Groups: PAPI's four groups by quartile of the peers' oriented values (linear interpolation);
  a value equal to a cut point goes to the better group. Applied to every index.
- Rank change: previous rank − rank (positive = moved up).
- Noise band (survey-based indices only): a change smaller than the index's
  `small_score_change` (stated on the scale of its level-1 indicators) is within sampling error;
  on another scale the band is multiplied by that indicator's scale width over the median
  level-1 width that year (PAPI 2018+ total 8-80: 0.25 × 72 / 9 = 2.0 points). A rank move
  smaller than `small_rank_change` places is not meaningful either. Other indices: band 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# PAPI's four groups, best first (group_no 1-4).
GROUPS = ["Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất"]
GROUPS_EN = ["Highest", "High average", "Low average", "Lowest"]
# The symbol of each group (by number 1-4), so that no view relies on colour alone.
GROUP_SYMBOLS = {1: "▲", 2: "△", 3: "▽", 4: "▼"}
LOWEST_GROUP = 4
QUARTILES = (0.25, 0.5, 0.75)


def oriented(values: pd.Series, higher_is_better) -> pd.Series:
    """Values turned so that larger is better."""
    higher = pd.Series(higher_is_better, index=values.index).fillna(True).astype(bool)
    return values.where(higher, -values)


def group_numbers(oriented_values, q25, q50, q75) -> np.ndarray:
    """1 (top quartile) … 4 (bottom quartile) for oriented values against oriented cut points."""
    return np.select([oriented_values >= q75, oriented_values >= q50, oriented_values >= q25],
                     [1, 2, 3], default=4)


def group_label(group_no, lang: str = "vi") -> str | None:
    if group_no is None or pd.isna(group_no):
        return None
    return (GROUPS_EN if lang == "en" else GROUPS)[int(group_no) - 1]


def quartile_group(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """The groups of one set of peers (NA where a value is missing)."""
    present = values.dropna()
    group = pd.Series(pd.NA, index=values.index, dtype="Int64")
    if present.empty:
        return group
    turned = present if higher_is_better else -present
    q25, q50, q75 = np.percentile(turned, [25, 50, 75])
    group.loc[present.index] = group_numbers(turned, q25, q50, q75)
    return group


def rank_change(previous_rank, rank):
    """Places gained (positive = moved up)."""
    return previous_rank - rank


@dataclass(frozen=True)
class IndexFacts:
    """What the catalog says of an index that the rules use."""
    index_code: str
    short_name: str
    survey_based: bool
    small_score_change: float
    small_rank_change: int
    points_lost_share: float | None
    new_provinces_from: int | None

    @classmethod
    def of(cls, indices: pd.DataFrame, index_code: str) -> IndexFacts:
        match = indices[indices["index_code"] == index_code]
        if match.empty:
            return cls(index_code, index_code, False, 0.0, 0, None, None)
        row = match.iloc[0]
        return cls(index_code, str(row.get("short_name") or index_code), _flag(row.get("survey_based")),
                   _number(row.get("small_score_change"), 0.0), int(_number(row.get("small_rank_change"), 0)),
                   _number(row.get("points_lost_share"), None),
                   None if _missing(row.get("new_provinces_from")) else int(row.get("new_provinces_from")))

    def stated_band(self, override: float | None = None) -> float:
        """The small-change band on the level-1 scale; 0 for an index that is not survey-based."""
        if not self.survey_based:
            return 0.0
        return float(self.small_score_change if override is None else override)


def noise_scale(scale_min, scale_max, reference_width) -> float:
    """How many level-1 bands one band on this indicator's scale is (1 when unknown)."""
    if _missing(scale_min) or _missing(scale_max) or _missing(reference_width) or reference_width <= 0:
        return 1.0
    width = float(scale_max) - float(scale_min)
    return width / float(reference_width) if width > 0 else 1.0


def within_noise(survey_based: bool, band: float, small_rank_change: int, score_change, rank_change_) -> bool | None:
    """None without a comparable change; False for indices that are not survey-based."""
    if _missing(score_change) or _missing(rank_change_):
        return None
    if not survey_based:
        return False
    return bool(abs(score_change) < band or abs(rank_change_) < small_rank_change)


def _missing(value) -> bool:
    return value is None or value is pd.NA or value == "" or (isinstance(value, float) and np.isnan(value))


def _number(value, default):
    return default if _missing(value) else float(value)


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "x"}
    return bool(value) if not _missing(value) else False
