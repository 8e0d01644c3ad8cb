"""The weak-indicator worklist: each rule on small hand-made frames, and the real store."""

from __future__ import annotations

import io
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics import weak
from analytics.annex import annex_csv
from analytics.registry import load_catalog
from analytics.scores import build_score_table
from analytics.weak import Thresholds, flag_weak, follow_up, follow_up_summary, trend_class

PROVINCES = [f"{i:02d}" for i in range(1, 9)]
DEPTS = weak.load_default_departments()
CATALOG_COLUMNS = ["index_code", "indicator_code", "parent_code", "level", "valid_from", "valid_to",
                   "name_vi", "name_en", "aliases", "scale_min", "scale_max", "unit",
                   "higher_is_better", "sums_to_parent", "sort_order", "note"]
NO_BREAKS = pd.DataFrame(columns=["index_code", "indicator_code", "year", "reason_vi", "reason_en"])


# -- hand-made frames ------------------------------------------------------------------------
def catalog(codes, scale=(0.25, 2.5), unit="điểm"):
    rows = [("TST", "TOTAL", "", 0, 2000, 9999, "Tổng", "Total", "", 1.0, 80.0, unit, True, False, 0, ""),
            ("TST", "D1", "TOTAL", 1, 2000, 9999, "Chiều 1", "Dimension 1", "", 1.0, 10.0, unit, True, True, 10, "")]
    rows += [("TST", code, "D1", 2, 2000, 9999, f"Nội dung {code}", code, "", scale[0], scale[1], unit,
              True, True, 11 + i, "") for i, code in enumerate(codes)]
    return pd.DataFrame(rows, columns=CATALOG_COLUMNS)


def indices(survey: bool, band: float = 0.25):
    return pd.DataFrame([{"index_code": "TST", "short_name": "TST", "survey_based": survey,
                          "small_score_change": band if survey else 0.0}])


def make_table(values: dict, codes, breaks=NO_BREAKS):
    """values: {(year, code): {province: value}}; adds a D1 dimension row for every province."""
    rows = []
    for (year, code), by_province in values.items():
        for province, value in by_province.items():
            rows.append(("TST", year, "legacy", province, code, float(value), 1, "hand", False))
    years = sorted({year for year, _ in values})
    for year in years:
        rows += [("TST", year, "legacy", p, "D1", 5.0 + i / 10, 1, "hand", False)
                 for i, p in enumerate(PROVINCES)]
    scores = pd.DataFrame(rows, columns=["index_code", "year", "era", "province_code", "indicator_code",
                                         "value", "batch_id", "source_id", "is_demo"])
    provinces = pd.DataFrame({"era": "legacy", "code": PROVINCES, "name": [f"Tỉnh {p}" for p in PROVINCES],
                              "name_en": PROVINCES, "region": "R", "successor_code": "", "aliases": ""})
    return build_score_table(scores, catalog(codes), breaks, provinces, indices(True))


def others(start=1.0, step=0.1):
    """Values of provinces 02-08 (01 is the province under test)."""
    return {p: round(start + i * step, 4) for i, p in enumerate(PROVINCES[1:])}


def flags_for(table, survey=False, thresholds=Thresholds(), year=2021, province="01", **kw):
    return flag_weak(table, indices(survey), f"legacy:{province}", "TST", year, thresholds,
                     departments=pd.DataFrame(columns=weak.DEPARTMENT_COLUMNS), **kw)


def row_of(flags, code):
    rows = flags[flags["indicator_code"] == code]
    assert len(rows) == 1, f"{code} not in {flags['indicator_code'].tolist()}"
    return rows.iloc[0]


def reasons(flags, code):
    rows = flags[flags["indicator_code"] == code]
    return set() if rows.empty else set(rows.iloc[0]["reasons"].split(";")) - {""}


# -- DECLINE ---------------------------------------------------------------------------------
def test_decline_when_the_score_fell():
    table = make_table({(2020, "A"): {"01": 2.0, **others()}, (2021, "A"): {"01": 1.9, **others()}}, ["A"])
    flags = flags_for(table, all_indicators=True)
    row = row_of(flags, "A")
    assert "DECLINE" in reasons(flags, "A")
    assert row["rank"] == 1 and row["previous_rank"] == 1  # by score alone, not by rank
    assert row["change"] == pytest.approx(-0.1)
    assert "giảm 0,10 điểm" in row["reason_text"]


