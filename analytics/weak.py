"""Weak-indicator worklist: which sub-indicators a province should work on, and why.

Pure pandas (no Streamlit, no DuckDB). Input is the score table of `reports.build_score_table`
(one row per index, year, province and indicator, with rank, group and changes); output is one
row per indicator of one province, index and year, with the reasons in words, a severity, and
the lead and supporting departments. `annex.py` turns it into the plan annex (.xlsx / .csv).

Which indicators
----------------
The most detailed level the index has that year: the indicators of level 1 or 2 with data that
year (for any province) that have no child indicator with data that year. PAPI 2011-2016 is
therefore judged on its sub-dimensions (nội dung thành phần), PAPI 2017-2024 on its dimensions
(the embedded data has no sub-dimensions for those years), PAR INDEX on its 8 fields, SIPAS
2017-2021 on its 5 elements and SIPAS 2022+ on the elements that have data. Peers are the
provinces with a value for that indicator that year (a missing province is not a zero).

Rules (codes as written in the `reasons` column), defaults in brackets (see `Thresholds`)
-------------------------------------------------------------------------------------
Percentiles are linear-interpolation percentiles of the peers' values, the same rule as PAPI's
quartile groups in `scores.rules`; for an indicator where lower is better the
comparison is reversed.
- LOW: in the lowest group (Thấp nhất): value below the 25th percentile of the peers.
- BELOW_MEDIAN: value below the median of the peers. LOW implies BELOW_MEDIAN and both codes
  are listed, so a filter on either finds the indicator. A value equal to a cut point is not
  below it.
- DECLINE: only against the previous year with data when the two years are comparable (the
  table's `comparable`: no methodology break, same scale). Declined when the score fell, or
  when the rank fell by `decline_rank_places` [5] places or more.
  Survey-based indices (`survey_based` in indices.csv: PAPI, SIPAS): a change whose size is
  smaller than the small-change band is not a decline, whatever the rank did; it is noted
  "thay đổi nhỏ, chưa có ý nghĩa" (also for small rises). The band is `small_change` [None =
  the index's `small_score_change` in indices.csv: PAPI 0.25, SIPAS 1.0], stated on the scale of
  the index's level-1 indicators (PAPI dimensions 1-10, SIPAS %); an indicator on another scale
  gets the band times its scale width over the median level-1 scale width that year (PAPI
  sub-dimension 0.25-2.5: 0.25 × 2.25 / 9 = 0.0625; 1/3-10/3: 0.0833). Indices that are not
  survey-based (PAR INDEX) have no band: any fall counts.
- POINTS_LOST: for indicators scored in points with a maximum (unit "điểm": PAR INDEX fields,
  PAPI dimensions and sub-dimensions; not SIPAS %), "điểm bị trừ" = max_value − value with
  max_value the catalog's `scale_max` that year; flagged when points lost / max_value is above
  `points_lost_share` [0.30]. max_value and points_lost are filled for every indicator.
- PERSISTENT: LOW in each of the last `persistent_years` [2] years in which the province has
  data for the indicator (this year included; each year against that year's peers). Groups are
  relative to each year's provinces, so this rule does not require comparable years.
- TREND: a trend class in the spirit of the Ibrahim Index of African Governance. The series is
  the province's values for the indicator, walking back from this year through the previous
  year with data while each step is comparable, and no further than `trend_years` [5] calendar
  years (this year included); it needs at least `trend_min_years` [3] points, else the class is
  INSUFFICIENT. Long change = last − first point; short change = last point − the point
  ceil(steps / 2) steps before it (5 points: the last 2 steps); slopes are changes per calendar
  year. A change is up (down) when above (below minus) the small-change band of the indicator
  (0 for PAR INDEX), else flat. Classes, on values oriented so that up is better:
    long up,   short up and short slope ≥ long slope  → IMPROVING (đang cải thiện)
    long up,   short up and short slope < long slope  → SLOWING_IMPROVEMENT (cải thiện chậm lại)
    long up,   short flat                             → SLOWING_IMPROVEMENT
    long up,   short down                             → WARNING (dấu hiệu cảnh báo)
    long down, short up                               → RECOVERING (phục hồi)
    long down, short flat or down                     → DETERIORATING (suy giảm)
    long flat, short up                               → IMPROVING
    long flat, short down                             → WARNING
    long flat, short flat                             → STABLE (ổn định)
  The TREND code is flagged for WARNING and DETERIORATING.

Severity (orders the list, highest first)
-----------------------------------------
The sum of: LOW 3, PERSISTENT 2, BELOW_MEDIAN 1, DECLINE 2 (3 when both the score and the rank
fell), POINTS_LOST 1, TREND 2 for DETERIORATING and 1 for WARNING. Ties: the worse relative
position first (rank / number of provinces ranked), then catalog order. An indicator is flagged
when it has at least one reason.

Changes and notes
-----------------
`previous_value`, `change` and `previous_rank` are filled only when the previous year with
data is comparable; otherwise `note` says why ("không so sánh được với năm …: …").

Departments
-----------
`data/departments.csv` (index_code, indicator_code, lead_department, support_departments with
`;` between names) gives the lead (cơ quan chủ trì) and supporting (phối hợp) departments of
each indicator, with the names in force since the 2025 reorganisation. Names are data: the page
may pass an edited table. An indicator missing from the table takes its parent's row, else
DEFAULT_LEAD / DEFAULT_SUPPORT (Sở Nội vụ, the provincial focal agency for administrative
reform, with Văn phòng UBND tỉnh).

Follow-up
---------
`follow_up` compares each indicator of an earlier list with the same province's value in a
later year: improved / unchanged / worse on the value oriented so that up is better, unchanged
when the change is smaller than the indicator's small-change band (survey indices; exactly 0
otherwise); not_comparable when a step between the two years is not comparable; no_data when
the later year has no value for it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from analytics.registry import LEGACY, load_default_departments  # noqa: F401  (the default table)
from analytics.scores import rules
from analytics.scores.rules import GROUPS, LOWEST_GROUP
from analytics.text import nfc
from analytics.wording import N_, say
from analytics.numbers import format_number
from analytics.weak_wording import TREND_KEYS, UNIT_KEYS, ByLanguage, Num, Part, Unit, follow_up_label, phrase, render, trend_label

REASON_CODES = ["LOW", "BELOW_MEDIAN", "DECLINE", "POINTS_LOST", "PERSISTENT", "TREND"]
TREND_CLASSES = {code: trend_label(code, "vi") for code in TREND_KEYS}  # words: locale/ (trend_*)
FLAGGED_TRENDS = {"WARNING": 1, "DETERIORATING": 2}  # class → severity weight
SEVERITY_WEIGHTS = {"LOW": 3, "PERSISTENT": 2, "BELOW_MEDIAN": 1, "DECLINE": 2, "POINTS_LOST": 1}
SEVERITY_BOTH_DECLINES = 1  # added to DECLINE when both the score and the rank fell
SMALL_CHANGE_NOTE = "thay đổi nhỏ, chưa có ý nghĩa"
TIERS = ["priority", "watch", "keep"]  # display order; words in TIER_LABELS / ui.i18n
TIER_LABELS = {"priority": "Ưu tiên", "watch": "Theo dõi", "keep": "Duy trì"}
PRIORITY_REASONS = {"LOW", "DECLINE", "PERSISTENT"}
POINTS_UNIT = "điểm"

DEFAULT_LEAD = "Sở Nội vụ"
DEFAULT_SUPPORT = "Văn phòng UBND tỉnh"
DEPARTMENT_COLUMNS = ["index_code", "indicator_code", "lead_department", "support_departments"]

CSV_COLUMNS = ["index", "year", "province_code", "indicator_code", "indicator", "parent_indicator",
               "value", "max_value", "points_lost", "previous_value", "change", "rank",
               "previous_rank", "group", "median", "best_value", "reasons", "severity",
               "lead_department", "support_departments", "tier"]
EXTRA_COLUMNS = ["reason_codes", "tier_capped", "reason_text", "trend", "trend_text", "note", "is_demo", "flagged",
                 "reason_text_en", "trend_text_en", "note_en", "indicator_en", "parent_indicator_en",
                 "index_name", "era", "province_id", "province", "level", "parent_code", "unit", "n_ranked",
                 "group_no", "q25", "points_lost_share", "previous_year", "rank_change",
                 "comparable", "small_change", "index_small_change", "survey_based",
                 "higher_is_better", "source_id", "sort_order"]
FLAG_COLUMNS = CSV_COLUMNS + EXTRA_COLUMNS

FOLLOW_UP_STATUS = {code: follow_up_label(code, "vi")  # words: locale/ (follow_*)
                    for code in ["improved", "unchanged", "worse", "not_comparable", "no_data"]}
FOLLOW_UP_COLUMNS = ["index", "province_code", "province_id", "province", "indicator_code", "indicator", "parent_indicator",
                     "lead_department", "support_departments", "reasons", "previous_year",
                     "previous_value", "year", "value", "change", "previous_rank", "rank",
                     "previous_group", "group", "status", "status_text", "small_change",
                     "still_low", "status_text_en", "indicator_en", "parent_indicator_en"]


@dataclass(frozen=True)
class Thresholds:
    """Adjustable thresholds of the rules (see the module docstring); stored with each export."""

    decline_rank_places: int = 5
    points_lost_share: float = 0.30
    trend_years: int = 5
    small_change: float | None = None
    persistent_years: int = 2
    trend_min_years: int = 3
    priority_cap: int = 10

    @classmethod
    def for_index(cls, indices: pd.DataFrame, index_code: str, **changes) -> "Thresholds":
        """Defaults of an index: `points_lost_share` from indices.csv where it is set."""
        row = indices[indices["index_code"] == index_code]
        share = row["points_lost_share"].iloc[0] if "points_lost_share" in row and not row.empty else None
        base = cls(points_lost_share=float(share)) if share is not None and share == share else cls()
        return replace(base, **changes)

    def as_dict(self) -> dict:
        return asdict(self)

    def with_changes(self, **changes) -> "Thresholds":
        return replace(self, **changes)

    def lines(self, index_small_change: float | None = None, survey_based: bool | None = None,
              unit: str = POINTS_UNIT, lang: str = "vi") -> list[str]:
        """The thresholds as sentences in `lang` for the header of an export.

        `index_small_change` / `survey_based` describe the index of the export (the band the
        rules used); without them the band is described as read from the index catalog. `unit`
        is the catalog unit of the index ("%" bands are percentage points).
        """
        unit_words = say(lang, UNIT_KEYS.get(unit, N_("unit_points")))
        if self.small_change is not None:
            band, origin = f"{format_number(self.small_change, lang)} {unit_words}", say(lang, "thr_origin_set")
        elif index_small_change is not None:
            band, origin = f"{format_number(index_small_change, lang)} {unit_words}", say(lang, "thr_origin_catalog")
        else:
            band, origin = say(lang, "thr_band_of_index"), say(lang, "thr_origin_catalog")
        small = (say(lang, "thr_small_not_survey") if survey_based is False
                 else say(lang, "thr_small", band=band, origin=origin))
        return [
            say(lang, "thr_low"),
            say(lang, "thr_below_median"),
            say(lang, "thr_decline", places=self.decline_rank_places),
            small,
            say(lang, "thr_points_lost", share=format_number(self.points_lost_share * 100, lang, 0)),
            say(lang, "thr_persistent", years=self.persistent_years),
            say(lang, "thr_trend", years=self.trend_years, min_years=self.trend_min_years),
            say(lang, "thr_tiers", cap=self.priority_cap),
        ]


# -- formatting ------------------------------------------------------------------------------
def _digits(*values: float) -> int:
    """2 decimals, more (up to 4) when two different values would print the same."""
    present = [float(v) for v in values if v is not None and not pd.isna(v)]
    for digits in (2, 3, 4):
        printed = {}
        clash = False
        for v in present:
            key = f"{v:.{digits}f}"
            if key in printed and printed[key] != v:
                clash = True
            printed[key] = v
        if not clash:
            return digits
    return 4


def _small_digits(x: float) -> int:
    """Decimals that keep a small non-zero number visible: 2, 3 or 4 (0,004 not 0,00)."""
    size = abs(float(x))
    if size == 0 or size >= 0.005:
        return 2
    return 3 if size >= 0.0005 else 4


def _split_names(text) -> list[str]:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return []
    return [nfc(part.strip()) for part in str(text).split(";") if part.strip()]


# -- departments -----------------------------------------------------------------------------
def departments_as_saved(edited: pd.DataFrame) -> pd.DataFrame:
    """The department editor's table as the store keeps it: supporting departments picked as a
    list become one `; `-separated text (names typed with `;` or new lines are split the same way)."""
    def joined(names) -> str:
        if isinstance(names, (list, tuple, np.ndarray)):
            parts = [str(n) for n in names]
        elif isinstance(names, str):
            parts = [names]
        else:
            return ""
        return "; ".join(p.strip() for part in parts for p in _split_names(part) if p.strip())
    return edited.assign(support_departments=edited["support_departments"].map(joined))


def assign_departments(flags: pd.DataFrame, departments: pd.DataFrame) -> pd.DataFrame:
    """Set lead_department and support_departments of each row from `departments`.

    Matched on (index, indicator_code); an indicator not in the table takes its parent's row
    (`parent_code`), else DEFAULT_LEAD / DEFAULT_SUPPORT. Returns a new frame.
    """
    out = flags.copy()
    if out.empty:
        for column in ("lead_department", "support_departments"):
            if column not in out:
                out[column] = pd.Series(dtype=object)
        return out
    table = {}
    for row in departments.itertuples(index=False):
        support = ";".join(_split_names(row.support_departments))
        table[(str(row.index_code), str(row.indicator_code))] = (nfc(str(row.lead_department).strip()),
                                                                 support)
    index_column = "index" if "index" in out else "index_code"
    leads, supports = [], []
    for _, row in out.iterrows():
        key = (str(row[index_column]), str(row["indicator_code"]))
        parent = row.get("parent_code")
        found = table.get(key)
        if (found is None or not found[0]) and isinstance(parent, str) and parent:
            found = table.get((key[0], parent))
        if found is None or not found[0]:
            found = (DEFAULT_LEAD, DEFAULT_SUPPORT)
        leads.append(found[0])
        supports.append(found[1])
    out["lead_department"] = leads
    out["support_departments"] = supports
    return out


# -- building blocks -------------------------------------------------------------------------
def leaf_codes(year_rows: pd.DataFrame) -> set[str]:
    """Indicators of level ≥ 1 with data that have no child with data (the most detailed level)."""
    rows = year_rows[(year_rows["level"] >= 1) & year_rows["value"].notna()]
    present = set(rows["indicator_code"].unique())  # unique() first: iterating ~7,000 strings cost more
    parents = set(rows["parent_code"].dropna().unique())
    return present - parents


def _band(row, facts: rules.IndexFacts, thresholds: Thresholds) -> float:
    """The small-change band on the row's scale: the table's noise band, rescaled when the
    analyst changed the index's band (`thresholds.small_change`)."""
    default = facts.stated_band()
    if thresholds.small_change is None or default <= 0:
        return float(row.noise_band) if facts.survey_based else 0.0
    return float(thresholds.small_change) * float(row.noise_band) / default


