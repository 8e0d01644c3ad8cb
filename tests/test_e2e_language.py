"""Every page read in each language, in headless Chromium, the way a reader sees it: each tab
opened, each expander unfolded, the text of the page, its charts (svg) and the visible cells of
its tables collected.

- In English no Vietnamese word shows, outside the names of places and the official titles this
  module keeps (`KEPT_WORDS`): a word is Vietnamese when it carries a Vietnamese letter.
- In Vietnamese no number is written with a decimal point (43.77, 0.25): Vietnamese writes 43,77,
  and a point there reads as thousands. A point before exactly three digits is the thousands mark.
- On a 390 px wide phone the profile, the overview and the worklist do not scroll sideways.

The store holds the embedded data and a plan for Hà Nội's PAPI 2016 with one edit, so the plan
and department pages show items, statuses and a change log. Screenshots (desktop and phone, both
languages) go to test-artifacts/screenshots/lang_*.png.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from datetime import date

import pandas as pd
import pytest

from analytics import plans, registry, reports, weak
from analytics.store import Store
from tests.e2e_server import ROOT, build_store, running_app
from tests.workbooks import dimension_workbook, zip_without_workbook
from tests.test_e2e_workflows import _require_browser, browser, no_exception, settled  # noqa: F401  (fixtures)

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
TIMEOUT = 60_000

PAGES = [
    "/?province=01",
    "/ho_so?province=01&index=PAPI&year=2019",
    "/ho_so?province=24&index=PAPI&year=2024",
    "/xep_hang?province=01&index=PCI&year=2019",
    "/so_sanh?province=01&index=PAPI",
    "/ban_do?index=PAR_INDEX&year=2024",
    "/chi_so_yeu?province=01&index=PAPI&year=2016",
    "/ke_hoach?province=01&index=PAPI&year=2016",
    "/so_nganh?province=01",
    "/muc_tieu?province=01",
    "/nhap_du_lieu",
    "/phuong_phap",
]

VIETNAMESE_LETTER = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                               re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Official titles and terms kept in Vietnamese on English pages: the language switch names each
# language in its own tongue; decisions and plans keep their official numbers (QĐ-BNV, KH-UBND).
KEPT_WORDS = {"Tiếng", "Việt", "Ngôn", "ngữ", "QĐ-BNV", "QĐ-UBND", "QĐ-TTg", "KH-UBND", "QĐ"}
# Item numbers in Vietnamese notes ("mục 3.3", "nội dung thành phần 3.3") are not decimals.
SECTION_NUMBER = re.compile(r"(?:mục|phần)\s+\d+\.\d+", re.IGNORECASE)
DECIMAL_POINT = re.compile(r"(?<![\d.,/])\d+\.(?!\d{3}(?!\d))\d+")

# The department and plan editors show each department in the page's language (format_func); the
# accessibility text of their cells is the stored value, the Vietnamese name, so it is not read.
EDITORS = '[class*="st-key-departments_"], [class*="st-key-plan_editor_"]'
COLLECT = """() => {
  const EDITORS = '""" + EDITORS + """';
  const out = [document.body.innerText];
  document.querySelectorAll('.main-svg text').forEach(t => out.push(t.textContent));
  document.querySelectorAll('[role=gridcell], [role=columnheader]').forEach(c => {
    if (!c.closest(EDITORS)) out.push(c.textContent);
  });
  return out.join('\\n');
}"""


def place_words() -> set[str]:
    """Every word of every province name, present and former, in both spellings."""
    names = list(registry.load_provinces()["name"]) + list(registry.load_provinces()["name_en"])
    former = ROOT / "data" / "provinces" / "former.csv"
    names += [v for v in pd.read_csv(former, dtype=str).fillna("").to_numpy().ravel() if isinstance(v, str)]
    return {w for name in names for w in WORD.findall(unicodedata.normalize("NFC", name))}


def vietnamese_words(text: str, kept: set[str]) -> set[str]:
    words = WORD.findall(unicodedata.normalize("NFC", text))
    return {w for w in words if VIETNAMESE_LETTER.search(w) and w not in kept}


def decimal_points(text: str) -> set[str]:
    text = SECTION_NUMBER.sub(" ", text)
    text = re.sub(r"\S+\.(?:xlsx?|csv|png|pdf|docx)\b|https?://\S+|\b[\w.-]+\.(?:vn|org|com)\S*", " ", text)
    return set(DECIMAL_POINT.findall(text))


@pytest.mark.parametrize("text, found", [
    ("Hạng 3/63 · 43,77 điểm · 1.234 người", set()),
    ("Điểm 43.77, thang 0.25-2.5", {"43.77", "0.25", "2.5"}),
    ("mục 3.3 của PAPI 2016", set()),
    ("1.234.567 và 16.000-19.000", set()),
    ("tệp PAPI 2011-2019.xlsx, papi.org.vn", set()),
])
def test_the_decimal_point_check_tells_decimals_from_thousands(text, found):
    assert decimal_points(text) == found


def test_the_word_check_keeps_places_and_titles():
    kept = KEPT_WORDS | place_words()
    assert vietnamese_words("Profile: Hà Nội · Decision 876/QĐ-BNV · Tiếng Việt", kept) == set()
    assert vietnamese_words("Lead: Sở Nội vụ", kept) == {"Sở", "Nội", "vụ"} - kept


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    _require_browser()
    folder = tmp_path_factory.mktemp("e2e_language")
    db_path = folder / "govindex.duckdb"
    build_store(db_path)
    with Store.open(db_path) as store:
        table, indices = reports.build_score_table(store), store.indices()
        assessed = weak.assess_indicators(table, indices, "legacy:01", "PAPI", 2016,
                                          weak.Thresholds.for_index(indices, "PAPI"), store.departments())
        plan_id = store.save_plan(era="legacy", province_code="01", index_code="PAPI", year=2016,
                                  plan_number="125", plan_date=date(2017, 5, 15), saved_by="lan")
        store.add_plan_items(plan_id, plans.items_from_worklist(weak.select_tier(assessed, "priority")), "lan")
        item = int(store.plan_items(plan_id)["item_id"].iloc[0])
        quarter = plans.quarters_of_plan(2016)[-1]
        store.apply_plan_changes(plan_id, pd.DataFrame([
            {"item_id": item, "field": "status", "quarter": quarter, "new_value": "in_progress"},
            {"item_id": item, "field": "support_departments", "quarter": None, "new_value": "Sở Tư pháp;Sở Tài chính"},
        ]), changed_by="lan")
    with running_app(db_path) as (base_url, _process):
        yield base_url


def with_language(path: str, lang: str) -> str:
    if lang == "vi":
        return path
    return path + ("&" if "?" in path else "?") + "lang=" + lang


def shoot(page, lang: str, path: str, width: str = "desktop") -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "overview"
    page.screenshot(path=str(SCREENSHOTS / f"lang_{lang}_{width}_{name}.png"), full_page=True)


def read_everything(page) -> str:
    """The page's text with every tab opened and every expander unfolded, charts and the visible
    table cells included."""
    settled(page)
    page.wait_for_selector("h1")
    page.wait_for_timeout(800)
    settled(page)
    texts = []
    tabs = page.get_by_role("tab")
    for i in range(max(1, tabs.count())):
        if tabs.count():
            tabs.nth(i).click()
            page.wait_for_timeout(300)
            settled(page)
        for summary in page.locator("details:not([open]) > summary").all():
            if summary.is_visible():
                summary.click()
        page.wait_for_timeout(1200)
        settled(page)
        no_exception(page)
        texts.append(page.evaluate(COLLECT))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    context.set_default_timeout(TIMEOUT)
    yield context
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_an_english_page_has_no_vietnamese_word(app, context, path):
    page = context.new_page()
    try:
        page.goto(app + with_language(path, "en"))
        text = read_everything(page)
        shoot(page, "en", path)
        found = vietnamese_words(text, KEPT_WORDS | place_words())
        lines = [line for line in text.splitlines() if vietnamese_words(line, KEPT_WORDS | place_words())]
        assert not found, f"{path}: {sorted(found)}\n" + "\n".join(sorted(set(lines))[:20])
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_vietnamese_page_writes_no_decimal_point(app, context, path):
    page = context.new_page()
    try:
        page.goto(app + path)
        text = read_everything(page)
        shoot(page, "vi", path)
        found = decimal_points(text)
        lines = [line for line in text.splitlines() if decimal_points(line)]
        assert not found, f"{path}: {sorted(found)}\n" + "\n".join(sorted(set(lines))[:20])
    finally:
        page.close()


PHONE_PAGES = ["/ho_so?province=01&index=PAPI&year=2019", "/?province=01", "/chi_so_yeu?province=01&index=PAPI&year=2016"]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", PHONE_PAGES)
def test_a_phone_reads_the_page_without_scrolling_sideways(app, browser, path, lang):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT)
    try:
        page = context.new_page()
        page.goto(app + with_language(path, lang))
        settled(page)
        page.wait_for_selector("h1")
        page.wait_for_timeout(1500)
        settled(page)
        no_exception(page)
        shoot(page, lang, path, "phone")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} ({lang}) scrolls {overflow} px sideways on a 390 px screen"
        charts = page.locator(".js-plotly-plot")
        if charts.count():
            charts.first.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            shoot(page, lang, path, "phone_chart")
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box is None or box["x"] + box["width"] <= 391, f"{path} ({lang}): chart {i} is cut at the right edge"
    finally:
        context.close()


def unreadable_workbook(folder):
    return zip_without_workbook(folder / "PAPI_2016.xlsx")


def workbook_with_a_word_for_a_score(folder):
    rows = [[1, "Hà Nội", 5.1, 5.2, 5.3, 5.4, 6.8, 6.9, 34.7, 1],
            [2, "Hải Phòng", "năm phẩy hai", 5.1, 5.0, 5.9, 6.7, 6.8, 34.6, 2]]
    return dimension_workbook(folder / "PAPI_2016_loi.xlsx", rows)


@pytest.mark.parametrize("make", [unreadable_workbook, workbook_with_a_word_for_a_score])
def test_a_bad_file_is_refused_in_english(app, context, tmp_path, make):
    """The import page in English: the refusal names what is wrong (and, for a cell, its sheet,
    row and column) in English; only what came from the file (quoted «…») may be Vietnamese."""
    page = context.new_page()
    try:
        page.goto(app + "/nhap_du_lieu?lang=en")
        settled(page)
        page.locator('input[type="file"]').set_input_files(str(make(tmp_path)))
        alert = page.locator('[data-testid="stAlert"]').filter(has_text=re.compile("PAPI|file|row|sheet", re.I))
        alert.first.wait_for()
        settled(page)
        no_exception(page)
        shoot(page, "en", f"/nhap_du_lieu_{make.__name__}")
        text = page.evaluate(COLLECT)
        words = vietnamese_words(re.sub(r"«[^»]*»", " ", text), KEPT_WORDS | place_words())
        assert not words, f"{sorted(words)} in: {text}"
        if make is workbook_with_a_word_for_a_score:  # the problems table: sheet, row, column, problem
            cells = page.locator('[role=gridcell], [role=columnheader]').all_inner_texts()
            assert {"Sheet", "Row", "Column", "PAPI 2016", "6", "C"} <= set(cells), cells
            assert any("«năm phẩy hai»" in cell and "number" in cell for cell in cells), cells
    finally:
        page.close()


def test_a_compare_link_opens_the_same_comparison(app, context):
    """The compare page's peers, indicators and years travel in the link (codes, so a Vietnamese
    link opens in English too); another province starts again from its own defaults."""
    page = context.new_page()
    try:
        page.goto(app + "/so_sanh?province=01&index=PAPI&peers=legacy:01,legacy:31,legacy:48"
                        "&indicators=TOTAL,D2&years=2015-2019&lang=en")
        settled(page)
        page.wait_for_selector("h1")
        no_exception(page)
        peers = page.locator('[data-testid="stMultiSelect"]').nth(0).inner_text()
        indicators = page.locator('[data-testid="stMultiSelect"]').nth(1).inner_text()
        assert all(name in peers for name in ("Ha Noi", "Hai Phong", "Da Nang")), peers
        assert "Transparency" in indicators, indicators
        assert page.get_by_text("2015", exact=True).count() and page.get_by_text("2019", exact=True).count()
        # plotly is loaded on first use: its charts can mount after the run has ended
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2")
        assert page.locator(".js-plotly-plot").count() == 2  # one chart per indicator
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.keyboard.type("Can Tho")
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.search.includes('province=92')")
        settled(page)
        no_exception(page)
        assert "peers=" not in page.url and "indicators=" not in page.url, page.url
    finally:
        page.close()
