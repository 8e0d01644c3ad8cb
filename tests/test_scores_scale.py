"""The sorted path (scores.fast) against the group-by reference, on the real store and on
generated frames; the vectorised flags against the per-province worklist."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import weak
from analytics.scores import COLUMNS, build, fast, scale
from analytics.store import Store


def reference_table(store) -> pd.DataFrame:
    """The score table by the plain group-by path (`build.rank_provinces`, `assign_groups`, `add_changes`)."""
    scores, catalog, breaks = store.scores(), store.catalog(), store.breaks()
    keys = scores[["index_code", "indicator_code", "year"]].drop_duplicates()
    facts = build.catalog_for_years(catalog, keys)[["index_code", "indicator_code", "year", *build.CATALOG_FACTS]]
    table = scores.merge(facts, on=["index_code", "indicator_code", "year"], how="left")
    table["higher_is_better"] = table["higher_is_better"].fillna(True).astype(bool)
    table["derived"] = table.get("derived", False)
    table = build.add_provinces(table, store.provinces())
    table = build.add_changes(build.assign_groups(build.rank_provinces(table)), catalog, breaks)
    return build.add_noise(table, store.indices())[list(COLUMNS)]


def test_sorted_path_equals_the_reference_on_the_real_store(built_db):
    with Store.open(built_db, read_only=True) as store:
        reference = reference_table(store)
        table = build.build_score_table(store.scores(), store.catalog(), store.breaks(), store.provinces(),
                                        store.indices())
    key = ["index_code", "year", "province_id", "indicator_code"]
    a = table.sort_values(key).reset_index(drop=True)
    b = reference.sort_values(key).reset_index(drop=True)
    for column in COLUMNS:
        left, right = a[column], b[column]
        if column == "group":
            left, right = left.astype(object), right.astype(object)
        pd.testing.assert_series_equal(left, right, check_dtype=False, check_exact=False, rtol=1e-12,
                                       obj=column)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(2018, 2022), st.sampled_from(["A", "B"]),
                          st.one_of(st.none(), st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 1)))),
                min_size=1, max_size=60), st.booleans())
def test_sorted_path_equals_the_reference_on_generated_frames(cells, higher):
    rows = pd.DataFrame(cells, columns=["unit", "year", "indicator_code", "value"]).drop_duplicates(
        ["unit", "year", "indicator_code"])
    rows = rows.assign(index_code="X", era="2025", lineage_id=rows["unit"].astype(str),
                       province_code=rows["unit"].astype(str), higher_is_better=higher,
                       value=rows["value"].astype(float))
    got = fast.rank_group_change(rows)
    expected = scale._reference(rows)
    for column in ("rank", "n_ranked", "group_no", "previous_rank", "score_change", "q25", "median", "best_value"):
        left = got[column].to_numpy(dtype=float, na_value=np.nan)
        right = expected.loc[got.index, column].to_numpy(dtype=float, na_value=np.nan)
        assert np.allclose(left, right, equal_nan=True), column


def test_vectorised_flags_match_the_worklist(real):
    table, indices, _ = real
    survey = dict(zip(indices["index_code"], indices["survey_based"]))
    flags = scale.flag_rows(table.assign(survey_based=table["index_code"].map(survey).astype(bool)),
                            decline_rank_places=5, points_lost_share=0.5)
    departments = weak.load_default_departments()
    for pid, index_code, year, share in [("legacy:01", "PAPI", 2016, 0.5), ("legacy:79", "PAPI", 2020, 0.5),
                                         ("legacy:46", "PAR_INDEX", 2023, 0.2), ("legacy:24", "SIPAS", 2022, 0.3)]:
        thresholds = weak.Thresholds.for_index(indices, index_code).with_changes(points_lost_share=share)
        if share != 0.5:
            flags = scale.flag_rows(table.assign(survey_based=table["index_code"].map(survey).astype(bool)),
                                    points_lost_share=share)
        expected = weak.flag_weak(table, indices, pid, index_code, year, thresholds, departments=departments,
                                  all_indicators=True)
        mine = table[(table["province_id"] == pid) & (table["index_code"] == index_code) & (table["year"] == year)]
        by_code = flags.loc[mine.index].set_index(mine["indicator_code"])
        for row in expected.itertuples():
            wanted = set(row.reasons.split(";")) - {"", "TREND"}
            got = {code for code in scale.FLAG_CODES if by_code.loc[row.indicator_code, code]}
            assert got == wanted, (pid, index_code, year, row.indicator_code)


def test_bench_scale_reports_figures_on_a_small_frame():
    figures = scale.bench_scale(units=50, indicators=4, years=3)
    assert figures["rows"] == 600 and figures["same_ranks_and_groups"] == 1.0
    assert figures["sorted_total_s"] > 0 and figures["reference_rank_group_change_s"] > 0


def test_two_rows_of_one_series_in_one_year_both_follow_the_latest_earlier_year():
    """The contract keeps one row per series and year; should an import ever break that, both rows
    of the year compare with the earlier year, never with each other (and not by the order of rows)."""
    series = np.array([0, 0, 0, 1, 0])
    years = np.array([2020, 2021, 2021, 2021, 2023])
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    year, value = fast.previous_in_series(series, years, values)
    assert np.array_equal(year, [np.nan, 2020, 2020, np.nan, 2021], equal_nan=True)
    assert np.array_equal(value, [np.nan, 1.0, 1.0, np.nan, 3.0], equal_nan=True)  # the year's last row, by a stable sort


def test_a_row_without_a_lineage_compares_with_nothing():
    """A missing series key is no series: its rows get no previous year and are no other's."""
    rows = pd.DataFrame({"index_code": "X", "era": "2025", "indicator_code": "A", "higher_is_better": True,
                         "lineage_id": [None, None, "b", "b"], "province_code": ["x", "x", "b", "b"],
                         "year": [2020, 2021, 2020, 2021], "value": [1.0, 2.0, 3.0, 4.0]})
    got = fast.rank_group_change(rows)
    assert np.array_equal(got["previous_value"].to_numpy(dtype=float), [np.nan, np.nan, np.nan, 3.0], equal_nan=True)
    expected = scale._reference(rows)
    assert np.array_equal(expected["previous_value"].to_numpy(dtype=float), [np.nan, np.nan, np.nan, 3.0],
                          equal_nan=True)