def test_decline_when_the_rank_fell_five_places_even_if_the_score_rose():
    before = {"01": 2.0, **others()}
    after = {"01": 2.05, **others(), "02": 2.1, "03": 2.2, "04": 2.3, "05": 2.4, "06": 2.45}
    table = make_table({(2020, "A"): before, (2021, "A"): after}, ["A"])
    row = row_of(flags_for(table, all_indicators=True), "A")
    assert row["previous_rank"] == 1 and row["rank"] == 6
    assert "DECLINE" in row["reasons"].split(";")
    assert "tụt 5 bậc (1 → 6)" in row["reason_text"]
    stricter = flags_for(table, thresholds=Thresholds(decline_rank_places=6), all_indicators=True)
    assert "DECLINE" not in reasons(stricter, "A")


def test_survey_small_change_is_not_a_decline_but_a_note():
    # Band 0.25 on the 1-10 dimension scale → 0.25 × 2.25 / 9 = 0.0625 on a 0.25-2.5 scale.
    small = make_table({(2020, "A"): {"01": 2.0, **others()}, (2021, "A"): {"01": 1.97, **others()}}, ["A"])
    survey = flags_for(small, survey=True, all_indicators=True)
    row = row_of(survey, "A")
    assert row["small_change"] == pytest.approx(0.0625)
    assert "DECLINE" not in reasons(survey, "A")
    assert weak.SMALL_CHANGE_NOTE in row["note"]
    # The same fall on an index that is not survey-based is a decline.
    assert "DECLINE" in reasons(flags_for(small, survey=False, all_indicators=True), "A")
    # A larger fall is a decline on the survey index too.
    large = make_table({(2020, "A"): {"01": 2.0, **others()}, (2021, "A"): {"01": 1.9, **others()}}, ["A"])
    assert "DECLINE" in reasons(flags_for(large, survey=True, all_indicators=True), "A")


def test_survey_small_change_with_a_big_rank_fall_is_still_not_a_decline():
    before = {"01": 2.0, **{p: 1.9 + i * 0.01 for i, p in enumerate(PROVINCES[1:])}}
    after = {"01": 1.98, **{p: 1.99 + i * 0.001 for i, p in enumerate(PROVINCES[1:])}}
    table = make_table({(2020, "A"): before, (2021, "A"): after}, ["A"])
    survey = row_of(flags_for(table, survey=True, all_indicators=True), "A")
    assert survey["rank_change"] <= -5
    assert "DECLINE" not in survey["reasons"].split(";")
    assert weak.SMALL_CHANGE_NOTE in survey["note"]
    assert "DECLINE" in reasons(flags_for(table, survey=False, all_indicators=True), "A")


def test_no_decline_across_a_break_and_the_note_says_why():
    breaks = pd.DataFrame([("TST", "A", 2021, "Đổi phương pháp", "Method changed")],
                          columns=NO_BREAKS.columns)
    table = make_table({(2020, "A"): {"01": 2.4, **others()}, (2021, "A"): {"01": 1.5, **others()}},
                       ["A"], breaks)
    row = row_of(flags_for(table, all_indicators=True), "A")
    assert "DECLINE" not in row["reasons"].split(";")
    assert pd.isna(row["change"]) and pd.isna(row["previous_value"])
    assert "không so sánh được với năm 2020: Đổi phương pháp" in row["note"]


# -- LOW, BELOW_MEDIAN, POINTS_LOST, PERSISTENT ----------------------------------------------
def test_low_and_below_median_follow_the_percentiles():
    values = {"01": 1.0, "02": 1.3, "03": 1.5, "04": 1.7, "05": 1.9, "06": 2.0, "07": 2.1, "08": 2.2}
    table = make_table({(2021, "A"): values}, ["A"])
    q25, q50 = np.percentile(list(values.values()), [25, 50])
    for province, value in values.items():
        got = reasons(flags_for(table, province=province, all_indicators=True), "A")
        assert ("LOW" in got) == (value < q25), province
        assert ("BELOW_MEDIAN" in got) == (value < q50), province
    row = row_of(flags_for(table, all_indicators=True), "A")
    assert row["median"] == pytest.approx(q50) and row["best_value"] == pytest.approx(2.2)
    assert row["group"] == "Thấp nhất"
    assert f"dưới phân vị 25: {q25:.2f}".replace(".", ",") in row["reason_text"]


