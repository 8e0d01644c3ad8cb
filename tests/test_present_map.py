"""The 34-province present: identity across eras, the score contract, and 2025 results end to end
(store, CLI, pages in AppTest) after importing a PAPI 2025 workbook on the 34 provinces."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import provinces as ids
from analytics import registry, reports
from analytics.imports import commit_import, prepare_import
from analytics.scores import COLUMNS, ScoreTable
from analytics.scores.contract import check
from analytics.numbers import format_number
from analytics.store import Store
from tests.conftest import REPO, HtmlCards, app_runner, card_stats, crashed, page_texts, plotly_spec
from tests.present_map import papi_present_workbook, present_scores

PROVINCES = registry.load_provinces()


# -- identity --------------------------------------------------------------------------------
def test_no_two_provinces_share_an_identity():
    ident = ids.with_identity(PROVINCES)
    assert len(ident) == 97 and ident["province_id"].is_unique
    assert (ident["era"] == "legacy").sum() == 63 and (ident["era"] == "2025").sum() == 34
    # Seven 2025 provinces kept a former province's code; the ids still differ.
    shared = set(ident.loc[ident["era"] == "legacy", "code"]) & set(ident.loc[ident["era"] == "2025", "code"])
    assert {"24", "52", "44"} <= shared
    assert ident.set_index("province_id").loc["legacy:24", "name"] == "Bắc Giang"
    assert ident.set_index("province_id").loc["2025:24", "name"] == "Bắc Ninh"


def test_lineages_join_only_unchanged_provinces():
    ident = ids.with_identity(PROVINCES)
    unchanged = ident[(ident["era"] == "legacy") & ident["unchanged"]]
    assert len(unchanged) == 11
    assert set(unchanged["name"]) >= {"Hà Nội", "Thừa Thiên Huế", "Cao Bằng", "Quảng Ninh", "Nghệ An"}
    lineage = ids.lineage_map(PROVINCES)
    assert lineage["legacy:01"] == lineage["2025:01"] == "2025:01"
    assert lineage["legacy:24"] == "legacy:24" and lineage["2025:24"] == "2025:24"
    assert ids.predecessors(PROVINCES, "2025:24") == ["legacy:24", "legacy:27"]  # Bắc Giang, Bắc Ninh
    # The new Gia Lai kept Bình Định's code 52; the former Gia Lai was 64.
    assert ids.in_era(PROVINCES, "legacy:52", "2025") == ["2025:52"]
    assert ids.predecessors(PROVINCES, "2025:52") == ["legacy:52", "legacy:64"]  # Bình Định, Gia Lai


@pytest.mark.parametrize("code, era, expected", [
    ("24", None, "2025:24"), ("24", "legacy", "legacy:24"), ("02", None, "legacy:02"),
    ("01", None, "2025:01"), ("01", "legacy", "2025:01"), ("46", None, "2025:46"), ("1", None, "2025:01"),
    ("99", None, None), ("", None, None)])
def test_url_contract(code, era, expected):
    assert ids.from_url(PROVINCES, code, era) == expected
    if expected:
        again = ids.to_url(expected)
        assert ids.from_url(PROVINCES, again["province"], again.get("era")) == expected


def test_command_line_names_resolve_in_the_year_era():
    assert ids.resolve(PROVINCES, "Bắc Ninh", "2025") == ("2025:24", None)
    assert ids.resolve(PROVINCES, "Bắc Ninh", "legacy") == ("legacy:27", None)
    assert ids.resolve(PROVINCES, "Bắc Giang", "legacy") == ("legacy:24", None)
    pid, note = ids.resolve(PROVINCES, "Bắc Giang", "2025")
    assert pid == "2025:24" and "Bắc Ninh" in note
    assert ids.resolve(PROVINCES, "Huế", "legacy")[0] == "legacy:46"


# -- the score contract on the embedded store --------------------------------------------------
def test_every_score_row_resolves_to_one_province_of_its_year_era(real):
    table, indices, _ = real
    check(table)
    assert list(table.columns) == list(COLUMNS)
    assert table["province"].notna().all() and table["province_id"].notna().all()
    first_new = dict(zip(indices["index_code"], indices["new_provinces_from"]))
    expected_era = (table["year"] >= table["index_code"].map(first_new)).map({True: "2025", False: "legacy"})
    assert (table["era"] == expected_era).all()
    assert (table["province_id"] == table["era"] + ":" + table["province_code"]).all()


# -- 2025 on the 34 ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def present_db(built_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("present")
    path = folder / "present.duckdb"
    shutil.copy(built_db, path)
    workbook = papi_present_workbook(folder / "PAPI_2025.xlsx")
    with Store.open(path) as store:
        prepared = prepare_import(store, workbook)
        assert not prepared.plan.errors, [p.describe() for p in prepared.plan.errors]
        assert commit_import(store, prepared, imported_by="test") is not None
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "analytics", *args], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def test_2025_scores_list_the_34_and_2024_keeps_the_63(present_db):
    now = pd.read_csv(io.StringIO(run_cli("scores", "--db", str(present_db), "--index", "PAPI", "--year", "2025",
                                          "--indicator", "TOTAL").stdout), dtype={"province_code": str, "era": str})
    assert len(now) == 34 and set(now["era"]) == {"2025"} and (now["n_ranked"] == 34).all()
    names = dict(zip(now["province_code"], now["province"]))
    assert (names["15"], names["44"], names["80"], names["24"]) == ("Lào Cai", "Quảng Trị", "Tây Ninh", "Bắc Ninh")
    expected = {code: round(sum(values), 4) for code, values in present_scores().items()}
    assert dict(zip(now["province_code"], now["value"].round(4))) == expected
    before = pd.read_csv(io.StringIO(run_cli("scores", "--db", str(present_db), "--index", "PAPI", "--year", "2024",
                                             "--indicator", "TOTAL").stdout), dtype={"province_code": str})
    bac_giang = before[before["province_code"] == "24"].iloc[0]
    assert bac_giang["province"] == "Bắc Giang" and bac_giang["n_ranked"] == 61
    with Store.open(present_db, read_only=True) as store:
        stored = store.scores("PAPI", 2024)
    assert bac_giang["value"] == pytest.approx(stored.query("province_code == '24' and indicator_code == 'TOTAL'")["value"].item())


def test_weak_resolves_names_of_both_eras(present_db, tmp_path):
    new = run_cli("weak", "--db", str(present_db), "--province", "Bắc Ninh", "--index", "PAPI", "--year", "2025",
                  "--out", str(tmp_path / "new.csv"))
    assert new.stderr.startswith("Bắc Ninh, PAPI 2025")
    old = run_cli("weak", "--db", str(present_db), "--province", "Bắc Giang", "--index", "PAPI", "--year", "2024",
                  "--out", str(tmp_path / "old.xlsx"))
    assert old.stderr.startswith("Bắc Giang, PAPI 2024")
    flags = pd.read_csv(tmp_path / "new.csv", dtype={"province_code": str})
    assert (flags["province_code"] == "24").all() and (flags["year"] == 2025).all()


def test_worklist_follow_up_names_each_predecessor(present_db):
    from analytics import weak
    with Store.open(present_db, read_only=True) as store:
        table, indices, departments = reports.build_score_table(store), store.indices(), store.departments()
    _, follow = weak.worklist(table, indices, "2025:24", "PAPI", 2025, weak.Thresholds(), departments)
    assert follow is not None and set(follow["province"]) <= {"Bắc Giang", "Bắc Ninh"}
    assert set(follow["province_id"]) <= {"legacy:24", "legacy:27"} and (follow["previous_year"] == 2024).all()
    assert follow["value"].notna().all()  # read from the new Bắc Ninh's 2025 figures


def test_unchanged_province_is_one_series_with_the_map_change_marked(present_db):
    with Store.open(present_db, read_only=True) as store:
        table = ScoreTable(reports.build_score_table(store))
    hanoi = table.totals("PAPI")
    hanoi = hanoi[hanoi["lineage_id"] == "2025:01"].set_index("year")
    assert hanoi.loc[2025, "previous_year"] == 2024 and hanoi.loc[2025, "comparability"] == "ERA"
    assert hanoi.loc[2025, "n_ranked"] == 34 and hanoi.loc[2024, "n_ranked"] == 61
    assert table.latest_year("PAPI") == 2025 and table.nearest_year("PAPI", 2030) == 2025


def test_total_series_are_the_filtered_totals_of_each_lineage_and_province(present_db):
    """The overview's narrow slices (`ScoreTable.total_series`) hold exactly the rows a filter
    of the full table gives, oldest first, for every lineage and province of both maps."""
    with Store.open(present_db, read_only=True) as store:
        table = ScoreTable(reports.build_score_table(store))
    for index_code in table.frame["index_code"].unique():
        totals, series = table.totals(index_code), table.total_series(index_code)
        assert series.years == sorted(int(y) for y in totals["year"].unique())
        for column, lookup in (("lineage_id", series.lineage), ("province_id", series.province)):
            for key in list(totals[column].unique()) + ["2025:nowhere"]:
                expected = totals[totals[column] == key].sort_values(["year", "province_id"])
                got = lookup(key)
                assert got["year"].is_monotonic_increasing
                pd.testing.assert_frame_equal(got.reset_index(drop=True),
                                              expected[got.columns].reset_index(drop=True), check_dtype=True)
    papi = table.total_series("PAPI")
    assert papi.first_new_year == 2025 and papi.years[-1] == 2025


# -- pages on the present map (AppTest) -------------------------------------------------------
@pytest.fixture()
def app(present_db, monkeypatch):
    return app_runner(present_db, monkeypatch)


texts = page_texts


def test_overview_of_a_merged_province_shows_it_and_its_predecessors(app):
    at = app(province="24")
    assert at.title[0].value == "Tổng quan: Bắc Ninh"
    body = texts(at)
    assert "hợp nhất từ: Bắc Giang, Bắc Ninh" in body
    stats = card_stats(at)
    assert any(label == "Điểm 2025" and value for label, value, _ in stats)
    assert any(value.endswith("/34") for _, value, _ in stats)
    summaries = [s for e in at.html for s in HtmlCards(e.value).summaries]
    assert "Bắc Giang (tỉnh cũ) · 2024" in summaries and "Bắc Ninh (tỉnh cũ) · 2024" in summaries
    # one rank figure: the new province's line and each former province's, one legend entry each
    spec = plotly_spec(at)
    legend = [trace["name"] for trace in spec["data"] if trace.get("showlegend")]
    assert sorted(legend) == ["Bắc Giang (tỉnh cũ)", "Bắc Ninh", "Bắc Ninh (tỉnh cũ)"]
    labels = at.selectbox(key="province_id").options
    assert len(labels) == len(set(labels)) == 34 + 52


def test_overview_of_2025_says_why_there_is_no_change_against_2024(app, present_db):
    """Ranks of 34 do not compare with ranks of 61-63: Hà Nội's 2025 PAPI card shows its score and
    rank without a change, and the contract's reason in its note."""
    from ui.i18n import translate

    with Store.open(present_db, read_only=True) as store:
        table = ScoreTable(reports.build_score_table(store))
    latest = table.total_series("PAPI").lineage("2025:01").iloc[-1]
    assert int(latest["year"]) == 2025 and not latest["comparable"]
    card = HtmlCards(app(province="01").html[0].value.split('<section class="gi-card">')[1])
    assert [tuple(stat) for stat in card.stats] == [("Điểm 2025", format_number(latest["value"], "vi"), None),
                                                    ("Thứ hạng", f"{int(latest['rank'])}/34", None)]
    assert translate("not_comparable", "vi", year=2024, reason=latest["not_comparable_reason"]) in card.text


