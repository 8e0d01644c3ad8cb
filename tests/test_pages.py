"""Headless page tests with Streamlit's AppTest, on a real store built in a temp folder."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import HtmlCards, app_runner, card_stats, crashed, page_texts, plotly_spec
from analytics.registry import load_indices


@pytest.fixture()
def app(built_db, monkeypatch):
    return app_runner(built_db, monkeypatch)


texts = page_texts


def plotly_charts(at: AppTest):
    return at.get("plotly_chart")


def test_overview_defaults_to_ha_noi_with_a_card_per_index(app):
    at = app()
    assert at.title[0].value == "Tổng quan: Hà Nội"
    # one HTML element holds the four cards, in the catalog's order
    assert len(at.html) == 1 and HtmlCards(at.html[0].value).titles == ["PAPI", "PAR INDEX", "SIPAS", "PCI"]
    assert [s.value for s in at.subheader] == ["Thứ hạng qua các năm (1 = cao nhất)"]
    # the four rank histories are panels of one figure (one plotly redraw per change, not four)
    charts_here = plotly_charts(at)
    assert len(charts_here) == 1
    spec = plotly_spec(at)
    titles = [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert [title.split("</b>")[0] for title in titles] == ["<b>PAPI", "<b>PAR INDEX", "<b>SIPAS", "<b>PCI"]
    # only the demo indices (PAR INDEX and SIPAS here) say so; the published PAPI and PCI do not
    assert ["DỮ LIỆU MINH HỌA" in title for title in titles] == [False, True, True, False]
    assert {trace["xaxis"] for trace in spec["data"]} == {"x", "x2", "x3", "x4"}
    numbers = open_numbers(at, "numbers_history").dataframe[0].value
    assert list(dict.fromkeys(numbers["Chỉ số"])) == ["PAPI", "PAR INDEX", "SIPAS", "PCI"]
    assert numbers["Thứ hạng"].str.fullmatch(r"\d+/\d+").all()
    stats = {label: value for label, value, _ in card_stats(at)}
    assert stats["Điểm 2024"]  # PAPI 2024 exists for Hà Nội
    assert re.fullmatch(r"\d+/\d+", stats["Thứ hạng"])
    assert "Dữ liệu minh họa" in texts(at)


def test_overview_reads_the_province_from_the_url(app):
    at = app(province="92")
    assert at.title[0].value == "Tổng quan: Cần Thơ"
    assert at.selectbox(key="province_id").value == "2025:92"


def test_overview_for_a_province_missing_the_latest_year_says_so(app):
    at = app(province="26")  # Vĩnh Phúc: no PAPI 2024
    body = texts(at)
    assert "Năm 2024: không có dữ liệu của Vĩnh Phúc." in body
    assert any(label == "Điểm 2023" for label, _, _ in card_stats(at))


def test_overview_changes_province_and_writes_the_url(app):
    at = app()
    at.selectbox(key="province_id").set_value("2025:46").run()
    assert at.title[0].value == "Tổng quan: Huế"
    assert at.query_params["province"] in ("46", ["46"])


def test_a_new_province_rewrites_the_link_and_the_default_leaves_it(app):
    """The link's removals are made quietly and the run's changes sent at once (ui/state.write_links):
    a 2025 province drops the former one's `era`, Hà Nội (the default) drops both."""
    at = app(province="24", era="legacy")
    at.selectbox(key="province_id").set_value("2025:48").run()
    assert {key: at.query_params[key] for key in at.query_params} in ({"province": "48"}, {"province": ["48"]})
    at.selectbox(key="province_id").set_value("2025:01").run()
    assert not at.exception and dict(at.query_params) == {}


def test_english_switch_translates_labels(app):
    at = app(lang="en", province="46")
    assert at.title[0].value == "Overview: Hue"
    assert any(label == "Rank" for label, _, _ in card_stats(at))
    assert "Demo data" in texts(at)