def test_points_lost_share_threshold():
    table = make_table({(2021, "A"): {"01": 1.6, **others(2.2, 0.01)},
                        (2021, "B"): {"01": 1.8, **others(2.2, 0.01)}}, ["A", "B"])
    flags = flags_for(table, all_indicators=True)
    a, b = row_of(flags, "A"), row_of(flags, "B")
    assert a["max_value"] == 2.5 and a["points_lost"] == pytest.approx(0.9)
    assert a["points_lost_share"] == pytest.approx(0.36) and b["points_lost_share"] == pytest.approx(0.28)
    assert "POINTS_LOST" in reasons(flags, "A") and "POINTS_LOST" not in reasons(flags, "B")
    lower = flags_for(table, thresholds=Thresholds(points_lost_share=0.25), all_indicators=True)
    assert "POINTS_LOST" in reasons(lower, "B")


def test_points_lost_is_not_flagged_for_percent_indicators(real):
    table, idx, _ = real
    sipas = pd.concat([flag_weak(table, idx, f"legacy:{p}", "SIPAS", 2024, Thresholds(points_lost_share=0.0),
                                 all_indicators=True, departments=DEPTS) for p in ["01", "79", "46"]])
    assert not sipas.empty
    assert not sipas["reasons"].str.contains("POINTS_LOST").any()


def test_persistent_needs_low_in_the_last_two_years_with_data():
    low = {"01": 1.0, "02": 1.05}
    table = make_table({
        (2019, "A"): {**others(), **low},
        (2020, "A"): {p: v for p, v in {**others(), "02": 1.5}.items() if p != "01"},  # 01 has no data
        (2021, "A"): {**others(), **low},
    }, ["A"])
    one = flags_for(table, all_indicators=True)
    assert {"LOW", "PERSISTENT"} <= reasons(one, "A")           # 2019 and 2021: its last two years
    assert "2019, 2021" in row_of(one, "A")["reason_text"]
    two = flags_for(table, province="02", all_indicators=True)
    assert "LOW" in reasons(two, "A") and "PERSISTENT" not in reasons(two, "A")  # mid-table in 2020
    three = flags_for(table, thresholds=Thresholds(persistent_years=3), all_indicators=True)
    assert "PERSISTENT" not in reasons(three, "A")               # only two years of data


# -- TREND -----------------------------------------------------------------------------------
TREND_SERIES = {
    "IMP": [1.0, 1.1, 1.2, 1.4, 1.6],     # up, faster lately
    "SLO": [1.0, 1.3, 1.6, 1.7, 1.8],     # up, slower lately
    "WAR": [1.0, 1.3, 1.6, 1.5, 1.4],     # up over the years, down lately
    "DET": [2.0, 1.9, 1.8, 1.6, 1.4],     # down, down
    "REC": [2.0, 1.6, 1.2, 1.3, 1.4],     # down, up lately
    "FLA": [1.5, 1.5, 1.5, 1.5, 1.5],     # flat
}
EXPECTED_TREND = {"IMP": "IMPROVING", "SLO": "SLOWING_IMPROVEMENT", "WAR": "WARNING",
                  "DET": "DETERIORATING", "REC": "RECOVERING", "FLA": "STABLE"}


def trend_table(breaks=NO_BREAKS):
    values = {}
    codes = list(TREND_SERIES)
    for code in codes:
        for i, year in enumerate(range(2017, 2022)):
            values[(year, code)] = {"01": TREND_SERIES[code][i], **others(1.2, 0.05)}
    return make_table(values, codes, breaks), codes


def test_each_trend_class_on_five_comparable_years():
    table, codes = trend_table()
    flags = flags_for(table, all_indicators=True)
    got = {code: row_of(flags, code)["trend"] for code in codes}
    assert got == EXPECTED_TREND
    for code in codes:
        flagged = "TREND" in reasons(flags, code)
        assert flagged == (EXPECTED_TREND[code] in {"WARNING", "DETERIORATING"}), code
    assert row_of(flags, "DET")["trend_text"].startswith("Suy giảm 2017-2021")


