"""End-to-end workflows in headless Chromium: every leader page for two provinces and two
indices, the language switch, a map tile click, sign-in, and uploading a workbook through the
import page (preview, then commit). Screenshots go to test-artifacts/screenshots/.

The app runs with one analyst configured (GOVINDEX_ANALYSTS), so writing needs a sign-in.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.auth import hash_password  # noqa: E402
from analytics.store import Store  # noqa: E402
from tests.e2e_server import build_store, launch_chromium, running_app, settled_url  # noqa: E402
from tests.test_e2e_browser import (SCREENSHOTS, _require_browser, query, screenshot_name, title,  # noqa: E402
                                    wait_for_title, wait_until_rendered)
from tests.workbooks import dimension_workbook  # noqa: E402

PASSWORD = "mat-khau-thu"
TIMEOUT = 30_000

LEADER_PAGES = [
    "/ho_so?province=01&index=PAPI&year=2020",
    "/ho_so?province=46&index=SIPAS&year=2023",
    "/so_sanh?province=01&index=PAPI",
    "/so_sanh?province=92&index=PAR_INDEX",
    "/ban_do?index=PAPI&year=2023",
    "/ban_do?index=PAR_INDEX&year=2025",
    "/chi_so_yeu?province=01&index=PAPI&year=2016",
    "/chi_so_yeu?province=46&index=PAR_INDEX&year=2024",
    "/muc_tieu?province=01",
    "/phuong_phap",
    "/nhap_du_lieu",
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    _require_browser()
    db_path = tmp_path_factory.mktemp("e2e_workflows") / "govindex.duckdb"
    build_store(db_path)
    previous = os.environ.get("GOVINDEX_ANALYSTS")
    os.environ["GOVINDEX_ANALYSTS"] = f"lan={hash_password(PASSWORD)}"
    try:
        with running_app(db_path) as (base_url, _process):
            yield base_url, db_path
    finally:
        if previous is None:
            os.environ.pop("GOVINDEX_ANALYSTS", None)
        else:
            os.environ["GOVINDEX_ANALYSTS"] = previous


@pytest.fixture(scope="module")
def browser(app):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    context.set_default_timeout(TIMEOUT)
    yield context.new_page()
    context.close()


def settled(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")


def no_exception(page) -> None:
    exceptions = page.locator('[data-testid="stException"], .st-key-unexpected_error')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert page.get_by_text("Page not found").count() == 0


@pytest.mark.parametrize("path", LEADER_PAGES)
def test_leader_pages_render(app, page, path):
    base_url, _ = app
    page.goto(base_url + path)
    settled(page)
    page.wait_for_selector("h1")
    if "nhap_du_lieu" not in path and "muc_tieu" not in path and "phuong_phap" not in path:
        wait_until_rendered(page)
    settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / screenshot_name(path)))
    no_exception(page)


def test_language_switch_translates_and_travels_with_the_link(app, page):
    base_url, _ = app
    page.goto(base_url + "/ho_so?province=46&index=PAPI&year=2020")
    wait_until_rendered(page)
    assert title(page) == "Hồ sơ Thừa Thiên Huế"
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_for_title(page, "Profile")
    assert title(page) == "Profile: Thua Thien Hue"
    assert query(page)["lang"] == "en" and query(page)["province"] == "46"
    shared = page.url
    other = page.context.new_page()  # a colleague opens the link: same view, same language
    other.goto(shared)
    wait_until_rendered(other)
    assert title(other) == "Profile: Thua Thien Hue"
    assert other.get_by_role("tab", name="Why it moved").count() == 1
    page.get_by_role("link", name="Rankings").click()
    wait_for_title(page, "rankings")
    assert query(page)["lang"] == "en"


@pytest.mark.parametrize("lang, profile", [("vi", "Hồ sơ "), ("en", "Profile")])
def test_clicking_a_map_tile_opens_the_profile(app, page, lang, profile):
    """The profile opens on the map's index, year and language, and its link is already what the
    profile writes: no history entry to tidy it (Streamlit's switch_page itself makes two, the
    link on the map page, then the profile)."""
    base_url, _ = app
    page.goto(base_url + "/ban_do?index=PAPI&year=2023" + ("&lang=en" if lang == "en" else ""))
    wait_until_rendered(page)
    before = page.evaluate("history.length")
    point = page.locator(".js-plotly-plot .scatterlayer .point").nth(10)
    point.click(force=True)
    page.wait_for_function("() => location.pathname.endsWith('/ho_so')", timeout=TIMEOUT)
    wait_until_rendered(page)
    settled_url(page)  # a tidying write would come after the run: count only once the URL holds still
    assert title(page).startswith(profile)
    assert query(page).get("index", "PAPI") == "PAPI" and query(page)["year"] == "2023"  # defaults are left out
    assert query(page).get("lang", "vi") == lang
    assert page.evaluate("history.length") == before + 2, page.url
    page.screenshot(path=str(SCREENSHOTS / f"map_click_profile_{lang}.png"))


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/nhap_du_lieu")
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Đăng nhập: lan").wait_for()


def test_leaders_cannot_upload_until_signed_in(app, page):
    base_url, _ = app
    page.goto(base_url + "/nhap_du_lieu")
    page.get_by_text("chỉ xem").wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Sai tên đăng nhập hoặc mật khẩu").wait_for()


def test_upload_shows_the_preview_then_commits_one_batch(app, page, tmp_path):
    base_url, db_path = app
    rows = [[1, "Thành phố Huế", 5.1, 5.2, 5.3, 5.4, 6.5, 7.0, 4.5, 3.1],
            [2, "Tuyên Quang", 5.0, 5.0, 5.0, 5.0, 6.0, 7.0, 4.0, 2.9]]
    headers = ["STT", "Tỉnh, thành phố", "Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch",
               "Trách nhiệm giải trình với người dân", "Kiểm soát tham nhũng trong khu vực công",
               "Thủ tục hành chính công", "Cung ứng dịch vụ công", "Quản trị môi trường", "Quản trị điện tử"]
    workbook = dimension_workbook(tmp_path / "PAPI_2025.xlsx", rows, sheet="PAPI 2025", title="PAPI 2025",
                                  headers_vi=headers, headers_en=False)
    sign_in(page, base_url)
    page.locator('input[type="file"]').set_input_files(str(workbook))
    page.get_by_text("Xem trước").wait_for()
    settled(page)
    page.screenshot(path=str(SCREENSHOTS / "import_preview.png"))
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Số liệu mới")
    assert "18" in metric.inner_text()  # 16 given + 2 totals derived from the 8 dimensions
    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()
    page.get_by_text("Đã nhập lô #").wait_for()
    no_exception(page)
    with Store.open(db_path, read_only=True) as store:
        stored = store.scores("PAPI", 2025)
    assert set(stored["province_code"]) == {"46", "08"} and set(stored["era"]) == {"2025"}


def test_a_bad_upload_lists_located_problems_and_cannot_be_committed(app, page, tmp_path):
    base_url, db_path = app
    bad = dimension_workbook(tmp_path / "bad.xlsx", [[1, "Tỉnh Xyz", 5, 5, 5, 5, 5, 5, 30, 1]])
    with Store.open(db_path, read_only=True) as store:
        before = len(store.scores())
    sign_in(page, base_url)
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_text("Vấn đề cần xử lý").wait_for()
    settled(page)
    assert page.get_by_text("Chưa nhập được").count() == 1
    assert page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").is_disabled()
    page.screenshot(path=str(SCREENSHOTS / "import_bad_file.png"))
    with Store.open(db_path, read_only=True) as store:
        assert len(store.scores()) == before


def test_weak_list_annex_is_built_on_click_and_opens(app, page, tmp_path):
    """The annex is built when its button is clicked (not on every selection); the file a user
    gets opens and lists the page's indicators with their lead departments."""
    import openpyxl

    base_url, _ = app
    page.goto(base_url + "/chi_so_yeu?province=01&index=PAPI&year=2016")
    wait_until_rendered(page)
    settled(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải phụ lục").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    cells = [str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c is not None]
    assert any("Hà Nội" in c for c in cells) and any("Sở" in c for c in cells), cells[:20]
    no_exception(page)


def test_an_indicator_level_year_lists_indicators_and_its_annex_groups_them(app, page, tmp_path):
    """PAPI 2018, in English: the worklist is drawn from the 114 indicators (chỉ tiêu), the gap
    chart puts indicators of different maxima on a % scale, and the annex prints each flagged
    indicator under a heading naming its sub-dimension, each sub-dimension once."""
    import openpyxl

    base_url, _ = app
    page.goto(base_url + "/chi_so_yeu?province=01&index=PAPI&year=2018&lang=en")
    wait_until_rendered(page)
    settled(page)
    assert page.get_by_text("of 114 indicators flagged").count() == 1
    assert page.locator("svg text", has_text="% of each indicator's maximum").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "weak_papi_2018_indicators_en.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the annex").first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "No.")
    headings, under = [], {}
    for r in range(header + 1, sheet.max_row + 1):
        first = sheet.cell(r, 1).value
        if isinstance(first, str) and " — indicators flagged: " in first:
            headings.append(first.split(" — ")[0])
        else:
            under.setdefault(headings[-1], []).append(sheet.cell(r, 3).value)
    assert headings and len(headings) == len(set(headings))
    assert all(set(fields) == {name} for name, fields in under.items()), under
    no_exception(page)