def open_numbers(at, key: str):
    """Open the expander `key` whose table and CSVs are built only once it is open."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_rankings_page_papi_2016_total(app):
    at = app("xep_hang", index="PAPI", year="2016", indicator="TOTAL")
    assert at.title[0].value == "Xếp hạng PAPI 2016"
    assert len(plotly_charts(at)) == 1
    assert "Tất cả tỉnh, thành phố đều có dữ liệu." in texts(at)
    assert not at.dataframe and not at.get("download_button")  # nothing built while the table is closed
    open_numbers(at, "numbers_ranking")
    table = at.dataframe[0].value
    assert len(table) == 63
    assert table.iloc[0]["Tỉnh, thành phố"] == "Cần Thơ" and table.iloc[0]["Thứ hạng"] == "1"
    assert "," in table.iloc[0]["Điểm"] and "." not in table.iloc[0]["Điểm"]  # 43,77 style
    assert at.get("download_button")


def test_rankings_lists_provinces_without_data(app):
    at = app("xep_hang", index="PAPI", year="2014", indicator="TOTAL")
    body = texts(at)
    assert "Không có dữ liệu (2):" in body
    assert "Bắc Giang — không có dữ liệu" in body and "Đồng Tháp — không có dữ liệu" in body
    assert len(open_numbers(at, "numbers_ranking").dataframe[0].value) == 61


def test_rankings_demo_index_is_labelled(app):
    at = app("xep_hang", index="SIPAS", year="2022", indicator="TOTAL")
    assert "Dữ liệu minh họa" in texts(at)


def test_rankings_year_list_follows_the_index(app):
    at = app("xep_hang", index="PAR_INDEX")
    assert at.selectbox(key="year").options == [str(y) for y in range(2024, 2018, -1)]
    at.selectbox(key="index").set_value("PAPI").run()
    assert "2011" in at.selectbox(key="year").options


@pytest.mark.parametrize("index, years", [("PAPI", range(2011, 2025)), ("PAR_INDEX", range(2019, 2025)),
                                          ("SIPAS", range(2019, 2025))])
def test_every_index_and_year_renders_without_exception(app, index, years):
    for year in years:
        at = app("xep_hang", index=index, year=str(year))
        assert at.title[0].value.endswith(str(year))


def test_demo_rows_in_the_downloadable_table_say_so(app):
    at = open_numbers(app("xep_hang", index="PAR_INDEX", year="2024", indicator="TOTAL"), "numbers_ranking")
    assert set(at.dataframe[0].value["Nguồn"]) == {"Dữ liệu minh họa"}


def test_a_method_break_is_explained_on_the_rankings_page(app):
    at = app("xep_hang", index="PAPI", year="2018", indicator="TOTAL")
    assert "không so sánh được với 2017" in texts(at)


def test_weak_page_lists_flags_for_ha_noi_papi_2016(app):
    at = app("chi_so_yeu", province="01", index="PAPI", year="2016")
    assert at.title[0].value == "Chỉ số cần cải thiện: Hà Nội, PAPI 2016"
    table = at.dataframe[0].value
    assert len(table) > 0 and "Công khai thu, chi ngân sách cấp xã/phường" in set(table["Chỉ số thành phần"])
    assert len(at.get("download_button")) == 3  # annex, CSV for machines, CSV for Excel
    assert len(plotly_charts(at)) == 1


def test_weak_page_follow_up_is_computed_when_opened(app):
    """Last year's list is named at once and assessed only when its section is opened: then its
    summary by department and its rows, each with a result."""
    at = app("chi_so_yeu", province="01", index="PAPI", year="2016")
    assert "Theo dõi danh sách năm 2015" in [e.label for e in at.expander]
    closed = len(at.dataframe)
    at = open_numbers(at, "follow_up_open")
    summary, rows = at.dataframe[closed].value, at.dataframe[closed + 1].value
    assert {"Chủ trì", "Cải thiện", "Xấu đi"} <= set(summary.columns) and len(summary) >= 1
    assert len(rows) == int(summary["Số chỉ số"].astype(int).sum()) and rows["Tình trạng"].notna().all()


def test_weak_page_for_demo_index_is_labelled(app):
    at = app("chi_so_yeu", province="79", index="PAR_INDEX", year="2024")
    assert "Dữ liệu minh họa" in texts(at)


def test_weak_page_thresholds_change_the_list(app):
    at = app("chi_so_yeu", province="01", index="PAPI", year="2016")
    at.radio(key="tier").set_value("all").run()
    before = len(at.dataframe[0].value)
    at.slider(key="th_share_PAPI").set_value(100).run()
    after = len(at.dataframe[0].value)
    assert after < before


def test_import_page_in_single_user_mode(app, monkeypatch):
    monkeypatch.delenv("GOVINDEX_ANALYSTS", raising=False)
    at = app("nhap_du_lieu")
    assert at.title[0].value == "Nhập số liệu chính thức"
    assert "Chế độ một người dùng" in texts(at)
    assert at.get("file_uploader")


def test_import_page_asks_leaders_to_sign_in(app, monkeypatch):
    from analytics.auth import hash_password
    monkeypatch.setenv("GOVINDEX_ANALYSTS", f"lan={hash_password('abcdefgh')}")
    at = app("nhap_du_lieu")
    assert "chỉ xem" in texts(at)
    assert not at.get("file_uploader")
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    # The sign-in itself is clicked in the browser test; here, the signed-in state.
    at.session_state["analyst"] = "lan"
    at.run()
    assert at.get("file_uploader")
    assert "Đăng nhập: lan" in texts(at)


def test_methodology_page_lists_indices_breaks_and_sources(app):
    at = app("phuong_phap")
    assert at.title[0].value == "Phương pháp và nguồn số liệu"
    assert len(at.expander) == len(load_indices())  # one per catalog index
    body = texts(at)
    assert "2018" in body and "CECODES" in body and "Dữ liệu minh họa" in body


def test_targets_page_shows_progress(app, built_db, tmp_path, monkeypatch):
    import shutil
    from analytics.store import Store
    path = tmp_path / "targets.duckdb"
    shutil.copy(built_db, path)
    with Store.open(path) as store:
        store.save_target(era="legacy", province_code="46", index_code="PAPI", year=2023, target_score=45.0,
                          strictly_above=False, target_rank=None, min_rank_gain=None, note="KH 01", set_by="t")
    monkeypatch.setenv("GOVINDEX_DB", str(path))
    at = app("muc_tieu", province="46")
    table = at.dataframe[0].value
    assert table.iloc[0]["Tiến độ"] == "✔ Đạt"  # Thừa Thiên Huế 2023: 46.04 ≥ 45
    assert at.get("download_button")


def test_profile_page_hanoi_papi_2020_what_if_matches_the_ranking(app, store):
    first = app("ho_so", province="01", index="PAPI", year="2020")
    assert first.title[0].value == "Hồ sơ Hà Nội"
    assert len(plotly_charts(first)) == 1  # only the open section draws: the dimensions
    for section in ("Thứ hạng qua các năm", "Nhóm qua các năm"):  # each other chart in its own section
        assert len(plotly_charts(app("ho_so", province="01", index="PAPI", year="2020", section=section))) == 1
    at = app("ho_so", province="01", index="PAPI", year="2020", section="Để lên hạng")
    totals = store.scores("PAPI", 2020).query("indicator_code == 'TOTAL'").sort_values("value", ascending=False)
    values = totals["value"].tolist()
    mine = totals.set_index("province_code").loc["01", "value"]
    above = min(v for v in values if v > mine)  # the province ranked one place above Hà Nội
    needed = f"{above + 0.0001:.4f}".replace(".", ",")
    assert f"cần {needed} điểm" in texts(at)


def test_profile_drill_down_lists_sub_dimensions(app):
    at = app("ho_so", province="92", index="PAPI", year="2016")
    at.selectbox(key="drill_parent").set_value("D3").run()
    detail = at.dataframe[0].value  # the dimensions chart's numbers are built only when opened
    assert "Đáp ứng kiến nghị của người dân" in set(detail["Chỉ số thành phần"])


def test_profile_in_english(app):
    at = app("ho_so", province="46", index="SIPAS", lang="en")
    assert at.title[0].value == "Profile: Thua Thien Hue"
    assert "Demo data" in texts(at)


def test_compare_defaults_to_peers_and_follows_the_selection(app):
    at = app("so_sanh", province="01", index="PAPI")
    chosen = at.multiselect[0].value
    assert chosen[0] == "legacy:01" and 2 <= len(chosen) <= 6  # 2024 is on the 63-province map
    at.multiselect[1].set_value(["TOTAL", "D1"]).run()
    assert len(plotly_charts(at)) == 2
    at.multiselect[0].set_value(["legacy:01"]).run()
    assert "Chọn ít nhất 2 tỉnh" in texts(at)


def test_map_page_colours_and_2025_empty_state(app):
    at = app("ban_do", index="PAPI", year="2023")
    assert at.title[0].value == "Bản đồ PAPI 2023"
    at.radio(key="colour_by").set_value("value").run()
    assert not at.exception and not crashed(at), crashed(at)
    assert not at.dataframe  # the numbers are built when their expander is opened
    assert len(open_numbers(at, "numbers_map").dataframe[0].value) == 63
    empty = app("ban_do", index="PAR_INDEX", year="2025")
    assert "Chưa có dữ liệu PAR INDEX năm 2025" in texts(empty)
    assert "34 tỉnh" in texts(empty)
    # the year without data still names the total, not its code
    english = app("ban_do", index="PAPI", year="2025", lang="en")
    assert english.selectbox(key="indicator").options == ["PAPI aggregate (unweighted)"]


@pytest.mark.parametrize("page", ["ho_so", "ban_do", "chi_so_yeu", "xep_hang"])
@pytest.mark.parametrize("index, years", [("PAPI", range(2011, 2025)), ("PAR_INDEX", range(2019, 2025)),
                                          ("SIPAS", range(2019, 2025))])
def test_every_page_loads_for_every_index_and_year(app, page, index, years):
    for year in years:
        app(page, index=index, year=str(year), province="22")  # Quảng Ninh: missing in some years


def test_a_legacy_province_shows_its_2025_province(app):
    at = app(province="02")  # Hà Giang
    assert "Từ 1/7/2025 thuộc Tuyên Quang, hợp nhất từ: Hà Giang, Tuyên Quang." in texts(at)
    unchanged = app("ho_so", province="01")
    assert "Từ 1/7/2025 giữ nguyên địa giới (Hà Nội)." in texts(unchanged)


PROFILE_SECTIONS = ["Chỉ số nội dung", "Thứ hạng qua các năm", "Nhóm qua các năm", "Vì sao đổi hạng", "Để lên hạng"]


@pytest.mark.parametrize("section", PROFILE_SECTIONS)
@pytest.mark.parametrize("index, year, province", [("PAPI", "2016", "22"), ("PAPI", "2024", "24"),
                                                   ("PAR_INDEX", "2023", "01"), ("SIPAS", "2022", "92")])
def test_every_profile_section_runs(app, section, index, year, province):
    """Only the open section runs, so each is opened on its own (Quảng Ninh 2016, a province whose
    2025 successor merged others, demo indices)."""
    at = app("ho_so", index=index, year=year, province=province, section=section)
    assert section in [tab.label for tab in at.tabs]


def test_weak_page_in_english_has_english_reasons_groups_and_departments(app):
    at = app("chi_so_yeu", province="01", index="PAPI", year="2016", lang="en")
    table = at.dataframe[0].value
    assert "Reasons" in table.columns and "Lead" in table.columns
    assert all(not str(r).startswith(("Thuộc", "Dưới", "Giảm")) for r in table["Reasons"])
    assert set(table["Group"]) <= {"Lowest", "Low average", "High average", "Highest"}
    assert all(str(d).startswith(("Department", "Provincial", "Office", "Commune")) for d in table["Lead"])
    assert not any("." in str(v) and "," in str(v) for v in table["Score"])  # one decimal mark


def test_profile_2018_drills_down_to_indicators_and_2020_says_why_not(app):
    at = app("ho_so", province="01", index="PAPI", year="2018")
    sub = at.selectbox(key="drill_sub_" + at.selectbox(key="drill_parent").value)
    assert len(sub.options) >= 2
    assert "Các chỉ tiêu của nội dung thành phần (năm 2018)" in texts(at)
    assert len(at.dataframe) >= 2  # the sub-dimensions, then the indicators under the chosen one
    later = app("ho_so", province="01", index="PAPI", year="2020")
    assert "Năm 2020 chỉ có số liệu cấp chỉ số nội dung; nội dung thành phần có ở các năm 2011–2019." in texts(later)


def test_heatmap_offers_each_level_and_says_which_years_have_it(app):
    at = app("ho_so", province="01", index="PAPI", year="2020", section="Nhóm qua các năm")
    assert at.radio(key="heat_level").options == ["Chỉ số nội dung", "Nội dung thành phần"]
    assert "Nội dung thành phần: các năm 2011–2019." in texts(at)
    at.radio(key="heat_level").set_value(2).run()
    assert not at.exception and not crashed(at)


def test_methodology_names_the_source_and_level_of_each_year(app):
    at = app("phuong_phap")
    papi = next(e for e in at.expander if e.label.startswith("PAPI"))
    table = papi.dataframe[0].value
    levels = dict(zip(table["Năm"], table["Mức chi tiết"]))
    assert levels["2018"] == "Chỉ tiêu" and levels["2017"] == "Nội dung thành phần" and levels["2020"] == "Chỉ số nội dung"
    assert "CECODES" in " ".join(table["Nguồn"]) or "PAPI" in " ".join(table["Nguồn"])


@pytest.mark.parametrize("params, said", [({"province": "99"}, "tỉnh, thành phố «99»"),
                                          ({"index": "NOPE"}, "chỉ số «NOPE»"),
                                          ({"index": "PAPI", "year": "1990"}, "năm «1990»")])
def test_a_link_to_something_missing_says_so(app, params, said):
    at = app("xep_hang", **params) if "index" in params else app(**params)  # the first page the link opens
    assert any(said in w.value for w in at.warning), [w.value for w in at.warning]


def test_overview_cards_say_each_change_with_its_sign_and_direction(app, real, store):
    """Every card's figures against the score contract's latest row of the province's lineage: the
    score's change signed in the reader's numbers, the rank's as places with ▲ (moved up), ▼ or ●
    and in words for a screen reader. Hà Nội, Cao Bằng and Tuyên Quang cover all three directions."""
    from analytics import provinces as ids
    from analytics.numbers import format_number
    from analytics.scores import ScoreTable

    table, lineages, seen = ScoreTable(real[0]), ids.lineage_map(store.provinces()), set()
    for province in ("01", "04", "22"):
        html = app(province=province).html[0].value
        cards_shown = [HtmlCards(part) for part in html.split('<section class="gi-card">')[1:]]
        for card, index_code in zip(cards_shown, real[1]["index_code"], strict=True):
            latest = table.total_series(index_code).lineage(lineages["2025:" + province]).iloc[-1]
            score, rank = (tuple(stat) for stat in card.stats)
            assert score[:2] == (f"Điểm {int(latest['year'])}", format_number(latest["value"], "vi"))
            assert rank[:2] == ("Thứ hạng", f"{int(latest['rank'])}/{int(latest['n_ranked'])}")
            moved = int(latest["rank_change"])
            arrow = "▲" if moved > 0 else "▼" if moved < 0 else "●"
            seen.add(arrow)
            assert rank[2] == f"{arrow} {abs(moved)}"
            assert card.spoken == [f"Lên {moved} bậc" if moved > 0 else f"Xuống {-moved} bậc" if moved < 0
                                   else "Giữ nguyên thứ hạng"]
            change = format_number(latest["score_change"], "vi", signed=True)
            assert score[2] == {"+": "▲", "−": "▼"}.get(change[0], "●") + " " + change
    assert seen == {"▲", "▼", "●"}