def test_trend_class_rules_directly():
    points = lambda values: list(zip(range(2017, 2017 + len(values)), values))  # noqa: E731
    assert trend_class(points([1.0, 1.2, 1.4, 1.4, 1.4]))[0] == "SLOWING_IMPROVEMENT"
    assert trend_class(points([1.6, 1.5, 1.4, 1.5, 1.6]))[0] == "IMPROVING"    # flat → up
    assert trend_class(points([1.5, 1.6, 1.7, 1.6, 1.5]))[0] == "WARNING"      # flat → down
    assert trend_class(points([1.0, 1.5]))[0] == "INSUFFICIENT"
    # Lower is better: falling values improve.
    assert trend_class(points([2.0, 1.9, 1.8, 1.6, 1.4]), higher_is_better=False)[0] == "IMPROVING"
    # A survey band makes small wiggles flat.
    assert trend_class(points([1.50, 1.52, 1.51, 1.53, 1.52]), band=0.0625)[0] == "STABLE"


def test_trend_walk_stops_at_the_first_non_comparable_step():
    breaks = pd.DataFrame([("TST", "DET", 2019, "Đổi thang", "Rescaled"),
                           ("TST", "REC", 2020, "Đổi thang", "Rescaled")], columns=NO_BREAKS.columns)
    table, _ = trend_table(breaks)
    flags = flags_for(table, all_indicators=True)
    det = row_of(flags, "DET")
    assert det["trend"] == "DETERIORATING" and "2019-2021" in det["trend_text"]  # 3 points left
    assert row_of(flags, "REC")["trend"] == "INSUFFICIENT"                      # 2 points left
    shorter = flags_for(table, thresholds=Thresholds(trend_years=2), all_indicators=True)
    assert row_of(shorter, "IMP")["trend"] == "INSUFFICIENT"


# -- severity, leaves, departments -----------------------------------------------------------
def test_severity_orders_the_list():
    table = make_table({
        (2020, "A"): {"01": 1.0, **others(1.5, 0.1)},
        (2021, "A"): {"01": 1.0, **others(1.5, 0.1)},          # LOW + BELOW_MEDIAN + PERSISTENT + …
        (2021, "B"): {"01": 2.3, **others(2.2, 0.04)},         # BELOW_MEDIAN only
        (2021, "C"): {"01": 2.49, **others(2.0, 0.01)},        # nothing
    }, ["A", "B", "C"])
    flags = flags_for(table)
    assert flags["indicator_code"].tolist() == ["A", "B"]
    assert flags["severity"].is_monotonic_decreasing
    a = row_of(flags, "A")
    assert a["severity"] == 3 + 1 + 2 + 1  # LOW, BELOW_MEDIAN, PERSISTENT, POINTS_LOST (60% lost)
    assert reasons(flags, "B") == {"BELOW_MEDIAN"} and row_of(flags, "B")["severity"] == 1
    every = flags_for(table, all_indicators=True)
    assert set(every["indicator_code"]) == {"A", "B", "C"}
    assert not bool(row_of(every, "C")["flagged"])


def test_most_detailed_level_is_the_leaves_with_data(real):
    table, idx, _ = real
    papi_2016 = flag_weak(table, idx, "legacy:01", "PAPI", 2016, all_indicators=True, departments=DEPTS)
    assert set(papi_2016["level"]) == {2} and len(papi_2016) == 22
    papi_2017 = flag_weak(table, idx, "legacy:01", "PAPI", 2017, all_indicators=True, departments=DEPTS)
    assert set(papi_2017["level"]) == {2} and len(papi_2017) == 22
    # 2018-2019 have the chỉ tiêu (level 3): the list is made of them, each under its sub-dimension.
    papi_2018 = flag_weak(table, idx, "legacy:01", "PAPI", 2018, all_indicators=True, departments=DEPTS)
    assert set(papi_2018["level"]) == {3} and len(papi_2018) >= 100
    assert papi_2018["parent_code"].str.fullmatch(r"D\d_[A-Z_]+").all()
    assert "TOTAL_WEIGHTED" not in set(flag_weak(table, idx, "legacy:01", "PAPI", 2019, all_indicators=True,
                                                 departments=DEPTS)["indicator_code"])
    sipas_2023 = flag_weak(table, idx, "legacy:01", "SIPAS", 2023, all_indicators=True, departments=DEPTS)
    assert set(sipas_2023["indicator_code"]) == {"E1", "E2", "E3", "E4", "E5"}


