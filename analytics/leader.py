"""Leader views of one province: headline, dimension profile, rank history, why the rank moved,
what it takes to climb, default peers and side-by-side comparison.

Pure pandas (no Streamlit, no DuckDB). Every function reads the score table
(`analytics.scores.contract.COLUMNS`: ranks, groups, changes, the noise band and `within_noise`
computed once) and returns a new dict or DataFrame; inputs are never changed. A province is its
id (`legacy:24`, `2025:24`); series follow lineages (`analytics.provinces`). A missing
province-year is not a zero: it has no score and no rank, and ranks, medians and bests are among
the provinces with data that year.

Rules chosen here (stated once, used everywhere below; groups, orientation, rank change and the
survey noise band are `analytics.scores.rules`)
------------------------------------------------------------------------------------------------
- Contributions (why the rank moved): a dimension's contribution to the change of the total is
  the change of the dimension's value between the same two years. When the total is the sum of
  the level-1 indicators in both years (checked on the data: every province with all level-1
  values has sum = total within 0.005 per term; true for PAPI and PAR INDEX) the contributions add
  up to the change of the total (`additive` True, the rounding left is `residual`). Otherwise
  (SIPAS 2017-2021, whose total is a mean of its elements) the same number is the change in the
  dimension's points, not a share of the total's change: `additive` False and the note says so.
- What-if: against this year's field, the other provinces' totals fixed. To gain k places from
  rank r the target rank is t = r - k (at least 1); the province "at that rank" is the t-th best
  of the other provinces (ties broken by name), and the total needed is its total + `epsilon`
  (0.0001 in the index's unit; minus for an indicator where lower is better), so the province is
  strictly ahead of it. Points needed = needed - current total. A province already first gets a
  row saying so; a target above first place is capped at first place and says so.
- What-if plan by dimension ("cheapest first by distance to the national best"): only where the
  total is the sum of the level-1 indicators (see contributions). Each dimension's room is the
  distance from the province's value to the best value of any province that year. Dimensions are
  filled largest room first (the places where other provinces show the most is achievable; ties
  by catalog order), each up to the national best, until the points needed are placed. If all
  the rooms together are smaller than the points needed, the plan is incomplete and `shortfall`
  says by how much.
- Default peers: the province ranked just above and the one just below on the total (direct
  rivals), then the provinces of the same region by closeness of their rank, then further rank
  neighbours alternately above and below, distinct, the province itself excluded, at most n.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analytics import provinces as province_ids
from analytics.registry import LEGACY
from analytics.scores import rules

TOTAL = "TOTAL"
EPSILON = 0.0001
NEIGHBOURS_EACH_SIDE = 2
LISTED_PROVINCES = 3  # provinces named in a sentence before "…"



# -- small helpers ---------------------------------------------------------------------------

def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _int(value) -> int | None:
    return None if _missing(value) else int(value)


def _float(value) -> float | None:
    return None if _missing(value) else float(value)


def _number(value: float, lang: str, decimals: int = 2) -> str:
    """92.55 → "92,55" (vi) / "92.55" (en); thousands with the other mark."""
    text = f"{abs(value):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return ("−" if value < 0 and round(abs(value), decimals) != 0 else "") + text


def _signed(value: float, lang: str, decimals: int = 2) -> str:
    sign = "+" if round(value, decimals) > 0 else ("−" if round(value, decimals) < 0 else "±")
    return sign + _number(abs(value), lang, decimals)


def _name(row, lang: str = "vi") -> str:
    column = "province_en" if lang == "en" else "province"
    name = row.get(column) if hasattr(row, "get") else getattr(row, column, None)
    if _missing(name) or name == "":
        name = row.get("province") if lang == "en" else None
    return str(row["province_id"]) if _missing(name) or name == "" else str(name)


def _present(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["value"].notna()]


def _totals(table: pd.DataFrame, index_code: str, year: int | None = None) -> pd.DataFrame:
    rows = table[(table["index_code"] == index_code) & (table["indicator_code"] == TOTAL)]
    if year is not None:
        rows = rows[rows["year"] == year]
    return _present(rows)


def _ordered_field(field: pd.DataFrame) -> pd.DataFrame:
    """One index-year-indicator's provinces best first (rank, then name, then code)."""
    return (field.assign(_name=field["province"].fillna(field["province_id"]))
            .sort_values(["rank", "_name", "province_id"]).drop(columns="_name"))


def _own(table: pd.DataFrame, province_id: str) -> pd.DataFrame:
    """The rows of the province's lineage: its own, and for an unchanged province those of the
    same place on the other map (one continuous series)."""
    mine = table["province_id"] == province_id
    lineage = table.loc[mine, "lineage_id"]
    key = lineage.iloc[0] if not lineage.empty else province_id
    return table[mine | (table["lineage_id"] == key)]


def _noise_rank_band(indices: pd.DataFrame | None, index_code: str) -> int:
    return 0 if indices is None else rules.IndexFacts.of(indices, index_code).small_rank_change


def is_additive(table: pd.DataFrame, index_code: str, year: int) -> bool:
    """True when, that year, the total is the sum of the level-1 indicators.

    Checked on the data: every province with a total and a value for every level-1 indicator
    that has data that year must have |sum − total| ≤ 0.005 × number of indicators (rounding of
    published figures); at least one such province is needed.
    """
    rows = _present(table[(table["index_code"] == index_code) & (table["year"] == year)])
    level1 = rows[rows["level"] == 1]
    totals = rows[rows["indicator_code"] == TOTAL].set_index("province_id")["value"]
    if level1.empty or totals.empty:
        return False
    n_indicators = level1["indicator_code"].nunique()
    sums = level1.groupby("province_id")["value"].agg(["sum", "count"])
    complete = sums[sums["count"] == n_indicators].join(totals.rename("total"), how="inner")
    if complete.empty:
        return False
    return bool(((complete["sum"] - complete["total"]).abs() <= 0.005 * n_indicators + 1e-9).all())


