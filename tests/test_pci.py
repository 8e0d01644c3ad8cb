"""PCI (VCCI) as a fourth index: catalog, embedded figures read by the importer, official ranks."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from analytics import registry
from analytics.paths import DATA_DIR, REPO_ROOT
from analytics.store import Store

SHARED = REPO_ROOT.parent / "shared" / "data" / "pci"
EMBEDDED = DATA_DIR / "scores" / "pci_2005_2019.csv"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/pci is not here")
sys.path.insert(0, str(REPO_ROOT / "scripts"))

# Official rank ≠ rank computed from the stored totals. 2007: VCCI ranked 64 provinces, Hà Tây
# (41st, merged into Hà Nội in 2008) is not stored, so every province below it moves up one.
# 2011: Hà Giang 57.62 is published 41st although 57.62 is the 40th best total.
RANK_DIFFERENCES = [(2007, code, official, official - 1) for code, official in [
    ("04", 62), ("06", 56), ("08", 42), ("11", 61), ("12", 63), ("14", 50), ("17", 51), ("19", 43), ("20", 59),
    ("35", 46), ("36", 44), ("40", 53), ("42", 57), ("44", 54), ("45", 47), ("51", 45), ("58", 55), ("62", 58),
    ("66", 48), ("67", 64), ("68", 52), ("70", 49), ("95", 60)]] + [(2011, "02", 41, 40)]


def test_catalog_sub_indices_per_period():
    pci = registry.load_catalog()
    pci = pci[pci["index_code"] == "PCI"]
    assert not pci["sums_to_parent"].any()
    total = pci[pci["indicator_code"] == "TOTAL"].iloc[0]
    assert (total["scale_min"], total["scale_max"], total["level"]) == (0, 100, 0)
    subs = pci[pci["level"] == 1]
    assert set(subs["scale_max"]) == {10} and subs["higher_is_better"].all()
    counts = {y: len(registry.indicators_in_year(pci, "PCI", y)) - 1 for y in (2005, 2006, 2008, 2009, 2012, 2013, 2019)}
    assert counts == {2005: 9, 2006: 10, 2008: 10, 2009: 9, 2012: 9, 2013: 10, 2019: 10}
    index = registry.load_indices().set_index("index_code").loc["PCI"]
    assert index["official_rank"] and index["weighted_total"] and index["first_year"] == 2005
    assert set(registry.load_breaks().query("index_code == 'PCI'")["year"]) >= {2006, 2009, 2013}


def test_embedded_coverage():
    scores = registry.load_source_scores("pci_2005_2019")
    by_year = scores.groupby("year").agg(provinces=("province_code", "nunique"), codes=("indicator_code", "nunique"))
    assert by_year.loc[2005].tolist() == [41, 10]  # 42 surveyed, Hà Tây skipped
    assert (by_year.loc[2006:, "provinces"] == 63).all()
    ranked = scores.dropna(subset=["official_rank"]).groupby("year").size()
    assert set(ranked.index) == set(range(2005, 2020)) - {2006, 2008}  # those files publish no rank column
    assert (scores.dropna(subset=["official_rank"])["indicator_code"] == "TOTAL").all()


@needs_shared
def test_embedded_equals_a_fresh_extraction(tmp_path):
    import extract_pci
    out = tmp_path / "pci.csv"
    extract_pci.write(extract_pci.extract(SHARED), out)
    assert out.read_bytes() == EMBEDDED.read_bytes()


@pytest.fixture(scope="module")
def default_store(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("pci") / "default.duckdb")
    store.initialise()
    return store


def test_rank_differences_are_named(default_store):
    totals = default_store.scores("PCI")
    totals = totals[totals["indicator_code"] == "TOTAL"].copy()
    totals["computed"] = totals.groupby("year")["value"].rank(ascending=False, method="min").astype(int)
    differ = totals[totals["official_rank"].notna() & (totals["official_rank"] != totals["computed"])]
    found = sorted((int(r.year), r.province_code, int(r.official_rank), int(r.computed))
                   for r in differ.itertuples(index=False))
    assert found == sorted(RANK_DIFFERENCES)


@needs_shared
def test_importing_the_files_gives_the_embedded_figures(tmp_path, default_store):
    import extract_pci

    from analytics.ingest import Reference, plan_import, preview
    from analytics.workbook import read_workbook

    fresh = Store.open(tmp_path / "fresh.duckdb")
    fresh.initialise(sources=())
    for path in extract_pci.workbooks(SHARED):
        fresh.apply_import(extract_pci.extract_file(path), file_name=path.name, sha256="", imported_by="test")
    keys = ["year", "province_code", "indicator_code"]
    stored = fresh.scores("PCI").sort_values(keys, ignore_index=True)
    embedded = registry.load_source_scores("pci_2005_2019").sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(stored[keys + ["value"]], embedded[keys + ["value"]], check_dtype=False)
    pd.testing.assert_series_equal(stored["official_rank"].astype("Int64"), embedded["official_rank"].astype("Int64"))
    path = SHARED / "PCI 2019.xlsx"
    plan = plan_import(read_workbook(path), Reference.from_data(), file_name=path.name, sha256="",
                       sheet_name="Summary")
    diff = preview(plan, default_store.scores_for([("PCI", 2019)]), default_store.scores_for([("PCI", 2018)]))
    assert diff.nothing_to_do


def test_cli_scores_lists_official_ranks(default_store):
    result = subprocess.run([sys.executable, "-m", "analytics", "scores", "--db", str(default_store.path), "--index",
                             "PCI", "--year", "2019", "--indicator", "TOTAL"], cwd=REPO_ROOT, capture_output=True,
                            text=True, encoding="utf-8", check=True)
    scores = pd.read_csv(io.StringIO(result.stdout), dtype={"province_code": str})
    assert len(scores) == 63 and scores["official_rank"].notna().all()
    assert (scores["official_rank"] == scores["rank"]).all()
    assert scores.iloc[0]["province"] == "Quảng Ninh" and scores.iloc[0]["official_rank"] == 1


WORKBOOKS = sorted(SHARED.iterdir()) if SHARED.is_dir() else []


@needs_shared
@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_a_whole_workbook_imports_cleanly_and_changes_nothing(path, tmp_path, default_store):
    """Every sheet of VCCI's workbook, no hints: the per-sub-index detail sheets supply only their
    sub-index (the same figure as the summary, read once) and their component indicators are set
    aside with an info message; the figures are the embedded ones, and the default store (built
    from them) would not change."""
    from analytics.imports import changes_table, prepare_import
    from analytics.preview import preview

    fresh = Store.open(tmp_path / "fresh.duckdb")
    fresh.initialise(sources=())
    prepared = prepare_import(fresh, path)
    plan = prepared.plan
    assert not plan.errors, [p.describe() for p in plan.errors[:5]]
    assert set(plan.scores["index_code"]) == {"PCI"}
    keys = ["year", "province_code", "indicator_code"]
    years = {y for _, y in plan.index_years()}
    embedded = registry.load_source_scores("pci_2005_2019")
    embedded = embedded[embedded["year"].isin(years)].sort_values(keys, ignore_index=True)
    scores = plan.scores.sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(scores[keys + ["value"]], embedded[keys + ["value"]], check_dtype=False)
    pd.testing.assert_series_equal(scores["official_rank"].astype("Int64"), embedded["official_rank"].astype("Int64"),
                                   check_names=False)
    components = [p for p in plan.problems if "chỉ tiêu thành phần" in p.message]
    assert components and all(p.severity == "info" and p.sheet and p.row for p in components)

    pairs = plan.index_years()
    diff = preview(plan, default_store.scores_for(pairs), default_store.scores_for([(i, y - 1) for i, y in pairs]))
    assert diff.nothing_to_do and changes_table(diff).empty and diff.unchanged == len(plan.scores)


def test_a_detail_sheet_supplies_only_its_sub_index(tmp_path):
    """A sheet named after one sub-index: its own column is read; a component column whose words
    resemble another sub-index or the total is not; a figure that differs from the summary's is an
    error naming sheet, row and column."""
    from openpyxl import Workbook

    from analytics.ingest import Reference, plan_import
    from analytics.workbook import read_workbook

    provinces = ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "An Giang", "Bắc Ninh"]
    book = Workbook()
    summary = book.active
    summary.title = "Summary 2019"
    summary.append(["Province", "Rank", "The Weighted PCI Score", "Sub-Index 5: Informal Charges",
                    "Sub-Index 4: Time Costs"])
    for n, name in enumerate(provinces):
        summary.append([name, n + 1, 70 - n, 6 + n / 10, 5 + n / 10])
    detail = book.create_sheet("Informal Charges")
    detail.append(["Province", "Sub-Index 5: Informal Charges", "Time costs of informal payments (%)",
                   "Weighted PCI score of firms paying (%)", "Firms paying informal charges (%)"])
    for n, name in enumerate(provinces):
        detail.append([name, 6 + n / 10 + (0.5 if n == 2 else 0), 0.3, 0.4, 0.5])
    path = tmp_path / "PCI 2019.xlsx"
    book.save(path)
    plan = plan_import(read_workbook(path), Reference.from_data(), file_name=path.name, sha256="")
    columns = {c.column: c for s in plan.sheets if s.sheet == "Informal Charges" for c in s.columns}
    assert columns["B"].indicator_code == "INFORMAL"
    assert all(columns[k].indicator_code is None and columns[k].how == "component" for k in "CDE")
    info = [p for p in plan.problems if p.sheet == "Informal Charges" and p.severity == "info"]
    assert any("3 cột chỉ tiêu thành phần" in p.message and "C, D, E" in p.message for p in info)
    [error] = plan.errors
    assert (error.sheet, error.row, error.column) == ("Informal Charges", 4, "B")
    assert "Summary 2019" in error.message and "6.7" in error.message and "6.2" in error.message
    assert set(plan.scores["sheet"]) == {"Summary 2019"}