def test_par_index_uses_fields_and_flags_points_lost(real):
    table, idx, _ = real
    every = flag_weak(table, idx, "legacy:01", "PAR_INDEX", 2024, Thresholds(points_lost_share=0.1),
                      all_indicators=True, departments=DEPTS)
    assert set(every["indicator_code"]) == {f"F{i}" for i in range(1, 9)}
    assert set(every["level"]) == {1} and every["is_demo"].all()
    assert (every["parent_indicator"] == "").all()
    stored = table[(table["index_code"] == "PAR_INDEX") & (table["year"] == 2024)
                   & (table["province_code"] == "01") & (table["level"] == 1)].set_index("indicator_code")
    for row in every.itertuples():
        maximum = stored.loc[row.indicator_code, "scale_max"]
        assert row.max_value == maximum
        assert row.points_lost == pytest.approx(maximum - row.value)
        share = (maximum - row.value) / maximum
        assert ("POINTS_LOST" in row.reasons.split(";")) == (share > 0.1), row.indicator_code
    assert every["reasons"].str.contains("POINTS_LOST").any()
    assert "Điểm bị trừ" in " ".join(every["reason_text"])
    # 2024 changed the field maxima: no change is read across that break.
    assert every["change"].isna().all() and every["note"].str.contains("không so sánh được").all()


def test_par_index_decline_in_a_comparable_year(real):
    table, idx, _ = real
    rows = table[(table["index_code"] == "PAR_INDEX") & (table["year"] == 2023) & (table["level"] == 1)
                 & table["comparable"]]
    fell = rows[rows["score_change"] < 0].iloc[0]
    flags = flag_weak(table, idx, fell["province_id"], "PAR_INDEX", 2023, departments=DEPTS)
    assert "DECLINE" in reasons(flags, fell["indicator_code"])  # no small-change band for PAR INDEX


# -- the must-show: Hà Nội, PAPI 2016 --------------------------------------------------------
def test_hanoi_papi_2016_low_and_median_against_independent_percentiles(real):
    table, idx, _ = real
    flags = flag_weak(table, idx, "legacy:01", "PAPI", 2016, departments=DEPTS)
    exported = pd.read_csv(io.StringIO(annex_csv(flags)), dtype={"province_code": str})
    subs = table[(table["index_code"] == "PAPI") & (table["year"] == 2016) & (table["level"] == 2)]
    checked = lows = 0
    for code, peers in subs.groupby("indicator_code"):
        values = peers["value"].dropna().to_numpy()
        q25, q50 = np.percentile(values, [25, 50])
        mine = peers.loc[peers["province_code"] == "01", "value"].item()
        row = exported[exported["indicator_code"] == code]
        codes = set(row["reasons"].iloc[0].split(";")) if len(row) else set()
        if mine < q25:
            lows += 1
            assert "LOW" in codes, code
            assert row["group"].iloc[0] == "Thấp nhất"
        if mine > q50:
            assert not codes & {"LOW", "BELOW_MEDIAN"}, code
        if len(row):
            assert row["median"].iloc[0] == pytest.approx(q50)
            assert row["best_value"].iloc[0] == pytest.approx(values.max())
        checked += 1
    assert checked == 22 and lows >= 5
    assert (exported["province_code"] == "01").all() and (exported["year"] == 2016).all()
    assert exported["severity"].is_monotonic_decreasing


def test_hanoi_papi_2016_reason_texts_and_departments(real):
    table, idx, _ = real
    flags = flag_weak(table, idx, "legacy:01", "PAPI", 2016, departments=DEPTS)
    low = flags[flags["reasons"].str.split(";").map(lambda codes: "LOW" in codes)]
    assert len(low) >= 5
    assert low["reason_text"].str.contains(r"Thuộc nhóm Thấp nhất \(dưới phân vị 25: \d+,\d\d").all()
    assert (flags["lead_department"] != "").all()
    assert set(flags["trend"]) <= set(weak.TREND_CLASSES)
    assert not flags["is_demo"].any()