def _direction(change: float, band: float) -> int:
    if change > band:
        return 1
    if change < -band:
        return -1
    return 0


def comparable_chain(series: pd.DataFrame, year: int, max_years: int | None = None) -> list[tuple[int, float]]:
    """(year, value) points of one province-indicator series, oldest first, ending at `year`.

    Walks back through `previous_year` while each step is `comparable`, and (with `max_years`)
    no earlier than `year - max_years + 1`.
    """
    # Plain lists, not itertuples: this runs for every indicator of a worklist and a follow-up.
    values, comparable = series["value"].tolist(), series["comparable"].tolist()
    previous_years = series["previous_year"].tolist()
    by_year = {int(y): i for i, y in enumerate(series["year"].tolist())}  # the last row of a year wins
    if year not in by_year:
        return []
    current = by_year[year]
    points = [(year, float(values[current]))]
    while (bool(comparable[current]) and not pd.isna(previous_years[current])
           and int(previous_years[current]) in by_year):
        previous = int(previous_years[current])
        if max_years is not None and previous < year - max_years + 1:
            break
        current = by_year[previous]
        points.insert(0, (previous, float(values[current])))
    return points


def trend_class(points: list[tuple[int, float]], band: float = 0.0,
                higher_is_better: bool = True, min_points: int = 3) -> tuple[str, dict]:
    """The trend class of comparable (year, value) points, oldest first (rule in the docstring).

    Returns (code, details) with details: first_year, last_year, long_change, long_slope,
    short_from, short_change, short_slope (in the indicator's own direction).
    """
    if len(points) < max(2, min_points):
        return "INSUFFICIENT", {"n": len(points)}
    sign = 1.0 if higher_is_better else -1.0
    steps = len(points) - 1
    short_steps = math.ceil(steps / 2)
    (y0, v0), (y1, v1) = points[0], points[-1]
    ys, vs = points[-1 - short_steps]
    long_change, short_change = v1 - v0, v1 - vs
    long_slope = long_change / max(y1 - y0, 1)
    short_slope = short_change / max(y1 - ys, 1)
    long_dir = _direction(sign * long_change, band)
    short_dir = _direction(sign * short_change, band)
    if long_dir > 0:
        if short_dir > 0:
            code = "IMPROVING" if sign * short_slope >= sign * long_slope else "SLOWING_IMPROVEMENT"
        else:
            code = "SLOWING_IMPROVEMENT" if short_dir == 0 else "WARNING"
    elif long_dir < 0:
        code = "RECOVERING" if short_dir > 0 else "DETERIORATING"
    else:
        code = {1: "IMPROVING", -1: "WARNING", 0: "STABLE"}[short_dir]
    details = {"n": len(points), "first_year": y0, "last_year": y1, "long_change": long_change,
               "long_slope": long_slope, "short_from": ys, "short_change": short_change,
               "short_slope": short_slope}
    return code, details