def test_legacy_link_shows_the_former_province(app):
    at = app(province="24", era="legacy")
    assert at.title[0].value == "Tổng quan: Bắc Giang"
    assert at.selectbox(key="province_id").value == "legacy:24"
    assert any(value.endswith("/61") or value.endswith("/63") for _, value, _ in card_stats(at))


@pytest.mark.parametrize("page", ["ho_so", "xep_hang", "ban_do", "so_sanh", "chi_so_yeu", "muc_tieu"])
@pytest.mark.parametrize("province, era", [("24", None), ("52", None), ("52", "legacy"), ("01", None), ("27", "legacy")])
def test_every_page_loads_for_2025_and_2024(app, page, province, era):
    params = {"province": province, **({"era": era} if era else {})}
    for year in ("2025", "2024"):
        app(page, index="PAPI", year=year, **params)


def test_profile_2025_ranks_of_34_and_2024_offers_predecessors(app):
    at = app("ho_so", province="24", index="PAPI", year="2025")
    assert at.title[0].value == "Hồ sơ Bắc Ninh"
    assert any(m.value.endswith("/34") for m in at.metric)
    before = app("ho_so", province="24", index="PAPI", year="2024")
    radio = before.radio(key="predecessor_2025:24")
    assert list(radio.options) == ["Bắc Giang", "Bắc Ninh"] and radio.value == "legacy:24"
    assert any(m.value.endswith("/61") for m in before.metric)