# -- departments -----------------------------------------------------------------------------
def test_departments_cover_every_indicator_once():
    departments = weak.load_default_departments()
    assert list(departments.columns) == weak.DEPARTMENT_COLUMNS
    assert not departments.duplicated(["index_code", "indicator_code"]).any()
    expected = load_catalog()
    expected = expected[expected["level"].isin([1, 2])][["index_code", "indicator_code"]].drop_duplicates()
    got = set(map(tuple, departments[["index_code", "indicator_code"]].to_numpy()))
    assert got == set(map(tuple, expected.to_numpy()))
    assert (departments["lead_department"] != "").all()
    for text in departments["lead_department"].tolist() + departments["support_departments"].tolist():
        assert unicodedata.is_normalized("NFC", text)
    lead = departments.set_index(["index_code", "indicator_code"])["lead_department"]
    assert lead[("PAPI", "D7")] == "Sở Nông nghiệp và Môi trường"
    assert lead[("PAPI", "D8")] == "Sở Khoa học và Công nghệ"
    assert lead[("PAPI", "D5")] == "Văn phòng UBND tỉnh"
    assert lead[("PAPI", "D4")] == "Thanh tra tỉnh"
    assert lead[("PAR_INDEX", "F5")] == "Sở Nội vụ"
    # No department name from before the 2025 reorganisation.
    everything = " ".join(departments["lead_department"]) + " " + " ".join(departments["support_departments"])
    for old in ("Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông", "Sở Kế hoạch và Đầu tư",
                "Sở Lao động", "UBND cấp huyện", "Sở Giao thông vận tải"):
        assert old not in everything


def test_assign_departments_falls_back_to_parent_then_default():
    flags = pd.DataFrame({"index": ["PAPI", "PAPI", "XYZ"], "indicator_code": ["D7_NEW", "D4", "Q"],
                          "parent_code": ["D7", "TOTAL", ""]})
    table = pd.DataFrame([("PAPI", "D7", "Sở Nông nghiệp và Môi trường", "Công an tỉnh; UBND cấp xã"),
                          ("PAPI", "D4", "Thanh tra tỉnh", "")], columns=weak.DEPARTMENT_COLUMNS)
    out = weak.assign_departments(flags, table)
    assert out["lead_department"].tolist() == ["Sở Nông nghiệp và Môi trường", "Thanh tra tỉnh",
                                               weak.DEFAULT_LEAD]
    assert out["support_departments"].tolist() == ["Công an tỉnh;UBND cấp xã", "", weak.DEFAULT_SUPPORT]
    assert "lead_department" not in flags  # input unchanged


# -- follow-up -------------------------------------------------------------------------------
def test_follow_up_statuses_and_summary():
    breaks = pd.DataFrame([("TST", "D", 2021, "Đổi thang", "Rescaled")], columns=NO_BREAKS.columns)
    base = others(1.5, 0.1)
    table = make_table({
        (2020, "A"): {"01": 1.0, **base}, (2021, "A"): {"01": 1.3, **base},    # improved
        (2020, "B"): {"01": 1.0, **base}, (2021, "B"): {"01": 1.03, **base},   # within 0.0625: unchanged
        (2020, "C"): {"01": 1.0, **base}, (2021, "C"): {"01": 0.8, **base},    # worse
        (2020, "D"): {"01": 1.0, **base}, (2021, "D"): {"01": 1.5, **base},    # break: not comparable
        (2020, "E"): {"01": 1.0, **base}, (2021, "E"): base,                   # 01 has no 2021 data
    }, list("ABCDE"), breaks)
    departments = pd.DataFrame([("TST", c, lead, "") for c, lead in
                                zip("ABCDE", ["Sở X", "Sở X", "Sở Y", "Sở Y", "Sở Z"])],
                               columns=weak.DEPARTMENT_COLUMNS)
    earlier = flag_weak(table, indices(True), "legacy:01", "TST", 2020, departments=departments)
    assert set(earlier["indicator_code"]) == set("ABCDE")
    result = follow_up(earlier, table, 2021, indices=indices(True)).set_index("indicator_code")
    assert result["status"].to_dict() == {"A": "improved", "B": "unchanged", "C": "worse",
                                          "D": "not_comparable", "E": "no_data"}
    assert result.loc["A", "change"] == pytest.approx(0.3)
    assert result.loc["C", "status_text"] == "Xấu đi"
    assert result.loc["A", "lead_department"] == "Sở X"
    # On an index that is not survey-based the small change counts.
    plain = follow_up(earlier, table, 2021, indices=indices(False)).set_index("indicator_code")
    assert plain.loc["B", "status"] == "improved"
    summary = follow_up_summary(result.reset_index()).set_index("lead_department")
    assert summary.loc["Sở X", ["n", "improved", "unchanged", "worse"]].tolist() == [2, 1, 1, 0]
    assert summary.loc["Sở Y", ["n", "worse", "not_comparable"]].tolist() == [2, 1, 1]
    assert summary.loc["Sở Z", "no_data"] == 1