def _trend_part(code: str, details: dict, thresholds: Thresholds, unit: str) -> Part:
    """The trend sentence as a `Part` (analytics.weak_wording renders it in each language)."""
    label = phrase(TREND_KEYS[code])
    if code == "INSUFFICIENT":
        return phrase("trend_text_insufficient", n=details["n"], label=label, minimum=thresholds.trend_min_years)
    d = _digits(details["long_slope"], details["short_slope"])
    d = max(d, 2 if abs(details["short_slope"]) >= 0.005 and abs(details["long_slope"]) >= 0.005 else 3)
    return phrase("trend_text", label=label, first=details["first_year"], last=details["last_year"],
                   long=Num(details["long_slope"], d, True), unit=Unit(unit), since=details["short_from"],
                   short=Num(details["short_slope"], d, True))


def _empty_flags() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in FLAG_COLUMNS})


# -- the worklist ----------------------------------------------------------------------------
def assess_indicators(table: pd.DataFrame, indices: pd.DataFrame, province_id: str,
                      index_code: str, year: int, thresholds: Thresholds,
                      departments: pd.DataFrame) -> pd.DataFrame:
    """Every indicator at the most detailed level, with all computed fields and `flagged`.

    `province_id` is an id of the year's map (`legacy:24` for 2024, `2025:24` for 2025).
    Same columns as `flag_weak` (FLAG_COLUMNS), sorted by severity (highest first).
    """
    year = int(year)
    rows = table.loc[(table["index_code"] == index_code) & table["value"].notna()]
    year_rows = rows[rows["year"] == year]
    if year_rows.empty:
        return _empty_flags()
    leaves = leaf_codes(year_rows)
    mine = year_rows[(year_rows["province_id"] == province_id) & year_rows["indicator_code"].isin(leaves)]
    if mine.empty:
        return _empty_flags()
    lineage = mine["lineage_id"].iloc[0]
    series_all = rows.loc[(rows["lineage_id"] == lineage) & (rows["year"] <= year)
                          & rows["indicator_code"].isin(leaves),
                          ["year", "indicator_code", "value", "previous_year", "comparable", "group_no"]]
    series_all = series_all.sort_values("year")
    facts = rules.IndexFacts.of(indices, index_code)
    # Sentences name an indicator's parent as it was called that year: the year's names suffice.
    names = year_rows.drop_duplicates("indicator_code")[["indicator_code", "year", "name_vi", "name_en"]]
    name_of = {(r.indicator_code, int(r.year)): r.name_vi for r in names.itertuples(index=False)}
    name_en_of = {(r.indicator_code, int(r.year)): r.name_en if isinstance(r.name_en, str) and r.name_en else r.name_vi
                  for r in names.itertuples(index=False)}

    series_of = {code: part for code, part in series_all.groupby("indicator_code", sort=False, observed=True)}
    empty = series_all.iloc[0:0]
    records = [_assess_row(row, series_of.get(row.indicator_code, empty), facts, thresholds, name_of, year, name_en_of)
               for row in mine.itertuples(index=False)]
    out = assign_departments(pd.DataFrame.from_records(records), departments)
    out["_position"] = out["rank"].astype(float) / out["n_ranked"].astype(float)
    out = out.sort_values(["severity", "_position", "sort_order", "indicator_code"],
                          ascending=[False, False, True, True], kind="mergesort")
    out = assign_tiers(out.drop(columns="_position").reset_index(drop=True), thresholds.priority_cap)
    for column in ("rank", "previous_rank", "n_ranked", "group_no", "previous_year",
                   "rank_change", "year", "severity", "level", "sort_order"):
        out[column] = out[column].astype("Int64")
    return out[FLAG_COLUMNS]


