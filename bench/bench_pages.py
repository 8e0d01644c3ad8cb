"""Render time of every page in headless Chromium, printed as figures.

    .venv/bin/python bench/bench_pages.py [--runs 3]

For each page: navigation start → the script run finished and (where the page has charts) a
plotly chart drawn, in a new Streamlit session of a browser that has the app's files cached
(a returning user) — the median of `--runs` — and once in a fresh browser context (first visit).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e_server import build_store, launch_chromium, running_app  # noqa: E402

PAGES = [
    ("Tổng quan", "/?province=01", True),
    ("Hồ sơ tỉnh", "/ho_so?province=01&index=PAPI&year=2020", True),
    ("Xếp hạng", "/xep_hang?index=PAPI&year=2016&indicator=TOTAL", True),
    ("So sánh", "/so_sanh?province=01&index=PAPI", True),
    ("Bản đồ", "/ban_do?index=PAPI&year=2023", True),
    ("Chỉ số yếu", "/chi_so_yeu?province=01&index=PAPI&year=2016", True),
    ("Mục tiêu", "/muc_tieu?province=01", False),
    ("Nhập dữ liệu", "/nhap_du_lieu", False),
    ("Phương pháp", "/phuong_phap", False),
]


def render(page, url: str, charts: bool) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached", timeout=60_000)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        build_store(db)
        with running_app(db) as (base_url, _), sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            warm_context = browser.new_context(viewport={"width": 1400, "height": 1000})
            render(warm_context.new_page(), base_url + "/", True)  # fills the browser cache and the server cache
            print(f"{'page':<14} {'returning user (median)':>24} {'first visit':>12}")
            for name, path, charts in PAGES:
                samples = []
                for _ in range(args.runs):
                    page = warm_context.new_page()
                    samples.append(render(page, base_url + path, charts))
                    page.close()
                fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
                first = render(fresh.new_page(), base_url + path, charts)
                fresh.close()
                print(f"{name:<14} {statistics.median(samples):>22.2f} s {first:>10.2f} s")
            browser.close()


if __name__ == "__main__":
    main()
