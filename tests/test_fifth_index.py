"""A made-up fifth index, added to a temporary catalog as data only (an `indices.csv` row, its own
indicator file, a score file and a source row), is seen on every page and by the command line:
nothing in the code lists the indices."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analytics.store import EMBEDDED_SOURCES, Store
from tests.conftest import REPO, app_runner, card_titles, page_texts

CODE, SHORT = "XGI", "XGI"
NAME_VI, NAME_EN = "Chỉ số thử nghiệm xanh", "Experimental green index"
COMPONENTS = [("C1", "Năng lượng sạch", "Clean energy"), ("C2", "Xử lý chất thải", "Waste treatment")]
YEARS = (2022, 2023, 2024)


def _append(path, row: dict) -> None:
    """One row added to a catalog CSV whatever its columns (unknown ones left empty)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, pd.DataFrame([{c: row.get(c, "") for c in frame.columns}])], ignore_index=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def add_fifth_index(data) -> None:
    indices = pd.read_csv(data / "catalog" / "indices.csv", dtype=str, keep_default_na=False)
    _append(data / "catalog" / "indices.csv", {
        "index_code": CODE, "name_vi": NAME_VI, "name_en": NAME_EN, "short_name": SHORT, "unit": "điểm",
        "publisher": "Thử nghiệm", "survey_based": "false", "official_rank": "false", "first_year": str(YEARS[0]),
        "new_provinces_from": "2025", "small_score_change": "0", "small_rank_change": "0",
        "points_lost_share": "0.3", "sort_order": str(len(indices) + 1),
        "description_vi": "Chỉ số thử nghiệm của bài kiểm thử.", "description_en": "A test's index.",
        "aliases": "xgi", "decimals": "2"})
    rows = [{"index_code": CODE, "indicator_code": "TOTAL", "parent_code": "", "level": "0",
             "valid_from": str(YEARS[0]), "name_vi": NAME_VI, "name_en": NAME_EN, "scale_min": "0",
             "scale_max": "20", "unit": "điểm", "higher_is_better": "true", "sums_to_parent": "false",
             "sort_order": "0"}]
    rows += [{"index_code": CODE, "indicator_code": code, "parent_code": "TOTAL", "level": "1",
              "valid_from": str(YEARS[0]), "name_vi": vi, "name_en": en, "scale_min": "0", "scale_max": "10",
              "unit": "điểm", "higher_is_better": "true", "sums_to_parent": "true", "sort_order": str(10 * (i + 1))}
             for i, (code, vi, en) in enumerate(COMPONENTS)]
    header = pd.read_csv(data / "catalog" / "papi.csv", nrows=0).columns
    pd.DataFrame([{c: r.get(c, "") for c in header} for r in rows]).to_csv(
        data / "catalog" / f"{CODE.lower()}.csv", index=False, lineterminator="\n")
    legacy = pd.read_csv(data / "provinces" / "legacy.csv", dtype=str)["code"]
    rng = np.random.default_rng(5)
    scores = []
    for year in YEARS:
        for code in legacy:
            parts = np.round(rng.uniform(2, 9.5, len(COMPONENTS)), 2)
            scores += [(CODE, year, code, c, v) for (c, _, _), v in zip(COMPONENTS, parts)]
            scores.append((CODE, year, code, "TOTAL", round(float(parts.sum()), 2)))
    pd.DataFrame(scores, columns=["index_code", "year", "province_code", "indicator_code", "value"]).to_csv(
        data / "scores" / "xgi_test.csv", index=False, lineterminator="\n")
    _append(data / "scores" / "sources.csv", {"source_id": "xgi_test", "name_vi": "Số liệu thử nghiệm XGI",
                                               "name_en": "XGI test figures", "publisher": "Thử nghiệm",
                                               "origin": "tests/test_fifth_index.py"})
    with open(data / "departments.csv", "a", encoding="utf-8") as out:
        out.write(f"{CODE},C1,Sở Công Thương,\n{CODE},C2,Sở Nông nghiệp và Môi trường,\n")


@pytest.fixture(scope="module")
def fifth_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("fifth")
    data = root / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("*.duckdb*"))
    add_fifth_index(data)
    db = root / "fifth.duckdb"
    with Store.open(db) as store:
        store.initialise(data_dir=data, sources=(*EMBEDDED_SOURCES, "xgi_test"))
    return db


@pytest.fixture
def app(fifth_db, monkeypatch):
    return app_runner(fifth_db, monkeypatch)


def test_overview_has_a_card_for_the_fifth_index(app):
    at = app(province="01")
    assert SHORT in card_titles(at)


@pytest.mark.parametrize("page", ["ho_so", "xep_hang", "ban_do", "so_sanh", "chi_so_yeu"])
def test_every_page_shows_the_fifth_index_from_its_link(app, page):
    at = app(page, province="01", index=CODE, year="2024")
    index_boxes = [box for box in at.selectbox if CODE in [str(o) for o in box.options]]
    assert index_boxes, f"{page} does not offer {CODE}"
    assert index_boxes[0].value == CODE
    assert SHORT in page_texts(at) or NAME_VI in page_texts(at)


def test_targets_page_offers_the_fifth_index(app):
    at = app("muc_tieu", province="01")
    assert any(CODE in [str(o) for o in box.options] for box in at.selectbox)


def test_methodology_page_describes_the_fifth_index(app):
    at = app("phuong_phap")
    assert any(NAME_VI in e.label for e in at.expander), [e.label for e in at.expander]
    assert "Số liệu thử nghiệm XGI" in page_texts(at)  # its source


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_command_line_knows_the_fifth_index_from_the_store(fifth_db, tmp_path):
    scores = run_cli("scores", "--db", str(fifth_db), "--index", CODE, "--year", "2024", "--indicator", "TOTAL",
                     "--format", "csv")
    assert scores.returncode == 0, scores.stderr
    table = pd.read_csv(pd.io.common.StringIO(scores.stdout))
    assert len(table) == 63 and sorted(table["rank"])[0] == 1
    listed = run_cli("indicators", "--db", str(fifth_db), "--index", CODE)
    assert listed.returncode == 0 and "Năng lượng sạch" in listed.stdout, listed.stderr
    template = run_cli("template", "--db", str(fifth_db), "--index", CODE, "--year", "2024",
                       "--out", str(tmp_path / "xgi.xlsx"))
    assert template.returncode == 0, template.stderr