def _indicator_names(rows: pd.DataFrame) -> pd.DataFrame:
    """Catalog facts per indicator as in force in its latest year in `rows`."""
    facts = ["indicator_code", "name_vi", "name_en", "level", "parent_code", "sort_order", "unit",
             "scale_min", "scale_max", "higher_is_better"]
    return (rows.sort_values("year").drop_duplicates("indicator_code", keep="last")[facts]
            .reset_index(drop=True))


# -- headline --------------------------------------------------------------------------------

def headline(table: pd.DataFrame, indices: pd.DataFrame, province_id: str, index_code: str,
             year: int | None = None) -> dict | None:
    """The province's total on one index, for the latest year with data (or `year`).

    In: the score table, the indices frame (`Store.indices()`: survey_based, small_score_change,
    small_rank_change), a province id (`legacy:24`, `2025:24`), an index code, optionally a year.
    Without a year: the latest year with data of the province's lineage (an unchanged province's
    2024 result stands until it has a 2025 one).
    Out: None when the province has no total that year (or ever); else a dict with index_code,
    province_id, province, province_en, year, score, unit, scale_min, scale_max, rank,
    n_ranked, group_no, group, previous_year, previous_value, score_change, rank_change,
    comparable, not_comparable_reason, within_noise, noise_band (score band on the total's
    scale), noise_rank_band, survey_based, is_demo. score_change and rank_change are None when
    the two years are not comparable (never read across a break); previous_year stays.
    within_noise follows the rule of the module docstring.
    """
    rows = _own(_totals(table, index_code, year), province_id)
    if rows.empty:
        return None
    row = rows.sort_values("year").iloc[-1]
    year = int(row["year"])
    facts = rules.IndexFacts.of(indices, index_code)
    comparable = bool(row["comparable"])
    score_change = _float(row["score_change"]) if comparable else None
    rank_change = _int(row["rank_change"]) if comparable else None
    return {
        "index_code": index_code, "province_id": row["province_id"], "era": row["era"],
        "province": row.get("province"), "province_en": row.get("province_en"),
        "year": year, "score": float(row["value"]), "unit": row.get("unit"),
        "scale_min": _float(row.get("scale_min")), "scale_max": _float(row.get("scale_max")),
        "rank": _int(row["rank"]), "n_ranked": _int(row["n_ranked"]),
        "group_no": _int(row["group_no"]), "group": row["group"],
        "previous_year": _int(row["previous_year"]), "previous_value": _float(row["previous_value"]),
        "score_change": score_change, "rank_change": rank_change, "comparable": comparable,
        "not_comparable_reason": None if _missing(row["not_comparable_reason"]) else row["not_comparable_reason"],
        "not_comparable_reason_en": None if _missing(row["not_comparable_reason_en"]) else row["not_comparable_reason_en"],
        "within_noise": None if _missing(row["within_noise"]) else bool(row["within_noise"]),
        "noise_band": float(row["noise_band"]), "noise_rank_band": facts.small_rank_change,
        "survey_based": facts.survey_based, "is_demo": bool(row.get("is_demo", False)),
        "derived": bool(row.get("derived", False)),
    }


# -- dimension profile -----------------------------------------------------------------------

PROFILE_COLUMNS = ["indicator_code", "name_vi", "name_en", "level", "parent_code", "sort_order",
                   "unit", "scale_min", "scale_max", "higher_is_better", "value", "median",
                   "best_value", "best_province_id", "best_province", "best_province_en",
                   "n_best", "rank", "n_ranked", "group_no", "group", "gap_to_median",
                   "gap_to_best", "score_change", "rank_change", "comparable", "has_children",
                   "is_demo"]


def dimension_profile(table: pd.DataFrame, province_id: str, index_code: str, year: int,
                      level: int = 1, parent: str | None = None) -> pd.DataFrame:
    """One province against the country on the indicators of one level, for a radar/bar chart.

    In: the score table, province, index, year; `level` (0 total, 1 dimension, 2 sub-indicator)
    or, when `parent` is given, the children of that indicator (whatever their level) — the
    drill-down total → dimension → sub-indicator.
    Out: one row per indicator with data that year (for any province), in catalog order, with
    `PROFILE_COLUMNS`: the province's value (NaN when it has none), the national median, the best
    value and the best province (first by name when tied; `n_best` tied), rank, n_ranked, group,
    gap_to_median (province − median, oriented so that positive is better), gap_to_best
    (distance to the best, ≥ 0, in the indicator's unit), the comparable changes, and
    has_children (the indicator has sub-indicators with data that year: drill-down possible).
    """
    field = field_profile(table, index_code, year, level=level, parent=parent)
    return province_profile(field, table, province_id, index_code, year)


def _level_rows(year_rows: pd.DataFrame, level: int, parent: str | None) -> pd.DataFrame:
    """One index-year's rows of a level, or the children of `parent` when given."""
    return year_rows[year_rows["parent_code"] == parent] if parent is not None else year_rows[year_rows["level"] == level]


def field_profile(table: pd.DataFrame, index_code: str, year: int, level: int = 1,
                  parent: str | None = None) -> pd.DataFrame:
    """The part of `dimension_profile` that is the same for every province: per indicator its
    catalog facts, the national median, the best value and province (`n_best` tied) and
    `has_children`; indexed by indicator_code. Empty when the level has no data that year."""
    year_rows = table[(table["index_code"] == index_code) & (table["year"] == year)]
    present = _present(_level_rows(year_rows, level, parent))
    if present.empty:
        return pd.DataFrame()
    facts = _indicator_names(present)
    oriented = rules.oriented(present["value"], present["higher_is_better"])
    stats = present.assign(_o=oriented)
    best_o = stats.groupby("indicator_code")["_o"].transform("max")
    best = _ordered_field(stats[stats["_o"] == best_o])
    best_summary = best.groupby("indicator_code", sort=False).agg(
        best_value=("value", "first"), best_province_id=("province_id", "first"),
        best_province=("province", "first"), best_province_en=("province_en", "first"),
        n_best=("province_id", "size"))
    medians = present.groupby("indicator_code")["value"].median().rename("median")
    parents = set(_present(year_rows)["parent_code"].dropna().unique())
    field = facts.set_index("indicator_code").join(medians).join(best_summary)
    return field.assign(has_children=field.index.isin(parents))


