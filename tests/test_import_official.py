"""Every official PAPI workbook imports into a fresh store without hints (the single-year
downloads with `year` alone, as `--year`), and every figure stored equals the official one.

Reference figures: 2017-2019 dimensions and totals `papi_2017_2024_dimensions.csv` (4 decimals,
the published precision, read without the importer); everything else the embedded PAPI figures
(`data/scores/papi_*.csv`, checked against the workbooks by tests/test_embedded_data.py).
Importing any of them into the embedded store changes no stored figure.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from analytics.imports import commit_import, prepare_import
from analytics.names import ProvinceFinder
from analytics.registry import load_provinces, load_source_scores
from analytics.store import EMBEDDED_SOURCES, Store
from tests.conftest import SHARED_DATA

OFFICIAL = SHARED_DATA / "papi" / "official"
FILES = sorted(p.name for p in OFFICIAL.glob("*.xlsx")) if OFFICIAL.exists() else []
KEYS = ["year", "province_code", "indicator_code"]
TOLERANCE = 1e-4  # one unit of the published 4th decimal (files give float32; derived totals sum 6-8 of them)


@lru_cache(maxsize=1)
def reference() -> pd.Series:
    finder = ProvinceFinder(load_provinces(), "legacy")
    published = pd.read_csv(SHARED_DATA / "papi" / "papi_2017_2024_dimensions.csv")
    published = published[published["year"] <= 2019].assign(
        province_code=lambda f: f["province"].map(lambda n: finder.find(n).code), indicator_code=lambda f: f["code"])
    embedded = [load_source_scores(s) for s in EMBEDDED_SOURCES if s.startswith("papi_")]
    # The published 4-decimal figures first: the embedded full-precision ones must agree with them.
    frames = [published[KEYS + ["value"]]] + [e[KEYS + ["value"]] for e in embedded]
    return pd.concat(frames, ignore_index=True).drop_duplicates(KEYS).set_index(KEYS)["value"]


def single_year(name: str) -> int | None:
    found = re.fullmatch(r"PAPI (20\d\d) (eng|vie)\.xlsx", name)
    return int(found.group(1)) if found else None


def import_fresh(tmp_path: Path, path: Path, year: int | None):
    db = tmp_path / "fresh.duckdb"
    with Store.open(db) as store:
        store.initialise(sources=())
        prepared = prepare_import(store, path, year=year)
        assert prepared.plan.errors == [], [p.describe() for p in prepared.plan.errors[:5]]
        assert commit_import(store, prepared, imported_by="test") is not None
        return prepared, store.scores("PAPI")


@pytest.mark.skipif(not FILES, reason="../shared/data/papi/official is absent")
@pytest.mark.parametrize("name", FILES + ["../PAPI_2011-2016.xlsx"])
def test_official_file_imports_without_hints_and_every_figure_is_official(tmp_path, name):
    path = (OFFICIAL / name).resolve()
    prepared, stored = import_fresh(tmp_path, path, single_year(path.name))
    got = stored.set_index(KEYS)["value"]
    want = reference()
    common = got.index.intersection(want.index)
    assert len(common) >= 0.95 * len(got), f"{len(got) - len(common)} stored figures have no reference"
    gaps = (got[common] - want[common]).abs()
    assert gaps.max() <= TOLERANCE, gaps.sort_values().tail(5)
    # Nothing filed under an indicator that does not exist that year, nor a weighted total as TOTAL.
    assert set(stored["indicator_code"]) <= set(want.index.get_level_values("indicator_code"))


def test_single_year_file_reusing_2018_labels_is_filed_by_number_with_a_warning(tmp_path):
    path = OFFICIAL / "PAPI 2016 vie.xlsx"
    if not path.exists():
        pytest.skip("official files absent")
    prepared, stored = import_fresh(tmp_path, path, 2016)
    warnings = [p.message for p in prepared.plan.problems if p.severity == "warning"]
    assert any("2.1" in w and "D2_POVERTY_LISTS" in w for w in warnings), warnings
    assert "D2_ACCESS_INFO" not in set(stored["indicator_code"])
    derived = prepared.plan.scores.query("derived")
    assert set(derived["indicator_code"]) == {"TOTAL"} and len(derived) == 63


def test_indicator_table_reads_provinces_in_columns_and_keeps_weighted_totals_apart(tmp_path):
    path = OFFICIAL / "2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx"
    if not path.exists():
        pytest.skip("official files absent")
    prepared, stored = import_fresh(tmp_path, path, None)
    plan = prepared.plan
    assert plan.sheets[0].transposed and plan.sheets[0].scales["TOTAL"] == "10-80 điểm"
    kinds = {c.how for s in plan.sheets for c in s.columns}
    assert {"kept_apart", "indicator"} <= kinds
    info = " ".join(p.message for p in plan.problems if p.severity == "info")
    assert "có trọng số" in info and "chỉ tiêu" in info and "lặp lại" in info
    total = stored.query("indicator_code == 'TOTAL' and province_code == '01'")["value"].iloc[0]
    assert total == pytest.approx(41.53302001953125)  # the unweighted total, not the weighted 43.52


@pytest.mark.skipif(not FILES, reason="../shared/data/papi/official is absent")
@pytest.mark.parametrize("name", FILES + ["../PAPI_2011-2016.xlsx"])
def test_official_file_changes_nothing_in_the_embedded_store(built_db, name):
    """The embedded figures ARE the official ones: an import of any official file into the store
    `init` builds would change no stored value (beyond float32 noise) and add nothing."""
    path = (OFFICIAL / name).resolve()
    with Store.open(built_db, read_only=True) as store:
        prepared = prepare_import(store, path, year=single_year(path.name))
    assert prepared.plan.errors == [], [p.describe() for p in prepared.plan.errors[:5]]
    diff = prepared.preview
    assert diff.changed.empty, diff.changed.head()
    assert diff.added.query("not derived").empty, diff.added.head()
    assert diff.to_write is None or diff.to_write.query("not derived").empty, diff.to_write.head()