def _assess_row(row, series, facts: rules.IndexFacts, thresholds: Thresholds,
                name_of, year: int, name_en_of=None) -> dict:
    """One indicator's reasons, texts and severity; `series` is its own rows up to `year`, oldest first."""
    name_en_of = name_en_of or {}
    code = row.indicator_code
    higher = bool(row.higher_is_better) if not pd.isna(row.higher_is_better) else True
    unit = row.unit if isinstance(row.unit, str) else ""
    u = Unit(unit)
    value = float(row.value)
    q25, median, best = float(row.q25), float(row.median), float(row.best_value)
    n = int(row.n_ranked)
    group_no = int(row.group_no)
    band = _band(row, facts, thresholds)

    reasons: list[str] = []
    texts: list[Part] = []  # sentences as catalog parts: rendered in each language at the end
    notes: list[Part] = []
    severity = 0

    if group_no == LOWEST_GROUP:
        d = _digits(value, q25)
        reasons.append("LOW")
        texts.append(phrase(N_("weak_low") if higher else N_("weak_low_lower"), q25=Num(q25, d), value=Num(value, d), provinces=n))
        severity += SEVERITY_WEIGHTS["LOW"]
    if group_no >= 3:
        d = _digits(value, median, best)
        reasons.append("BELOW_MEDIAN")
        texts.append(phrase(N_("weak_below_median") if higher else N_("weak_below_median_lower"),
                             median=Num(median, d), best=Num(best, d)))
        severity += SEVERITY_WEIGHTS["BELOW_MEDIAN"]

    # Changes against the previous year with data, only when comparable.
    has_previous = not pd.isna(row.previous_year)
    comparable = bool(row.comparable) and has_previous
    previous_year = int(row.previous_year) if has_previous else None
    change = previous_value = previous_rank = rank_change = None
    if comparable:
        previous_value = float(row.previous_value)
        change = value - previous_value
        previous_rank = None if pd.isna(row.previous_rank) else int(row.previous_rank)
        rank_change = None if pd.isna(row.rank_change) else int(row.rank_change)
        small = facts.survey_based and abs(change) < band
        score_fell = (change if higher else -change) < 0 and not small
        rank_fell = (rank_change is not None and -rank_change >= thresholds.decline_rank_places
                     and not small)
        if small:
            moved = "" if not rank_change else phrase(N_("weak_moved_up") if rank_change > 0 else N_("weak_moved_down"), n=abs(rank_change))
            notes.append(phrase("weak_small_change", change=Num(change, _small_digits(change), True), unit=u,
                                 year=previous_year, moved=moved, band=Num(band, _small_digits(band))))
        if score_fell or rank_fell:
            reasons.append("DECLINE")
            parts = []
            if score_fell:
                d, d2 = _small_digits(change), _digits(previous_value, value)
                parts.append(phrase(N_("weak_score_down") if change < 0 else N_("weak_score_up"), change=Num(abs(change), d),
                                     unit=u, before=Num(previous_value, d2), after=Num(value, d2)))
            if rank_fell:
                parts.append(phrase("weak_rank_fell", n=-rank_change, before=previous_rank, after=int(row.rank)))
            texts.append(phrase("weak_decline", year=previous_year, parts=parts))
            severity += SEVERITY_WEIGHTS["DECLINE"] + (SEVERITY_BOTH_DECLINES
                                                       if score_fell and rank_fell else 0)
    elif has_previous:
        reason = row.not_comparable_reason if isinstance(row.not_comparable_reason, str) else ""
        reason_en = getattr(row, "not_comparable_reason_en", None)
        reason_en = reason_en if isinstance(reason_en, str) and reason_en else reason
        notes.append(phrase("weak_not_comparable", year=previous_year,
                             suffix=ByLanguage(f": {reason}", f": {reason_en}") if reason else None))

    # Points lost against the maximum.
    max_value = None if pd.isna(row.scale_max) else float(row.scale_max)
    points_lost = share = None
    if max_value is not None:
        points_lost = max_value - value
        share = points_lost / max_value if max_value > 0 else None
        if (unit == POINTS_UNIT and higher and share is not None
                and share > thresholds.points_lost_share):
            reasons.append("POINTS_LOST")
            texts.append(phrase("weak_points_lost", lost=Num(points_lost, 2), unit=u,
                                 max=Num(max_value, 0 if max_value == int(max_value) else 2),
                                 share=Num(share * 100, 0), threshold=Num(thresholds.points_lost_share * 100, 0)))
            severity += SEVERITY_WEIGHTS["POINTS_LOST"]

    # Persistently low: LOW in each of the last N years with data.
    last = series.tail(thresholds.persistent_years)
    if len(last) == thresholds.persistent_years and thresholds.persistent_years >= 1:
        lows = [int(g) == LOWEST_GROUP for g in last["group_no"]]
        if all(lows) and "LOW" in reasons:
            years = ", ".join(str(int(y)) for y in last["year"])
            reasons.append("PERSISTENT")
            texts.append(phrase("weak_persistent", n=thresholds.persistent_years, years=years))
            severity += SEVERITY_WEIGHTS["PERSISTENT"]

    # Trend over up to `trend_years` comparable years.
    points = comparable_chain(series, year, thresholds.trend_years)
    trend, details = trend_class(points, band, higher, thresholds.trend_min_years)
    trend_part = _trend_part(trend, details, thresholds, unit)
    if trend in FLAGGED_TRENDS:
        reasons.append("TREND")
        texts.append(phrase("weak_trend", trend=trend_part))
        severity += FLAGGED_TRENDS[trend]

    parent = row.parent_code if isinstance(row.parent_code, str) else ""
    parent_name = name_of.get((parent, year), "") if parent and parent != "TOTAL" else ""
    return {
        "index": row.index_code,
        "year": year,
        "province_code": row.province_code,
        "province_id": row.province_id,
        "indicator_code": code,
        "indicator": row.name_vi,
        "indicator_en": row.name_en if isinstance(row.name_en, str) and row.name_en else row.name_vi,
        "parent_indicator": parent_name,
        "parent_indicator_en": name_en_of.get((parent, year), parent_name) if parent_name else "",
        "value": value,
        "max_value": max_value,
        "points_lost": None if points_lost is None else round(points_lost, 6),
        "previous_value": previous_value,
        "change": None if change is None else round(change, 6),
        "rank": None if pd.isna(row.rank) else int(row.rank),
        "previous_rank": previous_rank,
        "group": GROUPS[group_no - 1],
        "median": median,
        "best_value": best,
        "reasons": ";".join(reasons),
        "reason_codes": list(reasons),
        "tier": None,
        "tier_capped": False,
        "severity": severity,
        "lead_department": "",
        "support_departments": "",
        "reason_text": render(texts, "vi"),
        "reason_text_en": render(texts, "en"),
        "trend": trend,
        "trend_text": render([trend_part], "vi"),
        "trend_text_en": render([trend_part], "en"),
        "note": render(notes, "vi", "; "),
        "note_en": render(notes, "en", "; "),
        "is_demo": bool(getattr(row, "is_demo", False)),
        "flagged": bool(reasons),
        "index_name": facts.short_name,
        "era": row.era,
        "province": getattr(row, "province", None),
        "level": int(row.level),
        "parent_code": parent,
        "unit": unit,
        "n_ranked": None if pd.isna(row.n_ranked) else int(row.n_ranked),
        "group_no": group_no,
        "q25": q25,
        "points_lost_share": share,
        "previous_year": previous_year,
        "rank_change": rank_change,
        "comparable": comparable,
        "small_change": band,
        "index_small_change": facts.stated_band(thresholds.small_change),
        "survey_based": facts.survey_based,
        "higher_is_better": higher,
        "source_id": getattr(row, "source_id", None),
        "sort_order": None if pd.isna(row.sort_order) else int(row.sort_order),
    }