def province_profile(field: pd.DataFrame, table: pd.DataFrame, province_id: str, index_code: str,
                     year: int) -> pd.DataFrame:
    """`dimension_profile` from its province-independent part (`field_profile` of the same
    index, year, level or parent) and the province's own rows."""
    if field.empty:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    rows = table[(table["index_code"] == index_code) & (table["year"] == year) & (table["province_id"] == province_id)]
    own = rows[rows["indicator_code"].isin(field.index)].drop_duplicates("indicator_code")
    own = own.set_index("indicator_code")[["value", "rank", "n_ranked", "group_no", "group",
                                           "score_change", "rank_change", "comparable", "is_demo"]]
    profile = field.join(own).rename_axis("indicator_code").reset_index()
    higher = profile["higher_is_better"].astype(bool)
    sign = np.where(higher, 1.0, -1.0)
    profile["gap_to_median"] = (profile["value"] - profile["median"]) * sign
    profile["gap_to_best"] = (profile["best_value"] - profile["value"]) * sign
    profile["comparable"] = profile["comparable"].fillna(False).astype(bool)
    keep = profile["comparable"]
    profile["score_change"] = profile["score_change"].where(keep)
    profile["rank_change"] = profile["rank_change"].astype("Int64").where(keep)
    profile["has_children"] = profile["has_children"].astype(bool)
    profile["is_demo"] = profile["is_demo"].fillna(False).astype(bool)
    for column in ("rank", "n_ranked", "group_no", "n_best"):
        profile[column] = profile[column].astype("Int64")
    return profile.sort_values(["sort_order", "indicator_code"])[PROFILE_COLUMNS].reset_index(drop=True)


# -- rank history ----------------------------------------------------------------------------

def rank_history(table: pd.DataFrame, province_id: str, index_code: str, level: int = 1) -> pd.DataFrame:
    """The province's rank per year and indicator of one level, long format, for a bump chart.

    In: the score table, province id, index, level (0 for the total alone). The province's
    lineage is followed (an unchanged province across both maps); the `era` column says which
    map each year's rank is on (of 63 or of 34).
    Out: every year the index has data on the maps the lineage lives on × every indicator of that level seen
    in any year, in catalog order then year: year, indicator_code, name_vi, name_en, sort_order,
    value, rank, n_ranked, group_no, group, indicator_has_data (any province has the indicator
    that year). rank and value are NA where the province or the indicator has no data, so a
    chart shows gaps rather than joining across them.
    """
    rows = table[table["index_code"] == index_code]
    present = _present(rows)
    years = sorted(int(y) for y in present["year"].unique())
    level_rows = present[present["level"] == level]
    if level == 0:  # the total alone: a weighted total (PAPI 2019 TOTAL_WEIGHTED) is another measure
        level_rows = level_rows[level_rows["indicator_code"] == "TOTAL"]
    columns = ["year", "indicator_code", "name_vi", "name_en", "sort_order", "value", "rank",
               "n_ranked", "group_no", "group", "era", "indicator_has_data"]
    if not years or level_rows.empty:
        return pd.DataFrame(columns=columns)
    names = _indicator_names(level_rows)[["indicator_code", "name_vi", "name_en", "sort_order"]]
    own = _own(level_rows, province_id)
    # Only the years of the maps the province's lineage lives on (a 2025 province starts in 2025).
    eras = set(own["era"])
    years = sorted(int(y) for y in present.loc[present["era"].isin(eras), "year"].unique()) if eras else years
    grid = pd.MultiIndex.from_product([years, names["indicator_code"]],
                                      names=["year", "indicator_code"]).to_frame(index=False)
    own = own.drop_duplicates(["year", "indicator_code"])[
        ["year", "indicator_code", "value", "rank", "n_ranked", "group_no", "group", "era"]]
    seen = level_rows[["year", "indicator_code"]].drop_duplicates().assign(indicator_has_data=True)
    history = (grid.merge(names, on="indicator_code", how="left")
               .merge(own.astype({"year": int}), on=["year", "indicator_code"], how="left")
               .merge(seen.astype({"year": int}), on=["year", "indicator_code"], how="left"))
    history["indicator_has_data"] = history["indicator_has_data"].fillna(False).astype(bool)
    for column in ("rank", "n_ranked", "group_no"):
        history[column] = history[column].astype("Int64")
    return history.sort_values(["sort_order", "indicator_code", "year"])[columns].reset_index(drop=True)


# -- why the rank moved ----------------------------------------------------------------------

MOVE_COLUMNS = ["province_id", "province", "province_en", "rank", "value", "previous_rank",
                "previous_value", "score_change", "rank_change"]


