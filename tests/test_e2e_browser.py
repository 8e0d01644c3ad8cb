"""End-to-end: the real app in headless Chromium (the system's /usr/bin/chromium).

One store and one app server for the module, one browser; every test opens fresh pages in its own
browser context (a new Streamlit session). Screenshots of every page go to
test-artifacts/screenshots/.

Without /usr/bin/chromium the module is skipped, unless REQUIRE_BROWSER=1 (the Makefile's test
target), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e_server import (build_store, chromium_available, launch_chromium, running_app,  # noqa: E402
                               settled_url)

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
RENDER_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1400, "height": 2000}  # tall enough for the 63-bar chart in one screenshot

PAGES = [
    "/",
    "/?province=92",
    "/xep_hang?index=PAPI&year=2016&indicator=TOTAL",
    "/xep_hang?index=SIPAS&year=2022&indicator=TOTAL",
    "/xep_hang?index=PAR_INDEX&year=2024&indicator=F3",
    "/xep_hang?index=PAPI&year=2023&indicator=TOTAL&lang=en",
]


def _require_browser() -> None:
    if chromium_available():
        return
    message = "/usr/bin/chromium is not installed (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    _require_browser()
    db_path = tmp_path_factory.mktemp("e2e") / "govindex.duckdb"
    build_store(db_path)
    return db_path


@pytest.fixture(scope="module")
def app_url(store_path):
    with running_app(store_path) as (base_url, _process):
        yield base_url


@pytest.fixture(scope="module")
def browser(app_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Factory: a page in a fresh browser context (so a fresh Streamlit session)."""
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(RENDER_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def wait_until_rendered(page) -> None:
    """The script run is over and a plotly chart has drawn its svg."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           state="attached", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           state="attached", timeout=RENDER_TIMEOUT_MS)


def open_page(new_page, base_url: str, path: str):
    page = new_page()
    page.goto(base_url + path)
    wait_until_rendered(page)
    return page


def title(page) -> str:
    return page.locator("h1").first.inner_text()


def query(page) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query).items()}


def wait_for_title(page, text: str) -> None:
    page.wait_for_function("text => { const h = document.querySelector('h1');"
                           " return h !== null && h.textContent.includes(text); }",
                           arg=text, timeout=RENDER_TIMEOUT_MS)
    wait_until_rendered(page)


def choose(page, selectbox_index: int, label: str) -> None:
    """Pick an option: click the select box, type the label, press Enter (the list is virtual)."""
    page.locator('[data-testid="stSelectbox"]').nth(selectbox_index).click()
    page.keyboard.type(label)
    page.locator('[role="option"]').first.wait_for()
    page.keyboard.press("Enter")


def close_page_not_found(page) -> bool:
    """True if Streamlit's "Page not found" dialog is shown; closes it so the page can be used."""
    dialog = page.get_by_text("Page not found")
    if dialog.count() == 0:
        return False
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached", timeout=5_000)
    return True


def screenshot_name(path: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "_", path.replace("=", "-")).strip("_")
    return (name or "root") + ".png"


def language_buttons(page) -> dict[str, str]:
    """The sidebar language switch: button label -> aria-checked."""
    return page.evaluate("""() => Object.fromEntries(
        Array.from(document.querySelectorAll('[data-testid="stSidebar"] button[aria-checked]'))
             .map(b => [b.textContent.trim(), b.getAttribute('aria-checked')]))""")


def top_bar_label(page) -> str:
    """The province name drawn highest on the ranking chart (the best province): the names are
    the chart's first text trace (charts.ranking_bars)."""
    names = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot .scatterlayer .trace')[0]
        .querySelectorAll('.textpoint text')).map(e => [e.textContent, e.getBoundingClientRect().top])""")
    assert names, "the ranking chart has no province names"
    return min(names, key=lambda name: name[1])[0].strip()


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_without_error(app_url, new_page, path):
    page = open_page(new_page, app_url, path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / screenshot_name(path)))
    assert page.locator(".js-plotly-plot").count() >= 1
    exceptions = page.locator('[data-testid="stException"], .st-key-unexpected_error')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert page.get_by_text("Page not found").count() == 0, f"{path}: Streamlit says 'Page not found'"


GROWN_MARGINS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
    const layout = gd._fullLayout, own = layout._pushmargin.base, drawn = layout._size;
    const key = ((gd.closest('[class*="st-key-"]') || {}).className || '').match(/st-key-\\S+/);
    const grown = ['l', 'r', 't', 'b'].filter(side => Math.abs(drawn[side] - own[side].size) > 1)
        .map(side => `${side}: ${Math.round(own[side].size)} -> ${drawn[side]}`);
    if ('_redrawFromAutoMarginCount' in layout) grown.push('redrawn for its margins');  // plotly's own count
    return [key ? key[0] : '?', grown]; })"""


