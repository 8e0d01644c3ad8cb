"""Leader views (analytics/leader.py): hand-checked small tables, then the real store."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from analytics import leader, reports
from analytics.scores import build_score_table
from analytics.store import Store

# -- a small hand-made index ------------------------------------------------------------------
# Index TST: TOTAL (0-30) = D1 + D2 + D3 (0-10 each); D1 has two sub-indicators (0-5) in 2021.
# A methodology break in 2022 makes 2022 not comparable with 2021.

CATALOG_COLUMNS = ["index_code", "indicator_code", "parent_code", "level", "valid_from", "valid_to",
                   "name_vi", "name_en", "scale_min", "scale_max", "unit", "higher_is_better",
                   "sort_order"]
CATALOG = pd.DataFrame([
    ("TST", "TOTAL", "", 0, 2015, 9999, "Tổng", "Total", 0.0, 30.0, "điểm", True, 0),
    ("TST", "D1", "TOTAL", 1, 2015, 9999, "Chiều 1", "Dimension 1", 0.0, 10.0, "điểm", True, 10),
    ("TST", "D1_X", "D1", 2, 2015, 9999, "Nội dung 1X", "Sub 1X", 0.0, 5.0, "điểm", True, 11),
    ("TST", "D1_Y", "D1", 2, 2015, 9999, "Nội dung 1Y", "Sub 1Y", 0.0, 5.0, "điểm", True, 12),
    ("TST", "D2", "TOTAL", 1, 2015, 9999, "Chiều 2", "Dimension 2", 0.0, 10.0, "điểm", True, 20),
    ("TST", "D3", "TOTAL", 1, 2015, 9999, "Chiều 3", "Dimension 3", 0.0, 10.0, "điểm", True, 30),
], columns=CATALOG_COLUMNS)
BREAKS = pd.DataFrame([("TST", "*", 2022, "Đổi phương pháp năm 2022", "Method changed in 2022")],
                      columns=["index_code", "indicator_code", "year", "reason_vi", "reason_en"])
PROVINCES = pd.DataFrame([
    ("legacy", "01", "Hà Nội", "Ha Noi", "R1"),
    ("legacy", "02", "Hà Giang", "Ha Giang", "R2"),
    ("legacy", "04", "Cao Bằng", "Cao Bang", "R2"),
    ("legacy", "06", "Bắc Kạn", "Bac Kan", "R1"),
    ("legacy", "08", "Tuyên Quang", "Tuyen Quang", "R1"),
    ("legacy", "10", "Lào Cai", "Lao Cai", "R2"),
    ("legacy", "11", "Điện Biên", "Dien Bien", "R1"),
], columns=["era", "code", "name", "name_en", "region"])


def even(total: float) -> tuple[float, float, float]:
    return (total / 3, total / 3, total - 2 * (total / 3))


# Totals, hand-ranked:
#   2020: 11 Điện Biên 25 (1), 08 Tuyên Quang 22 (2), 01 Hà Nội 20 (3), 02 Hà Giang 19 (4),
#         04 Cao Bằng 18 (5), 06 Bắc Kạn 17 (6); Lào Cai (10) has no data.
#   2021: 10 Lào Cai 23 (1), 08 22.5 (2), 02 21 (3), 04 20.8 (4), 01 20.5 (5), 06 16 (6);
#         Điện Biên (11) has no data.
# Hà Nội: +0.5 points but from 3rd to 5th: Hà Giang (+2) and Cao Bằng (+2.8) rose faster and
# overtook it, Lào Cai arrived above it, Điện Biên (above it in 2020) left.
DIMS = {
    2020: {"11": even(25), "08": even(22), "01": (7.0, 7.0, 6.0), "02": even(19), "04": even(18),
           "06": even(17)},
    2021: {"10": even(23), "08": even(22.5), "02": even(21), "04": even(20.8),
           "01": (7.5, 6.5, 6.5), "06": even(16)},
    2022: {"10": even(24), "08": even(22), "02": even(21), "04": even(20), "01": even(21),
           "06": even(15)},
}


def build(dims: dict, index_code: str = "TST", subs_in: tuple[int, ...] = (2021,),
          indices: pd.DataFrame | None = None) -> pd.DataFrame:
    """A score table as `reports.build_score_table` makes it, from {year: {code: (d1, d2, d3)}}."""
    rows = []
    for year, provinces in dims.items():
        for code, values in provinces.items():
            code = code.split(":")[-1]
            for i, value in enumerate(values, start=1):
                rows.append((index_code, year, "legacy", code, f"D{i}", float(value)))
            rows.append((index_code, year, "legacy", code, "TOTAL", float(sum(values))))
            if year in subs_in:
                rows += [(index_code, year, "legacy", code, "D1_X", values[0] / 2),
                         (index_code, year, "legacy", code, "D1_Y", values[0] / 2)]
    scores = pd.DataFrame(rows, columns=["index_code", "year", "era", "province_code", "indicator_code", "value"])
    scores = scores.assign(batch_id=1, source_id="test", is_demo=False)
    catalog = CATALOG.assign(index_code=index_code)
    provinces = PROVINCES.assign(successor_code="", aliases="")
    indices = indices_frame() if indices is None else indices
    return build_score_table(scores, catalog, BREAKS.assign(index_code=index_code), provinces,
                             indices.assign(index_code=index_code))


def indices_frame(survey: bool = True, small_score: float = 0.25, small_rank: int = 3) -> pd.DataFrame:
    return pd.DataFrame([{"index_code": "TST", "survey_based": survey, "small_score_change": small_score,
                          "small_rank_change": small_rank}])


@pytest.fixture(scope="module")
def small():
    return build(DIMS)


# -- headline -------------------------------------------------------------------------------------

def test_headline_latest_year_and_non_comparable_change(small):
    head = leader.headline(small, indices_frame(), "legacy:01", "TST")
    assert head["year"] == 2022 and head["score"] == pytest.approx(21.0)
    assert head["rank"] == 3 and head["n_ranked"] == 6  # 24, 22, then 21 shared with Hà Giang
    assert head["comparable"] is False and head["previous_year"] == 2021
    assert head["not_comparable_reason"] == "Đổi phương pháp năm 2022"
    assert head["score_change"] is None and head["rank_change"] is None and head["within_noise"] is None


def test_headline_given_year_and_noise_band(small):
    head = leader.headline(small, indices_frame(), "legacy:01", "TST", 2021)
    assert (head["score"], head["rank"], head["n_ranked"]) == (pytest.approx(20.5), 5, 6)
    assert head["score_change"] == pytest.approx(0.5) and head["rank_change"] == -2
    # Band 0.25 on the 0-10 dimension scale → 0.25 × 30 / 10 = 0.75 on the 0-30 total.
    assert head["noise_band"] == pytest.approx(0.75)
    assert head["within_noise"] is True  # |0.5| < 0.75
    # Cao Bằng: +2.8 points (≥ 0.75) and up one place (5th → 4th).
    # The band is part of the score table (built once with the index catalog).
    for indices, pid, expected in ((indices_frame(small_rank=3), "legacy:04", True),
                                   (indices_frame(small_rank=1), "legacy:04", False),
                                   (indices_frame(survey=False), "legacy:01", False)):
        table = build(DIMS, indices=indices)
        assert leader.headline(table, indices, pid, "TST", 2021)["within_noise"] is expected


def test_headline_missing_province_year_is_none(small):
    assert leader.headline(small, indices_frame(), "legacy:11", "TST", 2021) is None
    assert leader.headline(small, indices_frame(), "legacy:99", "TST") is None


# -- dimension profile ------------------------------------------------------------------------------

def test_dimension_profile_median_best_and_gaps(small):
    profile = leader.dimension_profile(small, "legacy:01", "TST", 2021).set_index("indicator_code")
    assert list(profile.index) == ["D1", "D2", "D3"]
    d1 = profile.loc["D1"]
    # 2021 D1 values: 23/3=7.667, 7.5, 7.0, 6.933, 7.5 (Hà Nội), 5.333 → median (7.0 + 7.5) / 2.
    assert d1["value"] == pytest.approx(7.5)
    assert d1["median"] == pytest.approx(7.25)
    assert d1["best_value"] == pytest.approx(23 / 3) and d1["best_province"] == "Lào Cai"
    assert d1["gap_to_median"] == pytest.approx(0.25)
    assert d1["gap_to_best"] == pytest.approx(23 / 3 - 7.5)
    assert bool(d1["has_children"]) and not bool(profile.loc["D2", "has_children"])
    assert d1["rank"] == 2  # 7.5, shared with Tuyên Quang


def test_dimension_profile_rank_of_d2(small):
    # D2 2021: 7.667, 7.5, 7.0, 6.933, 6.5 (Hà Nội), 5.333 → Hà Nội 5th of 6.
    d2 = leader.dimension_profile(small, "legacy:01", "TST", 2021).set_index("indicator_code").loc["D2"]
    assert d2["rank"] == 5 and d2["n_ranked"] == 6


def test_dimension_profile_drill_down_and_missing_province(small):
    children = leader.dimension_profile(small, "legacy:01", "TST", 2021, parent="D1")
    assert children["indicator_code"].tolist() == ["D1_X", "D1_Y"]
    assert children["value"].tolist() == pytest.approx([3.75, 3.75])
    total = leader.dimension_profile(small, "legacy:01", "TST", 2021, level=0)
    assert total["indicator_code"].tolist() == ["TOTAL"] and bool(total["has_children"].iloc[0])
    # A province without data that year still gets the national columns, with no value of its own.
    absent = leader.dimension_profile(small, "legacy:11", "TST", 2021)
    assert absent["value"].isna().all() and absent["median"].notna().all() and absent["rank"].isna().all()


def test_dimension_profile_best_ties_are_counted():
    table = build({2020: {"legacy:01": (5, 5, 5), "legacy:02": (8, 1, 1), "legacy:04": (8, 2, 2)}}, subs_in=())
    d1 = leader.dimension_profile(table, "legacy:01", "TST", 2020).set_index("indicator_code").loc["D1"]
    assert d1["n_best"] == 2 and d1["best_province"] == "Cao Bằng"  # Cao Bằng before Hà Giang by name
    assert d1["rank"] == 3


# -- rank history -------------------------------------------------------------------------------

def test_rank_history_keeps_every_year_with_gaps(small):
    history = leader.rank_history(small, "legacy:11", "TST", level=1)
    assert len(history) == 3 * 3
    d1 = history[history["indicator_code"] == "D1"].set_index("year")
    assert d1.loc[2020, "rank"] == 1
    assert pd.isna(d1.loc[2021, "rank"]) and pd.isna(d1.loc[2022, "rank"])
    assert d1["indicator_has_data"].all()
    subs = leader.rank_history(small, "legacy:01", "TST", level=2)
    x = subs[subs["indicator_code"] == "D1_X"].set_index("year")
    assert list(x.index) == [2020, 2021, 2022]
    assert x["indicator_has_data"].tolist() == [False, True, False]
    assert x.loc[2021, "rank"] == 2 and x["rank"].isna().sum() == 2


# -- why the rank moved -----------------------------------------------------------------------------

def test_why_score_up_but_rank_down(small):
    why = leader.why_rank_moved(small, "legacy:01", "TST", 2021)
    assert why["status"] == "ok"
    assert (why["previous_rank"], why["rank"], why["rank_change"]) == (3, 5, -2)
    assert why["score_change"] == pytest.approx(0.5)
    assert why["overtaken_by"]["province_id"].tolist() == ["legacy:04", "legacy:02"]  # biggest risers first
    assert why["overtook"].empty
    assert why["entered_above"]["province_id"].tolist() == ["legacy:10"]
    assert why["left_above"]["province_id"].tolist() == ["legacy:11"]
    assert why["rank_change"] == (len(why["left_above"]) + len(why["overtook"])
                                  - len(why["overtaken_by"]) - len(why["entered_above"]))
    assert why["sentence_vi"] == (
        "Điểm tăng 0,50 nhưng tụt 2 bậc (hạng 3 năm 2020 → 5/6 năm 2021) vì 2 tỉnh khác tăng nhanh "
        "hơn (Cao Bằng +2,80, Hà Giang +2,00) và 1 tỉnh năm trước không có dữ liệu nay xếp trên (Lào Cai).")
    assert why["sentence"] == why["sentence_vi"]
    assert why["sentence_en"] == (
        "The score rose by 0.50 but the rank fell 2 places (rank 3 in 2020 → 5 of 6 in 2021) because "
        "2 other provinces rose faster (Cao Bang +2.80, Ha Giang +2.00) and 1 province without data "
        "the year before now ranks higher (Lao Cai).")


def test_why_contributions_add_up_and_neighbours(small):
    why = leader.why_rank_moved(small, "legacy:01", "TST", 2021)
    dims = why["dimensions"].set_index("indicator_code")
    assert why["additive"] is True
    assert dims["contribution"].tolist() == pytest.approx([0.5, -0.5, 0.5])
    assert dims["contribution"].sum() == pytest.approx(why["score_change"])
    assert why["residual"] == pytest.approx(0.0, abs=1e-9)
    assert dims["share_of_change"].tolist() == pytest.approx([1.0, -1.0, 1.0])
    neighbours = why["neighbours"]
    assert neighbours["position"].tolist() == ["above", "above", "below"]
    assert neighbours["province_id"].tolist() == ["legacy:02", "legacy:04", "legacy:06"]
    assert neighbours["rank_change"].tolist() == [1, 1, 0]
    assert neighbours["score_change"].tolist() == pytest.approx([2.0, 2.8, -1.0])
    assert why["dimensions_sentence_vi"] == "Tăng nhiều nhất: Chiều 1 +0,50; giảm nhiều nhất: Chiều 2 −0,50."


def test_why_score_down_but_rank_up_and_noise_clause():
    table = build({2020: {"legacy:01": even(20), "legacy:02": even(21), "legacy:04": even(22), "legacy:06": even(10)},
                   2021: {"legacy:01": even(19.8), "legacy:02": even(17.5), "legacy:04": even(19), "legacy:06": even(10)}}, subs_in=())
    why = leader.why_rank_moved(table, "legacy:01", "TST", 2021, indices=indices_frame())
    assert why["rank_change"] == 2 and why["overtook"]["province_id"].tolist() == ["legacy:02", "legacy:04"]
    assert why["sentence_vi"] == (
        "Điểm giảm 0,20 nhưng tăng 2 bậc (hạng 3 năm 2020 → 1/4 năm 2021) vì 2 tỉnh khác giảm nhiều "
        "hơn (Hà Giang −3,50, Cao Bằng −3,00); mức thay đổi điểm nhỏ hơn ngưỡng 0,75 điểm, nằm trong "
        "sai số khảo sát.")


def test_why_not_comparable_says_why(small):
    why = leader.why_rank_moved(small, "legacy:01", "TST", 2022, breaks=BREAKS)
    assert why["status"] == "not_comparable"
    assert why["not_comparable_reason"] == "Đổi phương pháp năm 2022"
    assert why["sentence_vi"] == "Không so sánh được năm 2022 với năm 2021: Đổi phương pháp năm 2022."
    assert "Method changed in 2022" in why["sentence_en"]
    assert "dimensions" not in why


def test_why_first_year_and_missing_year(small):
    assert leader.why_rank_moved(small, "legacy:10", "TST", 2021)["status"] == "no_previous"
    assert leader.why_rank_moved(small, "legacy:11", "TST", 2021)["status"] == "no_data"


# -- what-if --------------------------------------------------------------------------------------

WHAT_IF_DIMS = {2020: {"legacy:02": (10, 10, 10), "legacy:04": (9, 10, 9), "legacy:06": (10, 9, 9), "legacy:08": (8, 9, 8),
                       "legacy:01": (9, 6, 9)}}
# Totals: Hà Giang 30, Bắc Kạn 28 and Cao Bằng 28 (tie; Bắc Kạn first by name), Tuyên Quang 25,
# Hà Nội 24 (5th of 5).


def test_what_if_targets_and_numbers():
    table = build(WHAT_IF_DIMS, subs_in=())
    result = leader.what_if(table, "legacy:01", "TST", 2020).set_index("places")
    one = result.loc[1]
    assert (one["current_rank"], one["target_rank"], one["target_province_id"]) == (5, 4, "legacy:08")
    assert one["needed_total"] == pytest.approx(25.0001) and one["points_needed"] == pytest.approx(1.0001)
    assert one["new_rank"] == 4 and one["status"] == "ok"
    # D2 has the most room (national best 10 − 6 = 4): all of it goes there.
    assert [step[:4] for step in one["plan"]] == [("D2", "Chiều 2", pytest.approx(1.0001), pytest.approx(7.0001))]
    three = result.loc[3]
    # Target rank 2: the 2nd best of the others is Bắc Kạn (28, tied with Cao Bằng, first by name).
    assert three["target_province_id"] == "legacy:06" and three["target_province_rank"] == 2
    assert three["points_needed"] == pytest.approx(4.0001) and three["new_rank"] == 2
    assert [p[0] for p in three["plan"]] == ["D2", "D1"]  # D2 to the best (+4), then D1 (room 1, first in order)
    assert [p[2] for p in three["plan"]] == pytest.approx([4.0, 0.0001])
    five = result.loc[5]
    assert five["status"] == "capped" and five["target_rank"] == 1 and five["target_province_id"] == "legacy:02"
    assert five["points_needed"] == pytest.approx(6.0001)
    # Every dimension at the national best gives 24 + 4 + 1 + 1 = 30 < 30.0001.
    assert not five["plan_complete"] and five["shortfall"] == pytest.approx(0.0001)
    assert one["sentence_vi"] == "Để lên hạng 4/5 cần 25,0001 điểm (+1,0001), vượt Tuyên Quang (25,0000)."


def test_what_if_from_a_tie_passes_the_whole_tie():
    table = build({2020: {"legacy:02": (10, 10, 10), "legacy:04": (9, 10, 9), "legacy:06": (10, 9, 9), "legacy:08": (8, 9, 8),
                          "legacy:01": (9, 7, 9)}}, subs_in=())  # Hà Nội 25, tied 4th with Tuyên Quang
    one = leader.what_if(table, "legacy:01", "TST", 2020, places=(1,)).iloc[0]
    assert one["current_rank"] == 4 and one["target_rank"] == 3
    # The 3rd best of the others is Cao Bằng (28), tied 2nd with Bắc Kạn: passing it passes both.
    assert one["target_province_id"] == "legacy:04" and one["target_province_rank"] == 2
    assert one["points_needed"] == pytest.approx(3.0001)
    assert one["new_rank"] == 2 and one["places_gained"] == 2


def test_what_if_top_province():
    table = build(WHAT_IF_DIMS, subs_in=())
    top = leader.what_if(table, "legacy:02", "TST", 2020)
    assert (top["status"] == "top").all() and (top["points_needed"] == 0).all()
    assert top["sentence_vi"].iloc[0].startswith("Đang đứng đầu")
    assert leader.what_if(table, "legacy:11", "TST", 2020).empty  # no data: nothing to compute


def test_what_if_plan_empty_when_total_is_not_a_sum():
    table = build(WHAT_IF_DIMS, subs_in=())
    table = table.assign(value=table["value"].where(table["indicator_code"] != "TOTAL", table["value"] / 3))
    assert not leader.is_additive(table, "TST", 2020)
    assert leader.what_if_plan(table, "legacy:01", "TST", 2020, 1.0).empty
    row = leader.what_if(table, "legacy:01", "TST", 2020, places=(1,)).iloc[0]
    assert row["plan"] == [] and row["shortfall"] is None and not row["plan_complete"]


# -- peers and compare ------------------------------------------------------------------------------

def test_default_peers(small):
    # 2021: Lào Cai, Tuyên Quang, Hà Giang, Cao Bằng, Hà Nội, Bắc Kạn. Region R1: 06, 08, 11.
    assert leader.default_peers(small, PROVINCES, "legacy:01", "TST", 2021) == ["legacy:04", "legacy:06", "legacy:08", "legacy:11", "legacy:02"]
    assert leader.default_peers(small, PROVINCES, "legacy:01", "TST", 2021, n=3) == ["legacy:04", "legacy:06", "legacy:08"]
    # Điện Biên has no 2021 data: only its region, by rank.
    assert leader.default_peers(small, PROVINCES, "legacy:11", "TST", 2021) == ["legacy:08", "legacy:01", "legacy:06"]


def test_compare_full_grid_with_gaps(small):
    view = leader.compare(small, ["legacy:11", "legacy:01"], "TST", ["TOTAL", "D1"], [2020, 2021])
    assert len(view) == 2 * 2 * 2
    assert view["province_id"].tolist()[:4] == ["legacy:11"] * 4
    assert view["indicator_code"].tolist()[:4] == ["TOTAL", "TOTAL", "D1", "D1"]
    gap = view[(view["province_id"] == "legacy:11") & (view["year"] == 2021)]
    assert not gap["has_data"].any() and gap["rank"].isna().all()
    hn = view[(view["province_id"] == "legacy:01") & (view["indicator_code"] == "TOTAL")].set_index("year")
    assert hn["rank"].tolist() == [3, 5] and hn["value"].tolist() == pytest.approx([20.0, 20.5])


def test_inputs_are_not_mutated(small):
    table, provinces, indices = small.copy(deep=True), PROVINCES.copy(), indices_frame()
    before = (copy.deepcopy(table), provinces.copy(), indices.copy())
    leader.headline(table, indices, "legacy:01", "TST", 2021)
    leader.dimension_profile(table, "legacy:01", "TST", 2021)
    leader.rank_history(table, "legacy:01", "TST")
    leader.why_rank_moved(table, "legacy:01", "TST", 2021, indices=indices)
    leader.what_if(table, "legacy:01", "TST", 2021)
    leader.default_peers(table, provinces, "legacy:01", "TST", 2021)
    leader.compare(table, ["legacy:01"], "TST", None, None)
    pd.testing.assert_frame_equal(table, before[0])
    pd.testing.assert_frame_equal(provinces, before[1])
    pd.testing.assert_frame_equal(indices, before[2])


# -- the real store -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(built_db):
    with Store.open(built_db, read_only=True) as store:
        return reports.build_score_table(store), store.indices(), store.provinces(), store.breaks()


def test_ha_noi_2020_what_if_checks_against_the_ranking(real):
    table, *_ = real
    totals = table[(table["index_code"] == "PAPI") & (table["year"] == 2020)
                   & (table["indicator_code"] == "TOTAL") & table["value"].notna()]
    hanoi = float(totals.loc[totals["province_id"] == "legacy:01", "value"].item())
    above = sorted(v for v in totals.loc[totals["province_id"] != "legacy:01", "value"] if v > hanoi)
    result = leader.what_if(table, "legacy:01", "PAPI", 2020).set_index("places")
    assert result.loc[1, "current_rank"] == len(above) + 1
    for k in (1, 3, 5):
        row = result.loc[k]
        needed = above[k - 1] + 0.0001  # the k-th lowest total above Hà Nội's, plus epsilon
        assert row["target_rank"] == len(above) + 1 - k
        assert row["needed_total"] == pytest.approx(needed, abs=1e-9)
        assert row["points_needed"] == pytest.approx(needed - hanoi, abs=1e-9)
        assert row["new_rank"] == row["target_rank"]
        points = sum(p[2] for p in row["plan"])
        assert row["plan_complete"] and points == pytest.approx(row["points_needed"], abs=1e-6)
    one = result.loc[1]
    target = totals[totals["province_id"] == one["target_province_id"]]
    assert float(target["value"].item()) == pytest.approx(above[0]) and int(target["rank"].item()) == 47


def test_ha_noi_2020_why_rank_moved(real):
    table, indices, _, breaks = real
    why = leader.why_rank_moved(table, "legacy:01", "PAPI", 2020, indices=indices, breaks=breaks)
    assert why["status"] == "ok" and why["previous_year"] == 2019
    assert why["rank_change"] == why["previous_rank"] - why["rank"]
    assert why["rank_change"] == (len(why["left_above"]) + len(why["overtook"])
                                  - len(why["overtaken_by"]) - len(why["entered_above"]))
    assert why["additive"] and abs(why["residual"]) < 0.001  # published dimensions, 4 decimals
    assert len(why["dimensions"]) == 8
    assert len(why["neighbours"]) == 4
    assert why["sentence_vi"].startswith("Điểm tăng 0,10 và tăng 11 bậc (hạng 59 năm 2019 → 48/63 năm 2020)")


def test_real_score_up_rank_down_sentence(real):
    table, *_ = real
    totals = table[(table["indicator_code"] == "TOTAL") & table["comparable"]]
    case = totals[(totals["score_change"] > 0.01) & (totals["rank_change"] < 0)].iloc[0]
    why = leader.why_rank_moved(table, case["province_id"], case["index_code"], int(case["year"]))
    assert " nhưng tụt " in why["sentence_vi"] and "tăng nhanh hơn" in why["sentence_vi"]
    assert " but the rank fell " in why["sentence_en"]


def test_real_breaks_gaps_and_non_additive_indices(real):
    table, indices, provinces, breaks = real
    broken = leader.why_rank_moved(table, "legacy:01", "PAPI", 2018, breaks=breaks)
    assert broken["status"] == "not_comparable" and "2018" in broken["not_comparable_reason"]
    # Bắc Giang has no PAPI 2014: no headline that year, a gap in its history.
    assert leader.headline(table, indices, "legacy:24", "PAPI", 2014) is None
    history = leader.rank_history(table, "legacy:24", "PAPI", level=0).set_index("year")
    assert pd.isna(history.loc[2014, "rank"]) and history.loc[2014, "indicator_has_data"]
    assert len(history) == 14
    dims = leader.rank_history(table, "legacy:01", "PAPI", level=1)
    d7 = dims[dims["indicator_code"] == "D7"].set_index("year")
    assert d7.loc[2017, "rank"] is pd.NA and not d7.loc[2017, "indicator_has_data"]
    # SIPAS 2017-2021: the total is a mean of the elements, not a sum.
    sipas = leader.why_rank_moved(table, "legacy:01", "SIPAS", 2021)
    assert sipas["status"] == "ok" and sipas["additive"] is False and sipas["residual"] is None
    assert leader.what_if(table, "legacy:01", "SIPAS", 2021)["plan"].map(len).eq(0).all()
    # PAR INDEX fields add up to the total.
    assert leader.is_additive(table, "PAR_INDEX", 2021)
    peers = leader.default_peers(table, provinces, "legacy:01", "PAPI", 2020)
    assert len(peers) == 5 and "legacy:01" not in peers and len(set(peers)) == 5


def test_real_every_index_has_a_headline_and_profile(real):
    table, indices, *_ = real
    for index_code in indices["index_code"]:
        head = leader.headline(table, indices, "legacy:01", index_code)
        assert head is not None and head["rank"] >= 1
        profile = leader.dimension_profile(table, "legacy:01", index_code, head["year"])
        assert not profile.empty and profile["median"].notna().all()
        what = leader.what_if(table, "legacy:01", index_code, head["year"])
        assert (what["new_rank"] <= what["target_rank"]).all()