def _moves(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Every province of `now` with its rank and value in `before` (NA when absent there)."""
    prev = before[["province_id", "rank", "value"]].rename(
        columns={"rank": "previous_rank", "value": "previous_value"})
    moved = _ordered_field(now)[["province_id", "province", "province_en", "rank", "value"]]
    moved = moved.merge(prev, on="province_id", how="left")
    moved["score_change"] = moved["value"] - moved["previous_value"]
    moved["rank_change"] = rules.rank_change(moved["previous_rank"], moved["rank"]).astype("Int64")
    return moved[MOVE_COLUMNS]


def _listed(frame: pd.DataFrame, lang: str) -> str:
    items = [f"{_name(row, lang)} {_signed(row['score_change'], lang)}"
             if not _missing(row.get("score_change")) else _name(row, lang)
             for _, row in frame.head(LISTED_PROVINCES).iterrows()]
    if len(frame) > LISTED_PROVINCES:
        items.append("…")
    return ", ".join(items)


def _places(n: int, lang: str) -> str:
    return f"{n} bậc" if lang == "vi" else f"{n} place" + ("" if n == 1 else "s")


def _provinces(n: int, lang: str, other: bool = False) -> str:
    if lang == "vi":
        return f"{n} tỉnh khác" if other else f"{n} tỉnh"
    noun = "province" if n == 1 else "provinces"
    return f"{n} other {noun}" if other else f"{n} {noun}"


def _move_sentence(lang: str, *, score_change: float, rank_change: int, rank: int, n_ranked: int,
                   previous_rank: int, year: int, previous_year: int, overtaken_by: pd.DataFrame, overtook: pd.DataFrame,
                   entered_above: pd.DataFrame, left_above: pd.DataFrame,
                   noise: dict | None) -> str:
    vi = lang == "vi"
    sc = round(score_change, 2)
    if sc > 0:
        score = f"Điểm tăng {_number(score_change, lang)}" if vi else f"The score rose by {_number(score_change, lang)}"
    elif sc < 0:
        score = f"Điểm giảm {_number(-score_change, lang)}" if vi else f"The score fell by {_number(-score_change, lang)}"
    else:
        score = "Điểm gần như không đổi" if vi else "The score was almost unchanged"
    where = (f"(hạng {previous_rank} năm {previous_year} → {rank}/{n_ranked} năm {year})" if vi
             else f"(rank {previous_rank} in {previous_year} → {rank} of {n_ranked} in {year})")

    if rank_change == 0:
        text = (f"{score} so với năm {previous_year}, giữ nguyên hạng {rank}/{n_ranked}" if vi
                else f"{score} since {previous_year} and the rank held at {rank} of {n_ranked}")
        if len(overtaken_by) or len(overtook):
            text += (f" (vượt {_provinces(len(overtook), lang)}, bị {_provinces(len(overtaken_by), lang)} vượt)"
                     if vi else f" (passed {_provinces(len(overtook), lang)}, "
                                f"passed by {_provinces(len(overtaken_by), lang)})")
    else:
        down = rank_change < 0
        against = (sc > 0 and down) or (sc < 0 and not down)
        if vi:
            move = f"tụt {_places(-rank_change, lang)}" if down else f"tăng {_places(rank_change, lang)}"
            text = f"{score} {'nhưng' if against else 'và'} {move} {where}"
        else:
            move = (f"the rank fell {_places(-rank_change, lang)}" if down
                    else f"the rank rose {_places(rank_change, lang)}")
            text = f"{score} {'but' if against else 'and'} {move} {where}"
        causes = []
        if down:
            if len(overtaken_by):
                if sc > 0:
                    causes.append(f"{_provinces(len(overtaken_by), lang, other=True)} tăng nhanh hơn"
                                  if vi else f"{_provinces(len(overtaken_by), lang, other=True)} "
                                             f"rose faster")
                else:
                    causes.append(f"{_provinces(len(overtaken_by), lang)} vượt lên" if vi
                                  else f"{_provinces(len(overtaken_by), lang)} moved ahead")
                causes[-1] += f" ({_listed(overtaken_by, lang)})"
            if len(entered_above):
                causes.append(f"{_provinces(len(entered_above), lang)} năm trước không có dữ liệu nay xếp trên "
                              f"({_listed(entered_above, lang)})" if vi else
                              f"{_provinces(len(entered_above), lang)} without data the year before now "
                              f"{'ranks' if len(entered_above) == 1 else 'rank'} higher "
                              f"({_listed(entered_above, lang)})")
        else:
            if len(overtook):
                if sc < 0:
                    causes.append(f"{_provinces(len(overtook), lang, other=True)} giảm nhiều hơn"
                                  if vi else f"{_provinces(len(overtook), lang, other=True)} fell further")
                else:
                    causes.append(f"vượt qua {_provinces(len(overtook), lang)}" if vi
                                  else f"it passed {_provinces(len(overtook), lang)}")
                causes[-1] += f" ({_listed(overtook, lang)})"
            if len(left_above):
                causes.append(f"{_provinces(len(left_above), lang)} xếp trên năm trước nay không có dữ liệu "
                              f"({_listed(left_above, lang)})" if vi else
                              f"{_provinces(len(left_above), lang)} ranked higher the year before "
                              f"{'has' if len(left_above) == 1 else 'have'} no data now "
                              f"({_listed(left_above, lang)})")
        if causes:
            text += (" vì " if vi else " because ") + (" và " if vi else " and ").join(causes)
        if down and len(overtook):
            text += (f", dù vượt được {_provinces(len(overtook), lang)}" if vi
                     else f", though it passed {_provinces(len(overtook), lang)}")
        if not down and len(overtaken_by):
            text += (f", dù bị {_provinces(len(overtaken_by), lang)} vượt lên" if vi
                     else f", though {_provinces(len(overtaken_by), lang)} moved ahead of it")
    if noise is not None and noise["within"]:
        if noise["score_small"]:
            band = _number(noise["band"], lang)
            text += (f"; mức thay đổi điểm nhỏ hơn ngưỡng {band} điểm, nằm trong sai số khảo sát" if vi
                     else f"; the score change is below the {band}-point band, within the survey's margin of error")
        else:
            text += (f"; thay đổi dưới {_places(noise['rank_band'], lang)}, nằm trong sai số khảo sát" if vi
                     else f"; a move of fewer than {_places(noise['rank_band'], lang)} is within the survey's "
                          f"margin of error")
    return text + "."


def _dimension_changes(table: pd.DataFrame, province_id: str, index_code: str, year: int,
                       previous_year: int, total_change: float, additive: bool) -> pd.DataFrame:
    rows = table[(table["index_code"] == index_code) & (table["level"] == 1)
                 & (table["province_id"] == province_id)]
    now = _present(rows[rows["year"] == year]).drop_duplicates("indicator_code")
    before = _present(rows[rows["year"] == previous_year]).drop_duplicates("indicator_code")
    names = _indicator_names(pd.concat([before, now]))[["indicator_code", "name_vi", "name_en", "sort_order"]]
    dims = (names.merge(now[["indicator_code", "value", "previous_year", "comparable", "not_comparable_reason"]],
                        on="indicator_code", how="left")
            .merge(before[["indicator_code", "value"]].rename(columns={"value": "previous_value"}),
                   on="indicator_code", how="left"))
    dims["score_change"] = dims["value"] - dims["previous_value"]
    dims["contribution"] = dims["score_change"]
    dims["share_of_change"] = (dims["contribution"] / total_change
                               if additive and round(total_change, 10) != 0 else np.nan)
    same_pair = dims["previous_year"].astype("Float64") == previous_year
    ok = dims["comparable"].fillna(False).astype(bool) & same_pair.fillna(False).astype(bool)
    reason = dims["not_comparable_reason"].where(dims["not_comparable_reason"].notna(), None)
    no_data = dims["value"].isna() | dims["previous_value"].isna()
    reason = reason.where(~no_data, "không có dữ liệu ở một trong hai năm")
    dims["comparable"] = ok & ~no_data
    dims["not_comparable_reason"] = reason.where(~dims["comparable"], None)
    return (dims.sort_values(["sort_order", "indicator_code"])
            [["indicator_code", "name_vi", "name_en", "value", "previous_value", "score_change",
              "contribution", "share_of_change", "comparable", "not_comparable_reason"]]
            .reset_index(drop=True))


def _dimensions_sentence(dims: pd.DataFrame, lang: str) -> str | None:
    known = dims[dims["contribution"].notna()]
    if known.empty:
        return None
    name = "name_en" if lang == "en" else "name_vi"
    parts = []
    top, low = known.loc[known["contribution"].idxmax()], known.loc[known["contribution"].idxmin()]
    if round(top["contribution"], 2) > 0:
        parts.append(("Tăng nhiều nhất: " if lang == "vi" else "Largest gain: ")
                     + f"{top[name]} {_signed(top['contribution'], lang)}")
    if round(low["contribution"], 2) < 0:
        parts.append(("giảm nhiều nhất: " if lang == "vi" else "largest loss: ")
                     + f"{low[name]} {_signed(low['contribution'], lang)}")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def why_rank_moved(table: pd.DataFrame, province_id: str, index_code: str, year: int,
                   indices: pd.DataFrame | None = None, breaks: pd.DataFrame | None = None) -> dict:
    """Why the province's total rank moved between its previous year with data and `year`.

    In: the score table, province, index, year; optionally the indices frame (adds the
    "within the survey's margin" clause for survey indices, rule in the module docstring) and
    the breaks frame (English reasons for non-comparable years).
    Out: a dict. `status` is "ok", "no_data" (no total that year), "no_previous" (first year with
    data) or "not_comparable" (then `not_comparable_reason`/`_en` say why and the sentences say
    so instead of comparing). With "ok" it also holds:
      year, previous_year, value, previous_value, score_change, rank, previous_rank, n_ranked,
      previous_n_ranked, rank_change (positive = up), within_noise;
      dimensions: DataFrame per level-1 indicator (value, previous_value, score_change,
        contribution, share_of_change, comparable, not_comparable_reason), `additive`,
        `residual` (total change − sum of contributions, additive only) and
        `contribution_rule_vi`/`_en` (the module docstring's rule, in words);
      neighbours: DataFrame of up to 2 provinces just above and 2 just below this year
        (`position` "above"/"below", then MOVE_COLUMNS, changes against the same previous year);
      overtaken_by: provinces below or level last year that are above now (they rose faster);
      overtook: provinces above last year that are level or below now;
      entered_above / left_above: provinces above now without data last year / above last year
        without data now. rank_change = len(left_above) + len(overtook) − len(overtaken_by)
        − len(entered_above) always holds.
    Always: sentence_vi (alias `sentence`), sentence_en, dimensions_sentence_vi/_en (None when
    not "ok").
    """
    totals = _totals(table, index_code)
    own_rows = totals[(totals["year"] == year) & (totals["province_id"] == province_id)]
    result = {"index_code": index_code, "province_id": province_id, "year": year,
              "dimensions_sentence_vi": None, "dimensions_sentence_en": None}
    if own_rows.empty:
        result.update(status="no_data",
                      sentence_vi=f"Không có dữ liệu {index_code} năm {year} của tỉnh này.",
                      sentence_en=f"No {index_code} data for this province in {year}.")
        result["sentence"] = result["sentence_vi"]
        return result
    own = own_rows.iloc[0]
    name_vi, name_en = _name(own, "vi"), _name(own, "en")
    result.update(province=name_vi, province_en=name_en, value=float(own["value"]),
                  rank=_int(own["rank"]), n_ranked=_int(own["n_ranked"]))
    previous_year = _int(own["previous_year"])
    result["previous_year"] = previous_year
    if previous_year is None:
        result.update(status="no_previous",
                      sentence_vi=(f"Năm {year} là năm đầu tiên {name_vi} có dữ liệu {index_code}, "
                                   "chưa có năm trước để so sánh."),
                      sentence_en=(f"{year} is {name_en}'s first year with {index_code} data; "
                                   "there is no earlier year to compare with."))
        result["sentence"] = result["sentence_vi"]
        return result
    if not bool(own["comparable"]):
        reason = None if _missing(own["not_comparable_reason"]) else str(own["not_comparable_reason"])
        reason_en = None if _missing(own["not_comparable_reason_en"]) else str(own["not_comparable_reason_en"])
        result.update(status="not_comparable", not_comparable_reason=reason, not_comparable_reason_en=reason_en,
                      sentence_vi=f"Không so sánh được năm {year} với năm {previous_year}: {reason}.",
                      sentence_en=f"{year} cannot be compared with {previous_year}: {reason_en}.")
        result["sentence"] = result["sentence_vi"]
        return result

    now = totals[(totals["year"] == year) & (totals["era"] == own["era"])]
    before = totals[(totals["year"] == previous_year) & (totals["era"] == own["era"])]
    me_before = before[before["province_id"] == province_id].iloc[0]
    r1, r0 = int(own["rank"]), int(me_before["rank"])
    score_change = float(own["value"]) - float(me_before["value"])
    rank_change = r0 - r1

    moves = _moves(now, before)
    others = moves[moves["province_id"] != province_id]
    both = others[others["previous_rank"].notna()]
    overtaken_by = both[(both["previous_rank"] >= r0) & (both["rank"] < r1)].sort_values(
        "score_change", ascending=False, kind="stable")
    overtook = both[(both["previous_rank"] < r0) & (both["rank"] >= r1)].sort_values(
        "score_change", kind="stable")
    entered_above = others[others["previous_rank"].isna() & (others["rank"] < r1)]
    gone = before[~before["province_id"].isin(now["province_id"]) & (before["rank"] < r0)]
    left_above = _ordered_field(gone).assign(previous_rank=gone["rank"], previous_value=gone["value"],
                                             rank=pd.NA, value=np.nan, score_change=np.nan,
                                             rank_change=pd.NA)[MOVE_COLUMNS]

    position = moves.index[moves["province_id"] == province_id][0]
    above = moves.iloc[max(0, position - NEIGHBOURS_EACH_SIDE):position].assign(position="above")
    below = moves.iloc[position + 1:position + 1 + NEIGHBOURS_EACH_SIDE].assign(position="below")
    neighbours = pd.concat([above, below])[["position"] + MOVE_COLUMNS].reset_index(drop=True)

    additive = is_additive(table, index_code, year) and is_additive(table, index_code, previous_year)
    dims = _dimension_changes(table, province_id, index_code, year, previous_year, score_change, additive)
    residual = (score_change - float(dims["contribution"].sum())) if additive else None

    band = float(own["noise_band"])
    within_noise = None if indices is None or _missing(own["within_noise"]) else bool(own["within_noise"])

    sentence_args = dict(score_change=score_change, rank_change=rank_change, rank=r1,
                         year=year, previous_year=previous_year,
                         n_ranked=int(own["n_ranked"]), previous_rank=r0,
                         overtaken_by=overtaken_by, overtook=overtook,
                         entered_above=entered_above, left_above=left_above,
                         noise=None if not within_noise else {
                             "within": True, "band": band, "rank_band": _noise_rank_band(indices, index_code),
                             "score_small": abs(score_change) < band})
    if additive:
        rule_vi = ("Tổng điểm là tổng các chỉ số nội dung: đóng góp của mỗi chỉ số là mức thay đổi "
                   "điểm của nó, các đóng góp cộng lại bằng mức thay đổi tổng điểm.")
        rule_en = ("The total is the sum of the dimensions: each dimension's contribution is its "
                   "change in points, and the contributions add up to the change of the total.")
    else:
        rule_vi = ("Tổng điểm không phải tổng các chỉ số thành phần: cột đóng góp là mức thay đổi "
                   "điểm của từng chỉ số, không cộng lại thành mức thay đổi tổng điểm.")
        rule_en = ("The total is not the sum of its components: the contribution column is each "
                   "component's change in points and does not add up to the change of the total.")
    result.update(
        status="ok", previous_value=float(me_before["value"]), score_change=score_change,
        previous_rank=r0, previous_n_ranked=_int(me_before["n_ranked"]), rank_change=rank_change,
        within_noise=within_noise, noise_band=band if indices is not None else None,
        dimensions=dims, additive=additive, residual=residual,
        contribution_rule_vi=rule_vi, contribution_rule_en=rule_en,
        neighbours=neighbours, overtaken_by=overtaken_by.reset_index(drop=True),
        overtook=overtook.reset_index(drop=True), entered_above=entered_above.reset_index(drop=True),
        left_above=left_above.reset_index(drop=True),
        sentence_vi=_move_sentence("vi", **sentence_args),
        sentence_en=_move_sentence("en", **sentence_args),
        dimensions_sentence_vi=_dimensions_sentence(dims, "vi"),
        dimensions_sentence_en=_dimensions_sentence(dims, "en"),
    )
    result["sentence"] = result["sentence_vi"]
    return result


# -- what-if ---------------------------------------------------------------------------------

PLAN_COLUMNS = ["indicator_code", "name_vi", "name_en", "value", "best_value", "room",
                "points_to_add", "new_value"]
WHAT_IF_COLUMNS = ["places", "status", "current_rank", "n_ranked", "current_value", "target_rank",
                   "target_province_id", "target_province", "target_province_en",
                   "target_province_rank", "target_value", "needed_total", "points_needed",
                   "new_rank", "places_gained", "plan", "plan_complete", "shortfall",
                   "sentence_vi", "sentence_en"]


def what_if_plan(table: pd.DataFrame, province_id: str, index_code: str, year: int,
                 points_needed: float) -> pd.DataFrame:
    """Where to find `points_needed` on the total, by dimension, cheapest first.

    In: the score table, province, index, year and the points needed on the total (as from
    `what_if`). Rule (module docstring): dimensions in order of their room to the national best
    (largest first), each filled up to the national best until the points are placed.
    Out: one row per dimension used, in fill order, with `PLAN_COLUMNS`: value, best_value,
    room (distance to the best), points_to_add (change in the dimension's value; negative where
    lower is better) and new_value. Empty when nothing is needed or when the total is not the
    sum of the dimensions that year (`is_additive`), where points on a dimension are not points
    on the total. Points not placed (all rooms filled) = |points_needed| − |points_to_add| sum.
    """
    if _missing(points_needed) or points_needed == 0 or not is_additive(table, index_code, year):
        return pd.DataFrame(columns=PLAN_COLUMNS)
    return _fill_plan(dimension_profile(table, province_id, index_code, year, level=1), points_needed)


def _fill_plan(profile: pd.DataFrame, points_needed: float) -> pd.DataFrame:
    """`what_if_plan`'s rule applied to a level-1 `dimension_profile`."""
    if _missing(points_needed) or points_needed == 0:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    profile = profile[profile["value"].notna() & profile["best_value"].notna()]
    profile = profile.assign(room=profile["gap_to_best"].clip(lower=0))
    profile = profile.sort_values(["room", "sort_order"], ascending=[False, True], kind="stable")
    remaining = abs(float(points_needed))
    rows = []
    for dim in profile.itertuples(index=False):
        if remaining <= 1e-12:
            break
        add = min(float(dim.room), remaining)
        if add <= 0:
            continue
        remaining -= add
        sign = 1.0 if bool(dim.higher_is_better) else -1.0
        rows.append((dim.indicator_code, dim.name_vi, dim.name_en, dim.value, dim.best_value,
                     round(float(dim.room), 6), round(sign * add, 6), round(dim.value + sign * add, 6)))
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def what_if(table: pd.DataFrame, province_id: str, index_code: str, year: int,
            places=(1, 3, 5), epsilon: float = EPSILON) -> pd.DataFrame:
    """What total (and which dimensions) it takes to gain k places, against this year's field.

    In: the score table, province, index, year, the numbers of places to gain, and the margin
    `epsilon` by which the province must beat the target province (index unit).
    Out: one row per k in `places` with `WHAT_IF_COLUMNS`: status ("ok", "top" when already
    first, "capped" when k is more than the places above; then the target is first place),
    current rank/value, target_rank, the province currently at that rank (the target_rank-th
    best of the others) and its total, needed_total = its total + epsilon, points_needed =
    needed_total − current total, new_rank (the rank needed_total gives against the others'
    totals; ≤ target_rank), places_gained, plan (list of (indicator code, name, points to add,
    new value) from `what_if_plan`), plan_complete, shortfall (points the plan cannot place),
    and a sentence in Vietnamese and English. Empty when the province has no total that year.
    """
    field = _totals(table, index_code, year)
    mine = field[field["province_id"] == province_id]
    if mine.empty:
        return pd.DataFrame(columns=WHAT_IF_COLUMNS)
    me = mine.iloc[0]
    higher = bool(me["higher_is_better"])
    sign = 1.0 if higher else -1.0
    value, rank, n_ranked = float(me["value"]), int(me["rank"]), int(me["n_ranked"])
    others = field[field["province_id"] != province_id]
    others = others.assign(_o=sign * others["value"], _name=others["province"].fillna(others["province_id"]))
    others = others.sort_values(["_o", "_name", "province_id"], ascending=[False, True, True])
    additive = is_additive(table, index_code, year)
    profile = dimension_profile(table, province_id, index_code, year, level=1) if additive else None
    rows = []
    for k in places:
        k = int(k)
        base = {"places": k, "current_rank": rank, "n_ranked": n_ranked, "current_value": value}
        if rank == 1:
            rows.append({**base, "status": "top", "target_rank": 1, "points_needed": 0.0,
                         "new_rank": 1, "places_gained": 0, "plan": [], "plan_complete": True,
                         "shortfall": 0.0,
                         "sentence_vi": f"Đang đứng đầu ({_number(value, 'vi', 4)}): không còn bậc nào để tăng.",
                         "sentence_en": f"Already first ({_number(value, 'en', 4)}): no place left to gain."})
            continue
        target_rank = max(1, rank - k)
        status = "ok" if rank - k >= 1 else "capped"
        target = others.iloc[target_rank - 1]
        needed = round(float(target["value"]) + sign * epsilon, 6)
        points = round(needed - value, 6)
        new_rank = 1 + int((others["_o"] > sign * needed).sum())
        plan = _fill_plan(profile, points) if additive else pd.DataFrame(columns=PLAN_COLUMNS)
        placed = float(plan["points_to_add"].abs().sum()) if not plan.empty else 0.0
        shortfall = round(abs(points) - placed, 6) if additive else None
        row = {**base, "status": status, "target_rank": target_rank,
               "target_province_id": target["province_id"], "target_province": target["province"],
               "target_province_en": target["province_en"], "target_province_rank": _int(target["rank"]),
               "target_value": float(target["value"]), "needed_total": needed, "points_needed": points,
               "new_rank": new_rank, "places_gained": rank - new_rank,
               "plan": [(p.indicator_code, p.name_vi, p.points_to_add, p.new_value, p.name_en)
                        for p in plan.itertuples(index=False)],
               "plan_complete": bool(additive and shortfall <= 1e-9), "shortfall": shortfall}
        row["sentence_vi"], row["sentence_en"] = _what_if_sentences(row, target, k)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in WHAT_IF_COLUMNS:
        if column not in frame:
            frame[column] = None
    return frame[WHAT_IF_COLUMNS]


def _what_if_sentences(row: dict, target, k: int) -> tuple[str, str]:
    cap_vi = (f"Chỉ còn {row['current_rank'] - 1} bậc để lên hạng nhất. " if row["status"] == "capped" else "")
    cap_en = (f"Only {_places(row['current_rank'] - 1, 'en')} left to first place. "
              if row["status"] == "capped" else "")
    vi = (f"{cap_vi}Để lên hạng {row['target_rank']}/{row['n_ranked']} cần {_number(row['needed_total'], 'vi', 4)} "
          f"điểm ({_signed(row['points_needed'], 'vi', 4)}), vượt {_name(target, 'vi')} "
          f"({_number(row['target_value'], 'vi', 4)})")
    en = (f"{cap_en}To reach rank {row['target_rank']} of {row['n_ranked']} the total must be "
          f"{_number(row['needed_total'], 'en', 4)} ({_signed(row['points_needed'], 'en', 4)}), ahead of "
          f"{_name(target, 'en')} ({_number(row['target_value'], 'en', 4)})")
    if row["shortfall"] is None:
        vi += "; tổng điểm không phải tổng các chỉ số thành phần nên không chia theo chỉ số."
        en += "; the total is not the sum of its components, so there is no plan by component."
    elif row["plan_complete"]:
        vi += "."
        en += "."
    else:
        vi += (f"; kể cả khi mọi chỉ số nội dung bằng mức cao nhất cả nước vẫn thiếu "
               f"{_number(row['shortfall'], 'vi', 4)} điểm.")
        en += (f"; even with every dimension at the national best, {_number(row['shortfall'], 'en', 4)} "
               f"points are missing.")
    return vi, en


# -- peers and comparison ----------------------------------------------------------------------

def default_peers(table: pd.DataFrame, provinces: pd.DataFrame, province_id: str,
                  index_code: str, year: int, n: int = 5) -> list[str]:
    """Default provinces to compare with (codes), by the rule of the module docstring.

    In: the score table, the provinces frame (era, code, region, as `Store.provinces()`), the
    province, index and year (whose total ranking gives the rank neighbours; its era picks the
    province list), n.
    Out: up to n distinct codes, the province itself excluded: the province just above, the one
    just below, then same-region provinces by |rank difference| (those without data that year
    last, by code), then further rank neighbours alternately above and below.
    """
    field = _ordered_field(_totals(table, index_code, year))
    era = field["era"].iloc[0] if not field.empty else LEGACY
    listed = province_ids.with_identity(provinces)
    listed = listed[listed["era"] == era].assign(code=listed["province_id"])
    ranking = field["province_id"].tolist()
    ranks = dict(zip(field["province_id"], field["rank"]))
    me = listed[listed["code"] == province_id]
    region = me["region"].iloc[0] if not me.empty else None

    order: list[str] = []
    position = ranking.index(province_id) if province_id in ranking else None
    if position is not None:
        order += [ranking[i] for i in (position - 1, position + 1) if 0 <= i < len(ranking)]
    if region is not None:
        members = listed.loc[(listed["region"] == region) & (listed["code"] != province_id), "code"].tolist()
        my_rank = ranks.get(province_id)

        def closeness(code: str):
            r = ranks.get(code)
            if r is None or _missing(r):
                return (1, 0, code)
            return (0, abs(int(r) - int(my_rank)) if my_rank is not None else int(r), code)

        order += sorted(members, key=closeness)
    if position is not None:
        for step in range(2, len(ranking)):
            order += [ranking[i] for i in (position - step, position + step) if 0 <= i < len(ranking)]
    peers: list[str] = []
    for code in order:
        if code != province_id and code not in peers:
            peers.append(code)
        if len(peers) >= n:
            break
    return peers


COMPARE_COLUMNS = ["province_id", "province", "province_en", "indicator_code", "name_vi",
                   "name_en", "sort_order", "year", "value", "rank", "n_ranked", "group_no",
                   "group", "score_change", "rank_change", "comparable", "is_demo", "has_data"]


def compare(table: pd.DataFrame, province_ids, index_code: str, indicator_codes=None,
            years=None) -> pd.DataFrame:
    """Side by side: value, rank and group per province × indicator × year.

    In: the score table, the province ids (in display order; an unchanged province's lineage
    is followed across the 2025 map change), the index, the indicator codes
    (None = every indicator of the index) and the years (None = every year the index has data).
    Out: the full grid in `COMPARE_COLUMNS` (provinces in the given order, indicators in catalog
    order, years ascending); has_data False and value/rank NA where a province has no data, so a
    view shows the gap. score_change/rank_change are only filled where comparable.
    """
    rows = _present(table[table["index_code"] == index_code])
    codes = list(dict.fromkeys(province_ids))
    # Follow lineages: an unchanged province's legacy rows count as its own.
    lineage_of = rows.drop_duplicates("province_id").set_index("province_id")["lineage_id"]
    wanted = {lineage_of.get(c, c): c for c in codes}
    rows = rows.assign(province_id=rows["lineage_id"].map(wanted).fillna(rows["province_id"]))
    if indicator_codes is None:
        indicator_codes = _indicator_names(rows).sort_values(["sort_order", "indicator_code"])["indicator_code"].tolist()
    indicator_codes = list(dict.fromkeys(indicator_codes))
    years = sorted(int(y) for y in (rows["year"].unique() if years is None else years))
    if not codes or not indicator_codes or not years:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    grid = pd.MultiIndex.from_product([codes, indicator_codes, years],
                                      names=["province_id", "indicator_code", "year"]).to_frame(index=False)
    names = _indicator_names(rows[rows["indicator_code"].isin(indicator_codes)])[
        ["indicator_code", "name_vi", "name_en", "sort_order"]]
    province_names = (rows[rows["province_id"].isin(codes)].sort_values("year")
                      .drop_duplicates("province_id", keep="last")[["province_id", "province", "province_en"]])
    data = rows[rows["province_id"].isin(codes) & rows["indicator_code"].isin(indicator_codes)
                & rows["year"].isin(years)].drop_duplicates(["province_id", "indicator_code", "year"])
    data = data[["province_id", "indicator_code", "year", "value", "rank", "n_ranked", "group_no",
                 "group", "score_change", "rank_change", "comparable", "is_demo"]].astype({"year": int})
    out = (grid.merge(names, on="indicator_code", how="left")
           .merge(province_names, on="province_id", how="left")
           .merge(data.assign(has_data=True), on=["province_id", "indicator_code", "year"], how="left"))
    out["has_data"] = out["has_data"].fillna(False).astype(bool)
    out["comparable"] = out["comparable"].fillna(False).astype(bool)
    out["is_demo"] = out["is_demo"].fillna(False).astype(bool)
    out["score_change"] = out["score_change"].where(out["comparable"])
    out["rank_change"] = out["rank_change"].astype("Int64").where(out["comparable"])
    for column in ("rank", "n_ranked", "group_no"):
        out[column] = out[column].astype("Int64")
    out["_p"] = out["province_id"].map({c: i for i, c in enumerate(codes)})
    out["_i"] = out["indicator_code"].map({c: i for i, c in enumerate(indicator_codes)})
    out = out.sort_values(["_p", "sort_order", "_i", "year"], na_position="last")
    return out[COMPARE_COLUMNS].reset_index(drop=True)