LOW_LABEL = __import__("urllib.parse").parse.quote("Thấp nhất (LOW)")


def test_a_shared_link_keeps_the_map_colour_the_weak_filters_and_the_profile_section(app, page):
    """Bound selections travel in the link by their label in the link's language."""
    base_url, _ = app
    page.goto(base_url + "/ban_do?index=PAPI&year=2023&colour_by=Điểm")
    wait_until_rendered(page)
    assert page.get_by_role("radio", name="Điểm", exact=True).is_checked()
    assert "colour_by=" in page.url
    page.goto(base_url + "/chi_so_yeu?province=01&index=PAPI&year=2016&tier=all&filter_reasons=" + LOW_LABEL)
    wait_until_rendered(page)
    chosen = page.locator('.st-key-filter_reasons button[aria-pressed="true"]')
    assert chosen.count() == 1 and chosen.inner_text().strip() == "Thấp nhất (LOW)"
    page.goto(base_url + "/ho_so?province=01&index=PAPI&year=2020&section=Để lên hạng")
    page.get_by_text("Cần bao nhiêu điểm để lên hạng").wait_for()
    assert page.get_by_role("tab", name="Để lên hạng").get_attribute("aria-selected") == "true"
    no_exception(page)


def test_a_weak_link_with_filters_that_do_not_exist_shows_the_whole_list(app, page):
    """Filters in a link that name no reason or department (typed, tampered, or from another
    year's list) are dropped: the page shows the unfiltered list, no pill chosen, no error."""
    base_url, _ = app
    page.goto(base_url + "/chi_so_yeu?province=01&index=PAPI&year=2016&filter_reasons=%3Cscript%3E"
              "&filter_departments=S%E1%BB%9F+Kh%C3%B4ng+C%C3%B3")
    wait_until_rendered(page)
    shown, total = flagged_counts(page)
    assert 0 < shown < total and gap_chart_rows(page) == shown
    assert page.locator('.st-key-filter_reasons button[aria-pressed="true"]').count() == 0
    assert page.locator('.st-key-filter_departments button[aria-pressed="true"]').count() == 0
    no_exception(page)


