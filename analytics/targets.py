"""Progress against the province's targets (pure pandas).

A target may set a score (at least, or strictly above), a rank to reach, and/or a minimum
number of places to gain over the previous comparable year. A target is met when every part
it sets is met; it is pending while the year has no result.
"""

from __future__ import annotations

import pandas as pd

MET, NOT_MET, PENDING = "met", "not_met", "pending"


def target_progress(targets: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Each target with the actual TOTAL score, rank, rank change and a status per part.

    `targets`: rows of the store's targets table; `table`: the score table
    (`reports.build_score_table`). Adds actual_score, actual_rank, n_ranked, actual_gain,
    score_ok, rank_ok, gain_ok (None where the target does not set that part) and status.
    """
    totals = table[table["indicator_code"] == "TOTAL"][
        ["era", "province_code", "index_code", "year", "value", "rank", "n_ranked", "rank_change", "comparable", "is_demo"]]
    merged = targets.merge(totals, on=["era", "province_code", "index_code", "year"], how="left")
    has_result = merged["value"].notna()

    def check(part_set: pd.Series, ok: pd.Series) -> pd.Series:
        """True/False where the target sets this part and the year has a result, else None."""
        applies = part_set & has_result
        return pd.Series([bool(o) if a else None for o, a in zip(ok.fillna(False), applies)],
                         index=merged.index, dtype=object)

    score_set = merged["target_score"].notna()
    above = merged["value"] > merged["target_score"]
    at_least = merged["value"] >= merged["target_score"]
    score_ok = check(score_set, above.where(merged["strictly_above"].fillna(False).astype(bool), at_least))
    rank_ok = check(merged["target_rank"].notna(), merged["rank"] <= merged["target_rank"])
    gain_known = merged["comparable"].fillna(False).astype(bool)
    gain_ok = check(merged["min_rank_gain"].notna() & gain_known, merged["rank_change"] >= merged["min_rank_gain"])

    parts = pd.concat([score_ok, rank_ok, gain_ok], axis=1)
    status = []
    for result, row in zip(has_result, parts.itertuples(index=False)):
        checked = [v for v in row if v is not None]
        status.append(PENDING if not result or not checked else (MET if all(checked) else NOT_MET))
    return merged.assign(actual_score=merged["value"], actual_rank=merged["rank"], actual_gain=merged["rank_change"],
                         score_ok=score_ok, rank_ok=rank_ok, gain_ok=gain_ok, status=status).drop(
        columns=["value", "rank", "rank_change"])
