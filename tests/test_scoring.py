"""Ranks, groups and changes on small hand-checked frames."""

import pandas as pd
import pytest

from analytics.registry import load_breaks, load_catalog, load_indices, load_provinces
from analytics.scores import COLUMNS, build_score_table
from analytics.scores.build import add_changes, assign_groups, rank_provinces
from analytics.scores.rules import quartile_group


def frame(rows, columns=("index_code", "year", "indicator_code", "era", "province_code", "value")):
    return pd.DataFrame(rows, columns=list(columns))


def test_rank_one_is_best_and_ties_share_the_best_rank():
    scores = frame([("PAPI", 2016, "TOTAL", "legacy", p, v)
                    for p, v in [("01", 40.0), ("02", 38.0), ("04", 40.0), ("06", 35.0)]])
    ranked = rank_provinces(scores).set_index("province_code")
    assert ranked["rank"].to_dict() == {"01": 1, "02": 3, "04": 1, "06": 4}
    assert set(ranked["n_ranked"]) == {4}


def test_ranks_are_among_provinces_with_data_only():
    scores = frame([("PAPI", 2014, "TOTAL", "legacy", "01", 36.0),
                    ("PAPI", 2014, "TOTAL", "legacy", "02", None),
                    ("PAPI", 2014, "TOTAL", "legacy", "04", 37.0)])
    ranked = rank_provinces(scores).set_index("province_code")
    assert pd.isna(ranked.loc["02", "rank"])
    assert ranked.loc["04", "rank"] == 1 and ranked.loc["01", "rank"] == 2
    assert set(ranked["n_ranked"]) == {2}


def test_lower_is_better_reverses_the_order():
    scores = frame([("X", 2020, "T", "legacy", "01", 1.0), ("X", 2020, "T", "legacy", "02", 2.0)])
    ranked = rank_provinces(scores, higher_is_better=pd.Series([False, False]))
    assert ranked["rank"].tolist() == [1, 2]


def test_quartile_groups_by_percentile():
    values = pd.Series([float(v) for v in range(1, 9)])  # 1..8: q25=2.75, q50=4.5, q75=6.25
    assert quartile_group(values).tolist() == [4, 4, 3, 3, 2, 2, 1, 1]
    assert quartile_group(values, higher_is_better=False).tolist() == [1, 1, 2, 2, 3, 3, 4, 4]


def test_assign_groups_matches_the_single_series_rule_and_labels():
    scores = frame([("PAPI", 2016, "D1", "legacy", f"{i:02d}", float(i)) for i in range(1, 9)])
    grouped = assign_groups(scores)
    assert grouped["group_no"].tolist() == quartile_group(scores["value"]).tolist()
    assert grouped.loc[grouped["value"] == 8, "group"].item() == "Cao nhất"
    assert grouped.loc[grouped["value"] == 1, "group"].item() == "Thấp nhất"


def test_functions_do_not_mutate_their_input():
    scores = frame([("PAPI", 2016, "TOTAL", "legacy", "01", 40.0), ("PAPI", 2016, "TOTAL", "legacy", "02", 30.0)])
    before = scores.copy()
    rank_provinces(scores)
    assign_groups(scores)
    pd.testing.assert_frame_equal(scores, before)


def changes_for(rows):
    catalog, breaks = load_catalog(), load_breaks()
    return add_changes(rank_provinces(frame(rows)), catalog, breaks)


def test_change_is_against_the_previous_year_with_data():
    rows = []
    # Province 24 has no 2014 data: its 2015 change is measured against 2013.
    for year, values in {2013: {"01": 35.0, "24": 36.0, "87": 34.0},
                         2014: {"01": 36.0, "87": 35.0},
                         2015: {"01": 34.0, "24": 37.0, "87": 35.5}}.items():
        rows += [("PAPI", year, "TOTAL", "legacy", p, v) for p, v in values.items()]
    changed = changes_for(rows).set_index(["province_code", "year"])
    assert changed.loc[("24", 2015), "previous_year"] == 2013
    assert changed.loc[("24", 2015), "score_change"] == pytest.approx(1.0)
    assert changed.loc[("24", 2015), "rank_change"] == 0  # 1st in 2013, 1st in 2015
    # 01: 1st of 2 in 2014 (36 > 35) → 3rd of 3 in 2015: down two places.
    assert changed.loc[("01", 2015), "rank_change"] == -2
    assert changed.loc[("87", 2015), "rank_change"] == 0  # 2nd in 2014, 2nd in 2015
    assert bool(changed.loc[("01", 2015), "comparable"])
    assert pd.isna(changed.loc[("01", 2013), "previous_year"])
    assert not bool(changed.loc[("01", 2013), "comparable"])


def test_papi_total_2017_to_2018_is_not_comparable():
    rows = [("PAPI", 2017, "TOTAL", "legacy", "01", 36.0), ("PAPI", 2018, "TOTAL", "legacy", "01", 45.0),
            ("PAPI", 2017, "D1", "legacy", "01", 5.0), ("PAPI", 2018, "D1", "legacy", "01", 5.2)]
    changed = changes_for(rows).set_index(["indicator_code", "year"])
    assert not bool(changed.loc[("TOTAL", 2018), "comparable"])
    assert changed.loc[("TOTAL", 2018), "comparability"] == "BREAK"
    assert "8 dimensions" in changed.loc[("TOTAL", 2018), "not_comparable_reason_en"]
    assert "8 chỉ số nội dung" in changed.loc[("TOTAL", 2018), "not_comparable_reason"]
    assert bool(changed.loc[("D1", 2018), "comparable"])


def test_sipas_2021_to_2022_is_not_comparable_for_every_indicator():
    rows = [("SIPAS", y, code, "legacy", "01", v) for y, v in [(2021, 87.0), (2022, 80.0), (2023, 81.0)]
            for code in ["TOTAL"]]
    changed = changes_for(rows).set_index("year")
    assert not bool(changed.loc[2022, "comparable"])
    assert bool(changed.loc[2023, "comparable"])


def test_rescaled_or_absent_sub_indicator_is_not_comparable():
    rows = [("PAPI", 2015, "D3_INVESTMENT_BOARDS", "legacy", "01", 1.9),
            ("PAPI", 2016, "D3_INVESTMENT_BOARDS", "legacy", "01", 1.8),  # dropped in 2016
            ("PAR_INDEX", 2023, "F3", "legacy", "01", 13.0),
            ("PAR_INDEX", 2024, "F3", "legacy", "01", 12.0)]  # maximum 14.5 → 13
    changed = changes_for(rows).set_index(["indicator_code", "year"])
    assert "không có" in changed.loc[("D3_INVESTMENT_BOARDS", 2016), "not_comparable_reason"]
    assert "thang điểm" in changed.loc[("F3", 2024), "not_comparable_reason"]
    assert changed.loc[("D3_INVESTMENT_BOARDS", 2016), "comparability"] == "ABSENT"
    assert changed.loc[("F3", 2024), "comparability"] == "RESCALED"


def test_score_table_adds_catalog_facts():
    rows = frame([("PAPI", 2016, "D1", "legacy", "01", 5.3), ("PAPI", 2016, "D1", "legacy", "02", 5.1)])
    table = build_score_table(rows, load_catalog(), load_breaks(), load_provinces(), load_indices())
    assert list(table.columns) == list(COLUMNS)
    assert set(table["name_vi"]) == {"Tham gia của người dân ở cấp cơ sở"}
    assert set(table["scale_max"]) == {10.0}
    assert table.set_index("province_code")["rank"].to_dict() == {"01": 1, "02": 2}
