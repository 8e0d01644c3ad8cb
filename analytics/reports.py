"""Tables in the shapes the command line and exports publish (pure pandas)."""

from __future__ import annotations

import pandas as pd

from analytics.scores import build_score_table as _build

SCORE_COLUMNS = ["index", "year", "era", "province_code", "province", "indicator_code", "indicator",
                 "value", "rank", "official_rank", "n_ranked", "group", "rank_change", "score_change", "source", "derived"]
PROVINCE_COLUMNS = ["code", "name", "name_en", "region", "era", "successor_code"]


def build_score_table(store) -> pd.DataFrame:
    """The score table of everything stored (`analytics.scores.contract.COLUMNS`)."""
    return _build(store.scores(), store.catalog(), store.breaks(), store.provinces(), store.indices())


def scores_report(table: pd.DataFrame, index_code: str, year: int,
                  indicator_code: str | None = None) -> pd.DataFrame:
    """One index-year (optionally one indicator), best rank first, in `SCORE_COLUMNS`.

    Changes are left empty where the previous year is not comparable, so a number is never
    read across a methodology break.
    """
    rows = table[(table["index_code"] == index_code) & (table["year"] == year)]
    if indicator_code is not None:
        rows = rows[rows["indicator_code"] == indicator_code]
    rows = rows.sort_values(["sort_order", "indicator_code", "rank", "province"])
    comparable = rows["comparable"].astype(bool)
    return pd.DataFrame({
        "index": rows["index_code"],
        "year": rows["year"],
        "era": rows["era"],
        "province_code": rows["province_code"],
        "province": rows["province"],
        "indicator_code": rows["indicator_code"],
        "indicator": rows["name_vi"],
        "value": rows["value"],
        "rank": rows["rank"],
        "official_rank": rows["official_rank"],  # the publisher's (PCI), beside the computed rank
        "n_ranked": rows["n_ranked"],
        "group": rows["group"],
        "rank_change": rows["rank_change"].where(comparable),
        "score_change": rows["score_change"].where(comparable).round(6),
        "source": rows["source_id"],
        "derived": rows["derived"].astype(bool),
    }).reset_index(drop=True)


def provinces_report(provinces: pd.DataFrame) -> pd.DataFrame:
    """Legacy provinces first, then the 2025 ones, in `PROVINCE_COLUMNS`."""
    ordered = provinces.assign(_era_order=(provinces["era"] != "legacy").astype(int))
    ordered = ordered.sort_values(["_era_order", "code"])
    return ordered[PROVINCE_COLUMNS].reset_index(drop=True)


def indicators_report(catalog: pd.DataFrame, index_code: str) -> pd.DataFrame:
    """The catalog of one index: one row per indicator and validity period."""
    rows = catalog[catalog["index_code"] == index_code].sort_values(["sort_order", "valid_from"])
    rows = rows.assign(valid_to=rows["valid_to"].where(rows["valid_to"] < 9999).astype("Int64"))
    return rows[["indicator_code", "parent_code", "level", "valid_from", "valid_to", "name_vi",
                 "name_en", "scale_min", "scale_max", "unit"]].reset_index(drop=True)
