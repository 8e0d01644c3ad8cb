"""The command line, run as a user runs it: `python -m analytics ...` in a subprocess."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import REPO


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "analytics", *args], cwd=REPO,
                            capture_output=True, text=True, encoding="utf-8")
    if check:
        assert result.returncode == 0, result.stderr
    return result


def csv(result) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(result.stdout), dtype={"province_code": str, "code": str, "successor_code": str},
                       keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    first = run("init", "--db", str(path))
    assert "papi_2011_2019 +17310" in first.stderr
    second = run("init", "--db", str(path))
    assert "+0" in second.stderr and "+17310" not in second.stderr
    return path


def test_scores_papi_2016_total(cli_db):
    scores = csv(run("scores", "--db", str(cli_db), "--index", "PAPI", "--year", "2016", "--indicator", "TOTAL"))
    assert list(scores.columns) == ["index", "year", "era", "province_code", "province", "indicator_code", "indicator",
                                    "value", "rank", "official_rank", "n_ranked", "group", "rank_change", "score_change", "source",
                                    "derived"]
    assert set(scores["era"]) == {"legacy"} and not scores["derived"].any()
    assert len(scores) == 63
    top = scores.iloc[0]
    assert (top["province"], top["rank"], round(top["value"], 2)) == ("Cần Thơ", 1, 39.57)
    assert top["group"] == "Cao nhất"
    assert sorted(scores["group"].value_counts().tolist()) == [15, 16, 16, 16]


def test_scores_papi_2014_has_61_ranked_and_two_without_data(cli_db):
    scores = csv(run("scores", "--db", str(cli_db), "--index", "PAPI", "--year", "2014", "--indicator", "TOTAL"))
    assert len(scores) == 61
    assert scores["rank"].max() <= 61 and scores["value"].gt(0).all()
    assert not scores["province"].isin(["Bắc Giang", "Đồng Tháp"]).any()


def test_scores_papi_2023_total(cli_db):
    scores = csv(run("scores", "--db", str(cli_db), "--index", "PAPI", "--year", "2023", "--indicator", "TOTAL"))
    top = scores.iloc[0]
    assert (top["province"], top["rank"], round(top["value"], 2)) == ("Thừa Thiên Huế", 1, 46.04)
    assert not scores["province"].isin(["Quảng Ninh", "Bình Dương"]).any()
    assert len(scores) == 61


def test_changes_are_left_empty_across_a_method_break(cli_db):
    scores = csv(run("scores", "--db", str(cli_db), "--index", "PAPI", "--year", "2018", "--indicator", "TOTAL"))
    assert scores["rank_change"].isna().all() and scores["score_change"].isna().all()
    dims = csv(run("scores", "--db", str(cli_db), "--index", "PAPI", "--year", "2018", "--indicator", "D1"))
    assert dims["rank_change"].notna().all()


def test_scores_without_indicator_lists_every_indicator_of_the_year(cli_db):
    scores = csv(run("scores", "--db", str(cli_db), "--index", "PAPI", "--year", "2016"))
    assert scores["indicator_code"].nunique() == 29
    assert "D3_RESPONSIVENESS" in set(scores["indicator_code"])


def test_provinces_lists_both_eras_with_the_mapping():
    provinces = csv(run("provinces", "--format", "csv"))
    assert list(provinces.columns) == ["code", "name", "name_en", "region", "era", "successor_code"]
    assert provinces["era"].value_counts().to_dict() == {"legacy": 63, "2025": 34}
    legacy = provinces[provinces["era"] == "legacy"].set_index("name")
    new = provinces[provinces["era"] == "2025"].set_index("code")
    assert legacy["successor_code"].isin(new.index).all()
    assert provinces.loc[provinces["era"] == "2025", "successor_code"].isna().all()
    for old, successor in [("Hà Giang", "Tuyên Quang"), ("Bình Dương", "TP. Hồ Chí Minh"), ("Hậu Giang", "Cần Thơ")]:
        assert new.loc[legacy.loc[old, "successor_code"], "name"] == successor


def test_indicators_lists_stable_codes():
    indicators = csv(run("indicators", "--index", "PAPI"))
    assert {"TOTAL", "D1", "D8", "D1_CIVIC_KNOWLEDGE", "D3_RESPONSIVENESS"} <= set(indicators["indicator_code"])


@pytest.mark.parametrize("args, message", [
    (["--index", "PGI", "--year", "2016"], "Không có chỉ số «PGI»"),
    (["--index", "PAPI", "--year", "2026"], "Chưa có dữ liệu PAPI năm 2026"),
    (["--index", "PAPI", "--year", "2031"], "Năm 2031 nằm ngoài phạm vi của PAPI"),
    (["--index", "PAPI", "--year", "2016", "--indicator", "D9"], "không có dữ liệu"),
])
def test_bad_requests_exit_non_zero_with_a_vietnamese_message(cli_db, args, message):
    result = run("scores", "--db", str(cli_db), *args, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_scores_on_a_missing_database_says_how_to_build_it(tmp_path):
    result = run("scores", "--db", str(tmp_path / "none.duckdb"), "--index", "PAPI", "--year", "2016", check=False)
    assert result.returncode == 2 and "analytics init" in result.stderr


def test_index_help_lists_every_catalog_index():
    from analytics import registry
    from analytics.cli import build_parser
    text = build_parser()._subparsers._group_actions[0].choices["scores"].format_help()
    assert all(code in text for code in registry.load_indices()["index_code"])