def assign_tiers(assessed: pd.DataFrame, cap: int | None = 10) -> pd.DataFrame:
    """`tier` of each row of a severity-ordered `assess_indicators` frame (a new frame).

    keep: in the top group (Cao nhất), whatever else; priority: not in the top group and LOW,
    DECLINE (beyond the noise band: the rule never counts a small change) or PERSISTENT;
    watch: any other flagged row (BELOW_MEDIAN, POINTS_LOST or TREND only); None: neither.
    Only the first `cap` priority rows (the most severe) stay priority, the rest become watch
    with `tier_capped` True.
    """
    out = assessed.copy()
    codes = out["reason_codes"] if "reason_codes" in out else out["reasons"].fillna("").str.split(";")
    top = out["group_no"].astype(float) == 1
    priority = ~top & codes.apply(lambda c: bool(PRIORITY_REASONS & set(c)))
    flagged = codes.apply(lambda c: any(c))
    tiers = np.select([top, priority, flagged], ["keep", "priority", "watch"], "")
    out["tier"] = pd.Series([tier or None for tier in tiers], index=out.index, dtype=object)
    out["tier_capped"] = False
    if cap is not None:
        beyond = priority & (priority.cumsum() > int(cap))
        out.loc[beyond, "tier"] = "watch"
        out.loc[beyond, "tier_capped"] = True
    return out


