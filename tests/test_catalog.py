"""The index catalog is consistent, and every stored score is described by it."""

from __future__ import annotations

import pytest

from analytics.registry import indicators_in_year, load_catalog, load_indices, match_indicator


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_periods_of_one_indicator_do_not_overlap(catalog):
    for (index, code), rows in catalog.groupby(["index_code", "indicator_code"]):
        rows = rows.sort_values("valid_from")
        assert (rows["valid_from"] <= rows["valid_to"]).all(), (index, code)
        assert (rows["valid_from"].iloc[1:].to_numpy() > rows["valid_to"].iloc[:-1].to_numpy()).all(), (index, code)


def test_every_parent_exists_in_every_year_of_its_child(catalog):
    for row in catalog[catalog["parent_code"] != ""].itertuples():
        for year in range(row.valid_from, min(row.valid_to, 2026) + 1):
            parents = indicators_in_year(catalog, row.index_code, year)
            parent = parents[parents["indicator_code"] == row.parent_code]
            assert len(parent) == 1, (row.index_code, row.indicator_code, year)
            assert parent["level"].item() == row.level - 1


def test_papi_has_six_dimensions_until_2017_and_eight_from_2018(catalog):
    for year, count in [(2011, 6), (2017, 6), (2018, 8), (2024, 8)]:
        rows = indicators_in_year(catalog, "PAPI", year)
        assert (rows["level"] == 1).sum() == count, year
    assert indicators_in_year(catalog, "PAPI", 2017).query("indicator_code == 'TOTAL'")["scale_max"].item() == 60
    assert indicators_in_year(catalog, "PAPI", 2018).query("indicator_code == 'TOTAL'")["scale_max"].item() == 80


def test_papi_sub_dimension_scales_follow_their_count(catalog):
    """A dimension with k sub-dimensions has each on a 1/k..10/k scale."""
    for year in range(2011, 2025):
        rows = indicators_in_year(catalog, "PAPI", year)
        for parent, children in rows[rows["level"] == 2].groupby("parent_code"):
            k = len(children)
            assert children["scale_min"].round(4).eq(round(1 / k, 4)).all(), (year, parent)
            assert children["scale_max"].round(4).eq(round(10 / k, 4)).all(), (year, parent)


def test_papi_sub_dimension_changes_over_time(catalog):
    names = lambda year: set(indicators_in_year(catalog, "PAPI", year)["indicator_code"])
    assert "D3_INVESTMENT_BOARDS" in names(2015) and "D3_INVESTMENT_BOARDS" not in names(2016)
    assert "D3_RESPONSIVENESS" in names(2016) and "D3_RESPONSIVENESS" not in names(2015)
    assert "D2_ACCESS_INFO" in names(2018) and "D2_ACCESS_INFO" not in names(2017)
    assert "D5_CONSTRUCTION" in names(2020) and "D5_CONSTRUCTION" not in names(2021)


def test_par_index_field_maxima_add_up_to_100_every_year(catalog):
    for year in range(2017, 2026):
        fields = indicators_in_year(catalog, "PAR_INDEX", year).query("level == 1")
        assert len(fields) == 8, year
        assert fields["scale_max"].sum() == pytest.approx(100), year


def test_names_of_earlier_methodologies_match_the_same_code(catalog):
    assert match_indicator(catalog, "PAR_INDEX", 2024, "Hiện đại hóa hành chính") == "F7"
    assert match_indicator(catalog, "PAR_INDEX", 2018, "Cải cách chế độ công vụ") == "F5"
    assert match_indicator(catalog, "PAPI", 2016, "Un-weighted2015PAPI") == "TOTAL"
    assert match_indicator(catalog, "PAPI", 2016, "CONG KHAI, MINH BACH") == "D2"
    assert match_indicator(catalog, "PAPI", 2016, "Điểm cao nhất") is None


def test_every_stored_score_is_in_the_catalog_for_its_year(store, catalog):
    scores = store.scores()
    keys = scores[["index_code", "indicator_code", "year"]].drop_duplicates()
    merged = keys.merge(catalog, on=["index_code", "indicator_code"])
    in_force = merged[(merged["valid_from"] <= merged["year"]) & (merged["valid_to"] >= merged["year"])]
    described = in_force[["index_code", "indicator_code", "year"]].drop_duplicates()
    assert len(described) == len(keys)


def test_stored_values_lie_within_their_scale(store, catalog):
    scores = store.scores()
    keys = scores.merge(catalog, on=["index_code", "indicator_code"])
    keys = keys[(keys["valid_from"] <= keys["year"]) & (keys["valid_to"] >= keys["year"])]
    outside = keys[(keys["value"] < keys["scale_min"] - 1e-9) | (keys["value"] > keys["scale_max"] + 1e-9)]
    assert outside.empty, outside.head()


def test_indices_list_the_four_indices():
    assert load_indices()["index_code"].tolist() == ["PAPI", "PAR_INDEX", "SIPAS", "PCI"]