def test_follow_up_reads_the_exported_csv_back(real):
    table, idx, _ = real
    earlier = flag_weak(table, idx, "legacy:01", "PAPI", 2015, departments=DEPTS)
    from_csv = pd.read_csv(io.StringIO(annex_csv(earlier)))  # province_code read as a number
    direct = follow_up(earlier, table, 2016, indices=idx)
    again = follow_up(from_csv, table, 2016, indices=idx)
    assert direct["status"].tolist() == again["status"].tolist()
    assert set(direct["status"]) <= set(weak.FOLLOW_UP_STATUS)
    # Community investment boards left PAPI in 2016.
    gone = direct[direct["indicator_code"] == "D3_INVESTMENT_BOARDS"]
    assert gone.empty or gone["status"].item() == "no_data"
    present = direct[direct["status"] != "no_data"].iloc[0]
    stored = table[(table["index_code"] == "PAPI") & (table["province_code"] == "01")
                   & (table["indicator_code"] == present["indicator_code"])].set_index("year")
    assert present["value"] == pytest.approx(stored.loc[2016, "value"])
    assert present["change"] == pytest.approx(stored.loc[2016, "value"] - stored.loc[2015, "value"], abs=1e-6)


def test_thresholds_render_as_vietnamese_lines():
    lines = Thresholds().lines(index_small_change=0.25, survey_based=True)
    text = "\n".join(lines)
    assert "tụt từ 5 bậc" in text and "30%" in text and "0,25 điểm" in text and "5 năm" in text
    assert SMALL in text
    assert "không áp dụng" in "\n".join(Thresholds().lines(survey_based=False))
    assert Thresholds().as_dict()["points_lost_share"] == 0.30
    with pytest.raises(Exception):
        Thresholds().decline_rank_places = 3  # frozen


SMALL = weak.SMALL_CHANGE_NOTE




def test_lower_is_better_indicators_are_weak_when_high(real):
    """A chỉ tiêu where less is better ('chung chi' paid at the land office) is LOW for the
    province with the highest share, not the lowest."""
    table, idx, _ = real
    code = "D4_WILLINGNESS_05"
    rows = table[(table["index_code"] == "PAPI") & (table["year"] == 2018) & (table["indicator_code"] == code)]
    assert not bool(rows["higher_is_better"].iloc[0])
    worst = rows.loc[rows["value"].idxmax(), "province_code"]
    flags = flag_weak(table, idx, f"legacy:{worst}", "PAPI", 2018, all_indicators=True, departments=DEPTS)
    assert "LOW" in flags.set_index("indicator_code").loc[code, "reasons"].split(";")


@given(st.lists(st.lists(st.sampled_from(["Sở Nội vụ", "Sở Tư pháp", " Sở Tài chính ", "Sở Y tế;Thanh tra tỉnh", ""]),
                         max_size=4), min_size=1, max_size=6))
def test_the_department_editor_saves_picked_lists_as_the_text_the_store_keeps(picked):
    from analytics.weak import departments_as_saved
    edited = pd.DataFrame({"index_code": "PAPI", "indicator_code": [f"D{i}" for i in range(len(picked))],
                           "lead_department": "Sở Nội vụ", "support_departments": picked})
    saved = departments_as_saved(edited)["support_departments"].tolist()
    for names, text in zip(picked, saved):
        expected = [p.strip() for n in names for p in n.split(";") if p.strip()]
        assert text == "; ".join(expected) and "[" not in text


def test_the_department_editor_keeps_typed_text_and_empty_cells():
    from analytics.weak import departments_as_saved
    edited = pd.DataFrame({"support_departments": ["Sở Y tế; Công an tỉnh", None, float("nan")]})
    assert departments_as_saved(edited)["support_departments"].tolist() == ["Sở Y tế; Công an tỉnh", "", ""]