def select_tier(assessed: pd.DataFrame, tier: str | None) -> pd.DataFrame:
    """Rows of one tier (`priority`, `watch`, `keep`), every tiered row (`all`), or the flagged
    rows (None), in the frame's (severity) order."""
    if tier is None:
        rows = assessed[assessed["flagged"].astype(bool)]
    elif tier == "all":
        rows = assessed[assessed["tier"].isin(TIERS)]
    elif tier in TIERS:
        rows = assessed[assessed["tier"] == tier]
    else:
        raise ValueError(f"unknown tier {tier!r}")
    return rows.reset_index(drop=True)


def flag_weak(table: pd.DataFrame, indices: pd.DataFrame, province_id: str, index_code: str,
              year: int, thresholds: Thresholds = Thresholds(), *, departments: pd.DataFrame,
              all_indicators: bool = False) -> pd.DataFrame:
    """The weak-indicator worklist of one province, index and year (rules in the docstring).

    One row per flagged indicator (every indicator with `all_indicators=True`; see the
    `flagged` column), sorted by severity, highest first. Columns: FLAG_COLUMNS (the CSV
    columns, then reason_text, trend, trend_text, note, is_demo and computed fields).
    """
    assessed = assess_indicators(table, indices, province_id, index_code, year, thresholds, departments)
    if all_indicators or assessed.empty:
        return assessed
    return select_tier(assessed, None)


