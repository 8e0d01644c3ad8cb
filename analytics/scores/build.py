"""Build the score table once per data version: ranks, groups, peer statistics, changes,
comparability and the noise band, computed for every row (pure pandas and numpy).

`build_score_table` takes the sorted path of `fast`; `rank_provinces`, `assign_groups` and
`add_changes` below are the plain group-by reference it is tested against.

Every function takes a DataFrame of score rows and returns a new one; inputs are never changed.
A score row has at least: index_code, year, era, province_code, indicator_code, value.
Only provinces with a value take part: a province-year without data has no rank and no group,
and the year's ranks and quartiles are among the provinces that have data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import provinces as province_ids
from analytics.registry import catalog_for_years
from analytics.scores import fast, rules
from analytics.scores.contract import COLUMNS, ComparabilityCode

# Within one index, year and indicator, provinces are compared with each other.
PEER_KEYS = ["index_code", "year", "indicator_code"]
CATALOG_FACTS = ["parent_code", "level", "name_vi", "name_en", "scale_min", "scale_max", "unit",
                 "higher_is_better", "sort_order"]
REASONS = {
    ComparabilityCode.ABSENT: ("chỉ số không có trong một trong hai năm",
                               "the indicator is absent in one of the two years"),
    ComparabilityCode.RESCALED: ("thang điểm của chỉ số khác nhau giữa hai năm",
                                 "the indicator's scale differs between the two years"),
    ComparabilityCode.ERA: ("bản đồ hành chính khác nhau (63 tỉnh đến 2024, 34 tỉnh từ 2025): thứ hạng không so sánh được",
                            "different provincial maps (63 provinces to 2024, 34 from 2025): ranks are not comparable"),
}


def rank_provinces(scores: pd.DataFrame, higher_is_better: pd.Series | None = None) -> pd.DataFrame:
    """Add `rank` (1 = best, ties share the best rank) and `n_ranked` per index, year, indicator."""
    ranked = scores.copy()
    if higher_is_better is None:
        higher_is_better = ranked.get("higher_is_better", pd.Series(True, index=ranked.index))
    better_first = rules.oriented(ranked["value"], higher_is_better)
    peers = better_first.groupby([ranked[k] for k in PEER_KEYS])
    ranked["rank"] = peers.rank(method="min", ascending=False).astype("Int64")
    ranked["n_ranked"] = peers.transform("count").astype("Int64")
    return ranked


def assign_groups(scores: pd.DataFrame) -> pd.DataFrame:
    """Add `group_no` (1-4), `group` (Vietnamese label) and the peers' q25, median, q75 and
    best value (on the value's own scale) per index, year and indicator."""
    grouped = scores.copy()
    turned = rules.oriented(grouped["value"], grouped.get("higher_is_better", True))
    peers = turned.groupby([grouped[k] for k in PEER_KEYS])
    q25, q50, q75 = (peers.transform("quantile", q) for q in rules.QUARTILES)
    numbers = rules.group_numbers(turned, q25, q50, q75)
    grouped["group_no"] = pd.Series(numbers, index=grouped.index).where(turned.notna()).astype("Int64")
    grouped["group"] = grouped["group_no"].map(rules.group_label)
    higher = pd.Series(grouped.get("higher_is_better", True), index=grouped.index).fillna(True).astype(bool)
    sign = pd.Series(np.where(higher, 1.0, -1.0), index=grouped.index)
    grouped["q25"] = q25 * sign
    grouped["median"] = q50 * sign
    grouped["q75"] = q75 * sign
    grouped["best_value"] = peers.transform("max") * sign
    return grouped


def add_changes(ranked: pd.DataFrame, catalog: pd.DataFrame, breaks: pd.DataFrame) -> pd.DataFrame:
    """Add changes against the previous year with data of the same lineage and indicator.

    New columns: previous_year, previous_value, previous_rank, previous_group_no, score_change, rank_change
    (positive = moved up), comparability (a `ComparabilityCode`), comparable (bool) and
    not_comparable_reason / not_comparable_reason_en (None when comparable or first).
    A lineage is `lineage_id` when present, else (era, province_code).
    """
    changed = ranked.copy()
    if "lineage_id" not in changed:
        changed["lineage_id"] = province_ids.ids_of(changed["era"], changed["province_code"])
    series_keys = ["index_code", "indicator_code", "lineage_id"]
    changed = changed.sort_values(series_keys + ["year"])
    series = changed.groupby(series_keys, sort=False)
    changed["previous_year"] = series["year"].shift(1).astype("Int64")
    changed["previous_value"] = series["value"].shift(1)
    changed["previous_rank"] = series["rank"].shift(1).astype("Int64")
    if "group_no" in changed:
        changed["previous_group_no"] = series["group_no"].shift(1).astype(float)
    previous_era = series["era"].shift(1)
    changed["score_change"] = changed["value"] - changed["previous_value"]
    changed["rank_change"] = rules.rank_change(changed["previous_rank"], changed["rank"]).astype("Int64")
    return add_comparability(changed, previous_era != changed["era"], catalog, breaks).sort_index()


def add_comparability(changed: pd.DataFrame, era_changed: pd.Series, catalog: pd.DataFrame,
                      breaks: pd.DataFrame) -> pd.DataFrame:
    """Add comparability (a `ComparabilityCode`), comparable and the reasons in both languages to
    rows that carry previous_year; `era_changed` marks rows whose previous year is on the other map."""
    out = changed.copy()
    codes, reasons_vi, reasons_en = _comparability(out, era_changed, catalog, breaks)
    out["comparability"] = codes
    out["comparable"] = codes == ComparabilityCode.OK
    out["not_comparable_reason"] = reasons_vi
    out["not_comparable_reason_en"] = reasons_en
    return out


def _comparability(changed: pd.DataFrame, era_changed: pd.Series, catalog: pd.DataFrame,
                   breaks: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The comparability code of each row and its reason in both languages (first cause wins:
    era, declared break, absent indicator, rescaled indicator)."""
    codes = pd.Series(ComparabilityCode.OK, index=changed.index, dtype=object)
    vi = pd.Series(None, index=changed.index, dtype=object)
    en = pd.Series(None, index=changed.index, dtype=object)
    has_previous = changed["previous_year"].notna()
    codes[~has_previous] = ComparabilityCode.FIRST
    rows = changed[has_previous]
    if rows.empty:
        return codes, vi, en

    def mark(mask: pd.Series, code: str, text_vi: str, text_en: str) -> None:
        hit = mask[mask].index
        hit = hit[codes.loc[hit] == ComparabilityCode.OK]
        codes.loc[hit] = code
        vi.loc[hit] = text_vi
        en.loc[hit] = text_en

    mark(era_changed.loc[rows.index].astype(bool), ComparabilityCode.ERA, *REASONS[ComparabilityCode.ERA])
    for brk in breaks.itertuples(index=False):
        hit = ((rows["index_code"] == brk.index_code)
               & ((brk.indicator_code == "*") | (rows["indicator_code"] == brk.indicator_code))
               & (rows["previous_year"] < brk.year) & (rows["year"] >= brk.year))
        mark(hit, ComparabilityCode.BREAK, brk.reason_vi, brk.reason_en)
    absent, rescaled = _scale_differences(rows, catalog)
    mark(absent, ComparabilityCode.ABSENT, *REASONS[ComparabilityCode.ABSENT])
    mark(rescaled, ComparabilityCode.RESCALED, *REASONS[ComparabilityCode.RESCALED])
    return codes, vi, en


def _scale_differences(rows: pd.DataFrame, catalog: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Rows whose indicator is absent from the catalog in one of the two years, and rows whose
    scale differs between them (judged once per distinct indicator and pair of years)."""
    keys = ["index_code", "indicator_code", "year", "previous_year"]
    pair = rows.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    distinct = rows[keys].iloc[np.unique(pair, return_index=True)[1]].reset_index(drop=True)
    facts = ["valid_from", "scale_min", "scale_max"]
    now = distinct[keys[:3]]
    before = distinct[keys[:2] + ["previous_year"]].rename(columns={"previous_year": "year"}).astype({"year": int})
    now_scale = now.merge(catalog_for_years(catalog, now.drop_duplicates()), on=keys[:3], how="left")[facts]
    before_scale = before.merge(catalog_for_years(catalog, before.drop_duplicates()), on=keys[:3], how="left")[facts]
    absent = (now_scale["valid_from"].isna() | before_scale["valid_from"].isna()).to_numpy()
    rescaled = ~absent & ((now_scale["scale_min"] != before_scale["scale_min"])
                          | (now_scale["scale_max"] != before_scale["scale_max"])).to_numpy()
    return (pd.Series(absent[pair], index=rows.index), pd.Series(rescaled[pair], index=rows.index))


def add_noise(table: pd.DataFrame, indices: pd.DataFrame) -> pd.DataFrame:
    """Add noise_band (the small-change band on the row's scale, see `rules`) and within_noise."""
    out = table.copy()
    level1 = out[out["level"] == 1].drop_duplicates(["index_code", "year", "indicator_code"])
    widths = (level1["scale_max"] - level1["scale_min"]).where(lambda w: w > 0)
    reference = widths.groupby([level1["index_code"], level1["year"]]).median().rename("_ref").reset_index()
    out = out.merge(reference, on=["index_code", "year"], how="left").set_index(out.index)
    facts = {code: rules.IndexFacts.of(indices, code) for code in out["index_code"].unique()}
    stated = out["index_code"].map({c: f.stated_band() for c, f in facts.items()}).astype(float)
    width = out["scale_max"] - out["scale_min"]
    scale = (width / out["_ref"]).where((width > 0) & (out["_ref"] > 0), 1.0)
    out["noise_band"] = stated * scale
    survey = out["index_code"].map({c: f.survey_based for c, f in facts.items()}).astype(bool)
    small_rank = out["index_code"].map({c: f.small_rank_change for c, f in facts.items()})
    changed = out["comparable"].astype(bool)
    noisy = (out["score_change"].abs() < out["noise_band"]) | (out["rank_change"].abs() < small_rank)
    out["within_noise"] = pd.Series(np.where(survey, noisy.fillna(False), False), index=out.index).where(changed, None)
    return out.drop(columns="_ref")


def add_provinces(scores: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Add province_id, lineage_id, successor_id and the province's names and region (of its own era)."""
    ident = province_ids.with_identity(provinces)[["era", "code", "province_id", "lineage_id", "successor_id", "name", "name_en", "region"]]
    ident = ident.rename(columns={"code": "province_code", "name": "province", "name_en": "province_en"})
    return scores.merge(ident, on=["era", "province_code"], how="left").set_index(scores.index)


def build_score_table(scores: pd.DataFrame, catalog: pd.DataFrame, breaks: pd.DataFrame,
                      provinces: pd.DataFrame, indices: pd.DataFrame) -> pd.DataFrame:
    """The score table every page, export and command reads: `contract.COLUMNS`, in that order."""
    keys = scores[["index_code", "indicator_code", "year"]].drop_duplicates()
    facts = catalog_for_years(catalog, keys)[["index_code", "indicator_code", "year", *CATALOG_FACTS]]
    table = scores.merge(facts, on=["index_code", "indicator_code", "year"], how="left")
    table["higher_is_better"] = table["higher_is_better"].fillna(True).astype(bool)
    for column, default in (("derived", False), ("is_demo", False), ("source_id", None), ("batch_id", None)):
        if column not in table:
            table[column] = default
    table["derived"] = table["derived"].fillna(False).astype(bool)
    # The publisher's rank travels beside the computed one, never replacing it.
    table["official_rank"] = (pd.to_numeric(table["official_rank"], errors="coerce").astype("Int64")
                              if "official_rank" in table else pd.Series(pd.NA, index=table.index, dtype="Int64"))
    table["is_demo"] = table["is_demo"].fillna(False).astype(bool)
    table = fast.rank_group_change(add_provinces(table, provinces))
    table = add_comparability(table, table.pop("_previous_era_changed"), catalog, breaks)
    table = add_noise(table, indices)
    return table[list(COLUMNS)].reset_index(drop=True)

