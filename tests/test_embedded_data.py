"""The embedded PAPI figures equal the published files in ../shared/data, figure for figure."""

from __future__ import annotations

import math
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from analytics.paths import DATA_DIR, REPO_ROOT
from analytics.registry import ProvinceMatcher, load_catalog, load_provinces
from tests.conftest import shared_file


@pytest.fixture(scope="module")
def papi(built_db):
    from analytics.store import Store
    with Store.open(built_db, read_only=True) as store:
        return store.scores("PAPI")


def stored_values(papi: pd.DataFrame, year: int, code: str) -> list[float]:
    rows = papi[(papi["year"] == year) & (papi["province_code"] == code)]
    return sorted(rows["value"].tolist())


def test_every_workbook_figure_is_stored_exactly(papi):
    """Each province row of each sheet holds the same numbers as the store (no more, no fewer);
    blank rows and the "Highest" summary row have nothing stored."""
    workbook = openpyxl.load_workbook(shared_file("papi", "PAPI_2011-2016.xlsx"), data_only=True, read_only=True)
    checked = 0
    for sheet in workbook.worksheets:
        year = int(sheet.title[:4])
        for line in list(sheet.iter_rows(min_row=3, values_only=True)):
            code = line[0]
            if code is None or code == 999:
                continue
            numbers = sorted(float(v) for v in line[3:] if isinstance(v, (int, float)))
            expected = [] if all(v == 0 for v in numbers) else numbers  # 2014 blanks carry a 0 total
            assert stored_values(papi, year, f"{int(code):02d}") == expected, (sheet.title, code)
            checked += 1
    assert checked == 6 * 63
    assert set(papi[papi["year"] <= 2016]["province_code"]) <= set(load_provinces()["code"])


def test_every_published_dimension_score_2017_2024_is_stored(papi):
    """2020-2024 exactly as published; 2017-2019 at full precision from the official workbooks,
    equal to the published 4 decimals."""
    published = pd.read_csv(shared_file("papi", "papi_2017_2024_dimensions.csv"))
    matcher = ProvinceMatcher(load_provinces())
    published["province_code"] = [matcher.require(n).code for n in published["province"]]
    merged = published.merge(papi, left_on=["year", "province_code", "code"],
                             right_on=["year", "province_code", "indicator_code"], how="left", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    recent, earlier = merged[merged["year"] >= 2020], merged[merged["year"] <= 2019]
    assert (recent["value_x"] == recent["value_y"]).all()
    # One unit of the 4th decimal: the published 2017-2018 totals are sums of rounded dimensions.
    assert (earlier["value_x"] - earlier["value_y"]).abs().max() <= 1e-4
    assert set(papi.loc[papi["year"] >= 2020, "source_id"]) == {"papi_2020_2024"}
    assert set(papi.loc[papi["year"].between(2017, 2019), "source_id"]) == {"papi_2011_2019",
                                                                            "papi_2018_2019_indicators"}


def test_embedded_files_are_what_the_script_extracts_from_the_shared_workbooks(tmp_path):
    """`scripts/extract_reference_scores.py` rebuilds the embedded files byte for byte."""
    shared_file("papi", "official", "PAPI 2011-2019.xlsx")  # skips when ../shared is absent
    script = REPO_ROOT / "scripts" / "extract_reference_scores.py"
    done = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in ("papi_2011_2019.csv", "papi_2018_2019_indicators.csv", "papi_2020_2024.csv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / "scores" / name).read_bytes(), name


def test_2018_2019_indicators_are_stored_under_their_sub_dimensions(papi):
    catalog = load_catalog()
    level3 = catalog[catalog["level"] == 3]
    rows = papi[papi["indicator_code"].isin(level3["indicator_code"])]
    assert set(rows["year"]) == {2018, 2019}
    per_year = rows.groupby("year")["indicator_code"].nunique().to_dict()
    assert per_year == {2018: 114, 2019: 122}
    weighted = papi.query("indicator_code == 'TOTAL_WEIGHTED'")
    assert set(weighted["year"]) == {2019} and len(weighted) == 63
    hanoi = papi.query("year == 2019 and province_code == '01'").set_index("indicator_code")["value"]
    assert hanoi["TOTAL_WEIGHTED"] == pytest.approx(43.52419662475586)
    assert hanoi["TOTAL"] == pytest.approx(41.53302001953125)
    assert hanoi["D1_CIVIC_KNOWLEDGE_01"] == pytest.approx(0.5378397107124329)  # a 0-1 share, as published


def test_no_zero_stands_for_missing(papi):
    """Scores (levels 0-2, scales from 1/k) are never 0; a chỉ tiêu share can truly be 0."""
    levels = load_catalog().drop_duplicates("indicator_code").set_index("indicator_code")["level"]
    scores = papi[papi["indicator_code"].map(levels) <= 2]
    assert (scores["value"] > 0).all()


@pytest.mark.parametrize("year, absent", [
    (2014, {"24", "87"}),            # Bắc Giang, Đồng Tháp
    (2023, {"22", "74"}),            # Quảng Ninh, Bình Dương
    (2024, {"26", "82"}),            # Vĩnh Phúc, Tiền Giang
])
def test_province_years_without_data_have_no_rows(papi, year, absent):
    present = set(papi.loc[(papi["year"] == year) & (papi["indicator_code"] == "TOTAL"), "province_code"])
    assert present.isdisjoint(absent)
    assert len(present) == 61


def test_papi_dimensions_add_up_to_the_total(papi):
    wide = papi.pivot_table(index=["year", "province_code"], columns="indicator_code", values="value")
    for year, rows in wide.groupby(level="year"):
        dims = [c for c in wide.columns if c.startswith("D") and "_" not in c and rows[c].notna().any()]
        complete = rows.dropna(subset=dims + ["TOTAL"])
        assert len(dims) == (6 if year <= 2017 else 8), year
        gap = (complete[dims].sum(axis=1) - complete["TOTAL"]).abs().max()
        assert gap < 0.01, (year, gap)


def test_papi_sub_dimensions_add_up_to_their_dimension(papi):
    early = papi[papi["year"] <= 2016]
    subs = early[early["indicator_code"].str.contains("_")].copy()
    subs["dimension"] = subs["indicator_code"].str.split("_").str[0]
    sums = subs.groupby(["year", "province_code", "dimension"])["value"].sum()
    dims = early[~early["indicator_code"].str.contains("_") & (early["indicator_code"] != "TOTAL")]
    dims = dims.set_index(["year", "province_code", "indicator_code"])["value"]
    dims.index.names = sums.index.names
    assert math.isclose((sums - dims).abs().max(), 0, abs_tol=1e-3)