def previous_lists(table: pd.DataFrame, province_id: str, index_code: str, year: int) -> tuple[int | None, list[str]]:
    """The year before `year` with data for the province's lineage, and the provinces whose
    lists of that year a follow-up reads: the province itself, or for a 2025 province whose
    previous year is on the legacy map, each of the provinces it was made of."""
    rows = table[(table["index_code"] == index_code) & (table["year"] < year)]
    own = rows[rows["province_id"] == province_id]
    lineage = own["lineage_id"].iloc[0] if not own.empty else province_id
    same = rows[(rows["province_id"] == province_id) | (rows["lineage_id"] == lineage)]
    before = rows[rows["successor_id"] == province_id] if "successor_id" in rows else rows.iloc[0:0]
    candidates = pd.concat([same, before])
    if candidates.empty:
        return None, []
    previous = int(candidates["year"].max())
    ids = candidates.loc[candidates["year"] == previous, "province_id"].drop_duplicates().sort_values()
    return previous, ids.tolist()


def worklist(table: pd.DataFrame, indices: pd.DataFrame, province_id: str, index_code: str, year: int,
             thresholds: Thresholds, departments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """This year's flagged list, and the follow-up of the lists the same rules gave for the
    previous year with data (see `follow_up_of`)."""
    flags = flag_weak(table, indices, province_id, index_code, year, thresholds, departments=departments)
    return flags, follow_up_of(table, indices, province_id, index_code, year, thresholds, departments)


def follow_up_of(table: pd.DataFrame, indices: pd.DataFrame, province_id: str, index_code: str, year: int,
                 thresholds: Thresholds, departments: pd.DataFrame) -> pd.DataFrame | None:
    """How the previous year's flagged lists (the province's own, or its predecessors' across the
    2025 merger, each named) fared by `year`; None when there is no earlier year or nothing was
    flagged then."""
    previous_year, ids = previous_lists(table, province_id, index_code, year)
    if previous_year is None:
        return None
    previous = [flag_weak(table, indices, pid, index_code, previous_year, thresholds, departments=departments)
                for pid in ids]
    previous = [frame for frame in previous if not frame.empty]
    if not previous:
        return None
    return follow_up(pd.concat(previous, ignore_index=True), table, year, indices=indices,
                     thresholds=thresholds, province_id=province_id)


# -- follow-up -------------------------------------------------------------------------------
def _norm_code(code) -> str:
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(2) if text.isdigit() else text


def _flag_province_id(flag: pd.Series, rows: pd.DataFrame) -> str:
    """The flagged province's id: its `province_id`, else its code on the map of its year."""
    pid = flag.get("province_id")
    if isinstance(pid, str) and pid:
        return pid
    code, then_year = _norm_code(flag["province_code"]), int(flag["year"])
    match = rows.loc[(rows["year"] == then_year) & (rows["province_code"] == code), "province_id"]
    return match.iloc[0] if not match.empty else f"{LEGACY}:{code}"


def _now_series(rows: pd.DataFrame, flagged_id: str, target_id: str | None) -> pd.DataFrame:
    """The rows a follow-up reads the later value from: the flagged province's lineage, or the
    province it became (`target_id`) when the list was its predecessor's."""
    own = rows[rows["province_id"] == flagged_id]
    lineage = own["lineage_id"].iloc[0] if not own.empty else flagged_id
    series = rows[(rows["province_id"] == flagged_id) | (rows["lineage_id"] == lineage)]
    if target_id is not None and target_id != lineage:
        series = pd.concat([series, rows[rows["province_id"] == target_id]])
    return series.sort_values("year")


def follow_up(previous_flags: pd.DataFrame, table: pd.DataFrame, year: int, *,
              indices: pd.DataFrame, thresholds: Thresholds = Thresholds(),
              province_id: str | None = None) -> pd.DataFrame:
    """How each indicator of an earlier list moved by `year` (columns FOLLOW_UP_COLUMNS).

    `previous_flags` is a `flag_weak` frame or its CSV read back (index, year, province_code,
    indicator_code, value; province_id, lead_department and reasons when present). The later
    value is the same province's, or that of `province_id` when the list was a predecessor's
    (across the 2025 merger the follow-up names each predecessor in `province`). Status:
    improved, unchanged (change smaller than the survey small-change band; exactly 0 for other
    indices), worse, not_comparable, no_data. Across the merger a step is comparable when the
    indicator keeps its scale (the provinces differ: the value is read, the rank is not).
    """
    year = int(year)
    if previous_flags.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in FOLLOW_UP_COLUMNS})
    # A flag_weak frame names its index in `index`; a CSV read back may call it `index_code`.
    listed = (previous_flags["index"] if "index" in previous_flags else previous_flags["index_code"]).astype(str)
    slices = _indicator_slices(table, previous_flags, listed)
    records = []
    for (_, flag), index_code in zip(previous_flags.iterrows(), listed):
        rows, by_code = slices[index_code]
        indicator_rows = by_code.get(str(flag["indicator_code"]), rows.iloc[0:0])
        records.append(_follow_one(flag, index_code, rows, indicator_rows, year, indices, thresholds, province_id))
    out = pd.DataFrame.from_records(records)
    for column in ("previous_year", "year", "previous_rank", "rank"):
        out[column] = out[column].astype("Int64")
    return out[FOLLOW_UP_COLUMNS]


# The score-table columns a follow-up reads (`_follow_one` and what it calls): every row filter
# copies each column, and the table has about sixty.
FOLLOW_UP_READS = ("index_code", "indicator_code", "province_id", "lineage_id", "province_code", "province", "year",
                   "era", "value", "rank", "group", "group_no", "higher_is_better", "noise_band", "scale_min",
                   "scale_max", "name_vi", "name_en", "comparable", "previous_year")