def test_code_that_moved_gia_lai_and_binh_dinh(app):
    new = app("ho_so", province="52", index="PAPI", year="2025")
    assert new.title[0].value == "Hồ sơ Gia Lai"
    old = app("ho_so", province="52", era="legacy", index="PAPI", year="2024")
    assert old.title[0].value == "Hồ sơ Bình Định"


# -- a dimensions-only 2025 file: the total is derived and marked --------------------------------
def test_dimensions_only_file_gets_a_derived_total_marked_everywhere(built_db, tmp_path, monkeypatch):
    path = tmp_path / "dims.duckdb"
    shutil.copy(built_db, path)
    workbook = papi_present_workbook(tmp_path / "PAPI_2025_dims.xlsx", with_total=False)
    with Store.open(path) as store:
        prepared = prepare_import(store, workbook)
        assert not prepared.plan.errors, [p.describe() for p in prepared.plan.errors]
        commit_import(store, prepared, imported_by="test")
        stored = store.scores("PAPI", 2025)
    totals = stored[stored["indicator_code"] == "TOTAL"].set_index("province_code")
    assert len(totals) == 34 and totals["derived"].all()
    assert not stored.loc[stored["indicator_code"] != "TOTAL", "derived"].any()
    expected = {code: sum(values) for code, values in present_scores().items()}
    assert {c: round(v, 4) for c, v in totals["value"].items()} == {c: round(v, 4) for c, v in expected.items()}
    report = pd.read_csv(io.StringIO(run_cli("scores", "--db", str(path), "--index", "PAPI", "--year", "2025",
                                             "--indicator", "TOTAL").stdout), dtype={"province_code": str})
    assert report["derived"].all() and len(report) == 34
    monkeypatch.setenv("GOVINDEX_DB", str(path))
    monkeypatch.chdir(REPO)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["province"] = "24"
    at.run()
    assert not at.exception and not crashed(at), crashed(at)
    assert "Tổng điểm 2025 được tính bằng tổng các chỉ số nội dung" in texts(at)
