"""The per-year coverage read from the score table (methodology page, profile captions)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.coverage import coverage_by_year, year_span, years_at_depth


@pytest.fixture(scope="module")
def table(built_db):
    from analytics import reports
    from analytics.store import Store
    with Store.open(built_db, read_only=True) as store:
        return reports.build_score_table(store.snapshot())


def test_papi_years_have_the_depth_of_their_sources(table):
    papi = coverage_by_year(table, "PAPI").set_index("year")
    assert papi.loc[2016, "level"] == "sub-dimensions" and papi.loc[2017, "level"] == "sub-dimensions"
    assert papi.loc[2018, "level"] == "indicators" and papi.loc[2019, "indicators"] > 100
    assert papi.loc[2020, "level"] == "dimensions" and papi.loc[2024, "provinces"] == 61
    assert papi.loc[2014, "provinces"] == 61  # no 2014 data for Bắc Giang and Đồng Tháp


def test_pci_and_demo_indices_are_described_from_their_rows(table):
    pci = coverage_by_year(table, "PCI").set_index("year")
    assert list(pci.index) == list(range(2005, 2020)) and pci.loc[2005, "provinces"] == 41
    par = coverage_by_year(table, "PAR_INDEX")
    assert par["demo"].all() and set(par["level"]) == {"dimensions"}


def test_notes_join_where_the_catalog_has_them(table):
    from analytics.registry import load_coverage
    papi = coverage_by_year(table, "PAPI", load_coverage()).set_index("year")
    assert papi.loc[2011, "note_en"].startswith("Dimensions and sub-dimensions")


def test_spans_and_depths():
    coverage = pd.DataFrame({"year": [2011, 2012, 2013, 2016, 2018], "depth": [2, 2, 2, 1, 3]})
    assert years_at_depth(coverage, 2) == [2011, 2012, 2013, 2018]
    assert year_span([2011, 2012, 2013, 2016, 2018, 2019]) == "2011–2013, 2016, 2018–2019"
    assert year_span([]) == ""
