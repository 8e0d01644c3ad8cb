"""Demo data: deterministic, plausible, labelled."""

import pandas as pd

from analytics.demo import generate_demo
from analytics.paths import DATA_DIR
from analytics.registry import load_catalog, load_provinces


def test_committed_demo_file_is_what_the_generator_produces():
    regenerated = generate_demo(load_provinces(), load_catalog()).round(2)
    committed = pd.read_csv(DATA_DIR / "scores" / "demo.csv", dtype={"province_code": str})
    pd.testing.assert_frame_equal(regenerated.reset_index(drop=True), committed, check_dtype=False)


def test_demo_covers_63_provinces_2019_2024_for_par_index_and_sipas():
    demo = pd.read_csv(DATA_DIR / "scores" / "demo.csv", dtype={"province_code": str})
    totals = demo[demo["indicator_code"] == "TOTAL"]
    counts = totals.groupby(["index_code", "year"])["province_code"].nunique()
    assert set(counts.index.get_level_values(0)) == {"PAR_INDEX", "SIPAS"}
    assert sorted(set(counts.index.get_level_values(1))) == list(range(2019, 2025))
    assert set(counts) == {63}


def test_par_index_total_is_the_sum_of_its_fields():
    demo = pd.read_csv(DATA_DIR / "scores" / "demo.csv", dtype={"province_code": str})
    par = demo[demo["index_code"] == "PAR_INDEX"]
    fields = par[par["indicator_code"] != "TOTAL"].groupby(["year", "province_code"])["value"].sum()
    total = par[par["indicator_code"] == "TOTAL"].set_index(["year", "province_code"])["value"]
    assert (fields - total).abs().max() < 0.02
    assert total.between(60, 100).all()


def test_demo_rows_are_flagged_demo_in_the_store(store):
    scores = store.scores()
    assert scores.loc[scores["index_code"].isin(["PAR_INDEX", "SIPAS"]), "is_demo"].all()
    assert not scores.loc[scores["index_code"] == "PAPI", "is_demo"].any()
