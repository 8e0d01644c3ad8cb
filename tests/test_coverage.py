"""data/catalog/coverage.csv: one row per index-year with data, naming its source and its most
detailed level, and agreeing with the embedded figures."""

from __future__ import annotations

import pandas as pd

from analytics import registry
from analytics.store import EMBEDDED_SOURCES

LEVEL_OF = {1: "dimensions", 2: "sub-dimensions", 3: "indicators"}


def test_coverage_loads_and_matches_the_embedded_data():
    coverage = registry.load_coverage()
    assert list(coverage.columns) == ["index_code", "year", "source_id", "level", "note_vi", "note_en"]
    assert set(coverage["source_id"]) <= set(EMBEDDED_SOURCES)
    assert (coverage["note_vi"] != "").all() and (coverage["note_en"] != "").all()
    scores = pd.concat([registry.load_source_scores(s) for s in EMBEDDED_SOURCES], ignore_index=True)
    levels = registry.load_catalog().drop_duplicates(["index_code", "indicator_code"])
    scores = scores.merge(levels[["index_code", "indicator_code", "level"]], on=["index_code", "indicator_code"])
    deepest = scores.groupby(["index_code", "year"])["level"].max().map(LEVEL_OF)
    assert coverage.set_index(["index_code", "year"])["level"].to_dict() == deepest.to_dict()
    papi = coverage[coverage["index_code"] == "PAPI"].set_index("year")["level"]
    assert papi[2017] == "sub-dimensions" and papi[2018] == papi[2019] == "indicators" and papi[2024] == "dimensions"