# Text no margin grows (the ranking's names and values are text traces) must still lie inside the figure.
CLIPPED_TEXT = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(gd => {
    const box = gd.querySelector('.main-svg').getBoundingClientRect();
    return Array.from(gd.querySelectorAll('.textpoint text, .xtick text, .ytick text, .legendtext, .annotation-text'))
        .map(e => [e.textContent, e.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1
                                           || r.top < box.top - 1 || r.bottom > box.bottom + 1))
        .map(([text, r]) => `${text} (${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)})`); })"""


@pytest.mark.parametrize("path", ["/?province=24", "/ho_so?province=24&lang=en", "/so_sanh?province=24",
                                  "/ho_so?province=24&section=Thứ+hạng+qua+các+năm",
                                  "/ho_so?lang=en&index=PAPI&year=2019&section=Groups+over+time",
                                  "/xep_hang?index=PAPI&year=2019&indicator=D1&lang=en", "/chi_so_yeu?lang=en",
                                  "/ban_do?index=PAPI&year=2023"])
def test_every_figure_fits_its_own_margins(app_url, new_page, path):
    """Labels, ticks and legends fit the margins each figure sets (ui/charts.py): a margin that
    plotly has to grow costs a second full draw of the figure on every change of the page."""
    page = open_page(new_page, app_url, path)
    # plotly loads lazily: wait until every chart element holds a drawn figure (none would pass trivially)
    page.wait_for_function("""() => {
        const drawn = Array.from(document.querySelectorAll('.js-plotly-plot')).filter(gd => gd._fullLayout && gd._fullLayout._size);
        return drawn.length > 0 && drawn.length === document.querySelectorAll('[data-testid="stPlotlyChart"]').length; }""",
                           timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(1000)  # legends and colour bars push their margins after the first pass
    margins = page.evaluate(GROWN_MARGINS)
    assert len(margins) == page.locator('[data-testid="stPlotlyChart"]').count()
    grown = {key: sides for key, sides in margins if sides}
    assert not grown, f"{path}: plotly grew margins {grown}"
    clipped = page.evaluate(CLIPPED_TEXT)
    assert not clipped, f"{path}: text outside its figure {clipped}"


def test_papi_2016_ranking_top_and_coverage(app_url, new_page):
    page = open_page(new_page, app_url, "/xep_hang?index=PAPI&year=2016&indicator=TOTAL")
    assert title(page) == "Xếp hạng PAPI 2016"
    assert top_bar_label(page) == "Cần Thơ"
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Tất cả tỉnh, thành phố đều có dữ liệu" in text
    assert "Không có dữ liệu (" not in text


def test_papi_2014_lists_provinces_without_data(app_url, new_page):
    page = open_page(new_page, app_url, "/xep_hang?index=PAPI&year=2014&indicator=TOTAL")
    line = page.get_by_text("Không có dữ liệu (").inner_text()
    assert "Bắc Giang" in line and "Đồng Tháp" in line, line


def test_shared_link_lands_on_same_view(app_url, new_page):
    page = open_page(new_page, app_url, "/?province=46&lang=en")
    page_not_found = close_page_not_found(page)
    assert "Hue" in title(page)
    assert page.get_by_text("Rank", exact=True).count() >= 1  # English metric labels
    assert query(page).get("lang") == "en"

    choose(page, 0, "Ca Mau")
    wait_for_title(page, "Ca Mau")
    page.wait_for_function("() => new URLSearchParams(location.search).get('province') === '96'")
    assert query(page).get("province") == "96"
    assert query(page).get("lang") == "en", "the language was lost from the URL"
    assert title(page) == "Overview: Ca Mau"
    assert not page_not_found, "/?... shows Streamlit's 'Page not found' dialog"


def test_year_select_updates_title_and_url(app_url, new_page):
    page = open_page(new_page, app_url, "/xep_hang?index=PAPI&year=2016&indicator=TOTAL")
    choose(page, 1, "2015")
    wait_for_title(page, "2015")
    assert title(page) == "Xếp hạng PAPI 2015"
    page.wait_for_function("() => new URLSearchParams(location.search).get('year') === '2015'")
    assert query(page).get("year") == "2015"
    assert language_buttons(page) == {"Tiếng Việt": "true", "English": "false"}, "the language switch lost its value"


def test_a_change_of_selection_is_one_step_in_the_browser_history(app_url, new_page):
    """Opening a page writes nothing to the URL; a change that moves two link keys (the former
    Bắc Giang, `?province=24&era=legacy`, replaced by a 2025 province: `era` goes, `province` changes)
    is one history entry (ui/state.write_links), so Back never stops at a view nobody chose
    (here `?province=24`, the new Bắc Ninh)."""
    page = open_page(new_page, app_url, "/xep_hang")
    settled_url(page)  # any later write would be one more history entry
    opened = page.evaluate("history.length")  # the new tab's blank page, then this one
    assert opened == 2 and query(page) == {}, page.url
    page = open_page(new_page, app_url, "/?province=24&era=legacy")
    settled_url(page)
    assert title(page) == "Tổng quan: Bắc Giang"
    before = page.evaluate("history.length")
    choose(page, 0, "Đà Nẵng")
    wait_for_title(page, "Đà Nẵng")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('era')")
    settled_url(page)
    assert page.evaluate("history.length") == before + 1, page.url
    assert set(query(page)) == {"province"}, page.url


@pytest.mark.parametrize("path", ["/xep_hang?index=SIPAS&year=2022&indicator=TOTAL", "/?province=01"])
def test_demo_data_is_labelled(app_url, new_page, path):
    page = open_page(new_page, app_url, path)
    assert page.get_by_text("Dữ liệu minh họa").first.is_visible()


def test_first_session_after_start_keeps_language(store_path, new_page):
    """The first visitor after a (re)start: a control change must not drop the chosen language."""
    with running_app(store_path) as (base_url, _process):
        page = open_page(new_page, base_url, "/?province=46&lang=en")
        assert title(page) == "Overview: Hue"
        choose(page, 0, "Ca Mau")
        page.wait_for_function("() => new URLSearchParams(location.search).get('province') === '96'")
        wait_until_rendered(page)
        assert title(page) == "Overview: Ca Mau", "the page fell back to Vietnamese"
        assert query(page).get("lang") == "en", "the language was lost from the URL"
        assert language_buttons(page) == {"Tiếng Việt": "false", "English": "true"}