def _indicator_slices(table: pd.DataFrame, flags: pd.DataFrame, listed: pd.Series) -> dict:
    """Per index of the list: its rows with a value (the columns a follow-up reads), and those
    rows split by listed indicator, cut once; a full-table filter per listed indicator cost
    most of a follow-up."""
    slices = {}
    columns = [c for c in FOLLOW_UP_READS if c in table]
    for index_code in listed.unique():
        rows = table.loc[(table["index_code"] == index_code) & table["value"].notna(), columns]
        codes = set(flags.loc[listed == index_code, "indicator_code"].astype(str))
        wanted = rows[rows["indicator_code"].isin(codes)]
        by_code = {str(code): part for code, part in wanted.groupby("indicator_code", sort=False, observed=True)}
        slices[index_code] = (rows, by_code)
    return slices


def _text(flag: pd.Series, column: str, default: str = "") -> str:
    value = flag.get(column)
    return value if isinstance(value, str) else default


def _follow_one(flag: pd.Series, index_code: str, rows: pd.DataFrame, indicator_rows: pd.DataFrame, year: int,
                indices: pd.DataFrame, thresholds: Thresholds, target_id: str | None) -> dict:
    """One listed indicator's follow-up; `indicator_rows` are the index's rows of that indicator."""
    code, then_year = str(flag["indicator_code"]), int(flag["year"])
    flagged_id = _flag_province_id(flag, rows)
    series = _now_series(indicator_rows, flagged_id, target_id)
    then_rows = series[(series["year"] == then_year) & (series["province_id"] == flagged_id)]
    now_rows = series[series["year"] == year]
    previous_value = float(flag["value"]) if not pd.isna(flag.get("value")) else (
        float(then_rows["value"].iloc[0]) if not then_rows.empty else None)
    previous_rank = flag.get("rank")
    if (previous_rank is None or pd.isna(previous_rank)) and not then_rows.empty:
        previous_rank = then_rows["rank"].iloc[0]
    name = _text(flag, "province") or (then_rows["province"].iloc[0] if not then_rows.empty else flagged_id)
    record = {
        "index": index_code, "province_code": flagged_id.split(":")[-1], "province_id": flagged_id,
        "province": name, "indicator_code": code,
        "indicator": _text(flag, "indicator") or (then_rows["name_vi"].iloc[0] if not then_rows.empty else code),
        "parent_indicator": _text(flag, "parent_indicator"),
        "indicator_en": _text(flag, "indicator_en") or (then_rows["name_en"].iloc[0] if not then_rows.empty
                                                         and "name_en" in then_rows else ""),
        "parent_indicator_en": _text(flag, "parent_indicator_en"),
        "lead_department": _text(flag, "lead_department"),
        "support_departments": _text(flag, "support_departments"),
        "reasons": _text(flag, "reasons"),
        "previous_year": then_year, "previous_value": previous_value, "year": year,
        "value": None, "change": None,
        "previous_rank": None if previous_rank is None or pd.isna(previous_rank) else int(previous_rank),
        "rank": None, "previous_group": _text(flag, "group") or None,
        "group": None, "status": "no_data", "small_change": None, "still_low": None,
    }
    if not now_rows.empty:
        now = now_rows.iloc[-1]
        higher = bool(now["higher_is_better"]) if not pd.isna(now["higher_is_better"]) else True
        band = _band(now, rules.IndexFacts.of(indices, index_code), thresholds)
        record.update({"value": float(now["value"]),
                       "rank": None if pd.isna(now["rank"]) else int(now["rank"]),
                       "group": now["group"], "small_change": band,
                       "still_low": int(now["group_no"]) == LOWEST_GROUP})
        if _comparable_since(series, then_rows, now, year) and previous_value is not None:
            change = float(now["value"]) - previous_value
            record["change"] = round(change, 6)
            if abs(change) < band or (band == 0 and change == 0):
                record["status"] = "unchanged"
            else:
                record["status"] = "improved" if (change if higher else -change) > 0 else "worse"
        else:
            record["status"] = "not_comparable"
    record["status_text"] = FOLLOW_UP_STATUS[record["status"]]
    record["status_text_en"] = follow_up_label(record["status"], "en")
    return record


def _comparable_since(series: pd.DataFrame, then_rows: pd.DataFrame, now, year: int) -> bool:
    """Whether the flagged value (`then_rows`) may be compared with `now` (the row of `year`):
    on one map, when every step between the two years is comparable; across the 2025 merger
    (a predecessor's value, or an unchanged province's), when the indicator keeps its scale."""
    if then_rows.empty:
        return False
    then = then_rows.iloc[0]
    if then["era"] != now["era"]:
        return bool(then["scale_min"] == now["scale_min"] and then["scale_max"] == now["scale_max"])
    own = series[series["lineage_id"] == now["lineage_id"]]
    return int(then["year"]) in [y for y, _ in comparable_chain(own, year)]


def follow_up_summary(follow: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Counts per lead department: n, improved, unchanged, worse, not_comparable, no_data
    (machine column names; a page renames them with the catalog)."""
    statuses = list(FOLLOW_UP_STATUS)
    if follow.empty:
        return pd.DataFrame(columns=["lead_department", "n", *statuses])
    counts = (follow.assign(lead_department=follow["lead_department"].fillna("").replace("", say(lang, "unassigned")))
              .pivot_table(index="lead_department", columns="status", values="indicator_code",
                           aggfunc="count", fill_value=0))
    counts = counts.reindex(columns=statuses, fill_value=0).astype(int)
    counts.insert(0, "n", counts.sum(axis=1))
    counts = counts.reset_index().rename_axis(columns=None)
    return counts.sort_values(["worse", "n", "lead_department"], ascending=[False, False, True],
                              ignore_index=True)