FLAGGED = re.compile(r"(\d+) chỉ số được đánh dấu trên (\d+) chỉ số")


def flagged_counts(page) -> tuple[int, int]:
    text = page.get_by_text(FLAGGED).inner_text()
    shown, total = FLAGGED.search(text).groups()
    return int(shown), int(total)


def gap_chart_rows(page) -> int:
    """Indicators drawn on the gap chart (one y tick label each)."""
    return page.locator('.st-key-gap_chart .js-plotly-plot .ytick').count()


def test_the_weak_lists_tier_and_filters_change_the_list_in_place(app, page):
    """Tier and reason filter are the list's own controls (one fragment): choosing them redraws
    the list and its chart, keeps the selection above and the link, and raises nothing."""
    base_url, _ = app
    page.goto(base_url + "/chi_so_yeu?province=01&index=PAPI&year=2016")
    wait_until_rendered(page)
    shown, total = flagged_counts(page)
    assert 0 < shown < total and gap_chart_rows(page) == shown
    every = page.get_by_text(re.compile(r"^Tất cả \(\d+\)$"))
    flagged = int(re.search(r"\d+", every.inner_text()).group())
    assert flagged > shown
    every.click()
    page.wait_for_function("t => document.body.innerText.includes(t)",
                           arg=f"{flagged} chỉ số được đánh dấu trên {total} chỉ số", timeout=30_000)
    page.wait_for_function(f"() => document.querySelectorAll('.st-key-gap_chart .js-plotly-plot .ytick').length == {flagged}",
                           timeout=30_000)
    page.locator(".st-key-filter_reasons").get_by_role("button", name="Thấp nhất (LOW)").click()
    page.wait_for_function(
        f"() => {{ const n = document.querySelectorAll('.st-key-gap_chart .js-plotly-plot .ytick').length;"
        f" return n > 0 && n < {flagged}; }}", timeout=30_000)
    wait_until_rendered(page)
    assert "filter_reasons=" in page.url
    assert page.locator('.st-key-province_id input').input_value() == "Hà Nội"
    assert flagged_counts(page) == (flagged, total)
    no_exception(page)
