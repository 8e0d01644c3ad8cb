"""The 34-province present in headless Chromium: a store with a PAPI 2025 workbook on the 34
imported, every leader page for a merged province (Bắc Ninh 24), a code that moved (Gia Lai 52 /
former Bình Định 52), an unchanged one (Hà Nội) and the former provinces behind them, in both
languages. Screenshots go to test-artifacts/screenshots/present_*.png.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.e2e_server import ROOT, build_store, running_app
from tests.present_map import papi_present_workbook
from tests.test_e2e_workflows import _require_browser, browser, no_exception, page, settled  # noqa: F401  (fixtures)

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    _require_browser()
    folder = tmp_path_factory.mktemp("e2e_present")
    db_path = folder / "govindex.duckdb"
    build_store(db_path)
    workbook = papi_present_workbook(folder / "PAPI_2025.xlsx")
    result = subprocess.run([sys.executable, "-m", "analytics", "import", str(workbook), "--db", str(db_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with running_app(db_path) as (base_url, _process):
        yield base_url


def open_settled(page, url: str) -> str:
    page.goto(url)
    settled(page)
    page.wait_for_selector("h1")
    page.wait_for_timeout(500)
    settled(page)
    no_exception(page)
    return page.locator('[data-testid="stMain"]').inner_text()


def text_with(page, *wanted: str) -> str:
    """The page's text once it shows one of `wanted`: the cards' metrics come from a component
    loaded on first use and, on a slow machine, can arrive after the run has ended."""
    page.wait_for_function("""wanted => { const text = document.querySelector('[data-testid=stMain]').innerText;
                                           return wanted.some(w => text.includes(w)); }""", arg=list(wanted))
    return page.locator('[data-testid="stMain"]').inner_text()


def shoot(page, path: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
    page.screenshot(path=str(SCREENSHOTS / f"present_{name}.png"), full_page=True)


def test_merged_province_overview_shows_its_predecessors(app, page):
    open_settled(page, app + "/?province=24")
    text = text_with(page, "/34")
    assert page.locator("h1").first.inner_text() == "Tổng quan: Bắc Ninh"
    assert "hợp nhất từ: Bắc Giang, Bắc Ninh" in text
    assert "/34" in text and "Bắc Giang (tỉnh cũ) · 2024" in text and "Bắc Ninh (tỉnh cũ) · 2024" in text
    shoot(page, "/?province=24")


def test_legacy_link_is_the_former_province(app, page):
    open_settled(page, app + "/?province=24&era=legacy")
    assert page.locator("h1").first.inner_text() == "Tổng quan: Bắc Giang"
    assert "era=legacy" in page.url


PAGES = [
    "/ho_so?province=24&index=PAPI&year=2025",
    "/ho_so?province=24&index=PAPI&year=2024",
    "/ho_so?province=52&index=PAPI&year=2025",
    "/ho_so?province=52&era=legacy&index=PAPI&year=2024",
    "/ho_so?province=24&index=PAPI&year=2025&lang=en",
    "/xep_hang?province=24&index=PAPI&year=2025",
    "/ban_do?province=24&index=PAPI&year=2025",
    "/so_sanh?province=24&index=PAPI",
    "/chi_so_yeu?province=24&index=PAPI&year=2025",
    "/chi_so_yeu?province=27&era=legacy&index=PAPI&year=2025",
    "/muc_tieu?province=24",
    "/?province=01&lang=en",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_on_the_present_map_load(app, page, path):
    text = open_settled(page, app + path)
    shoot(page, path)
    if "ho_so" in path and "2025" in path:
        text = text_with(page, "/34", "of 34")
        assert "/34" in text or "of 34" in text
    if "era=legacy" in path and "2024" in path:
        assert "/61" in text_with(page, "/61")  # PAPI 2024 ranked 61 of the 63


def test_profile_of_a_2025_province_in_2024_offers_each_predecessor(app, page):
    open_settled(page, app + "/ho_so?province=24&index=PAPI&year=2024")
    radio = page.locator('[data-testid="stRadio"]').first
    assert "Bắc Giang" in radio.inner_text() and "Bắc Ninh" in radio.inner_text()
    radio.get_by_text("Bắc Ninh", exact=True).click()
    settled(page)
    page.wait_for_timeout(500)
    settled(page)
    no_exception(page)
    shoot(page, "/ho_so?province=24&year=2024&predecessor=27")
