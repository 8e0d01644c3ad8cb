"""Many users, one store: app servers serving pages in headless Chromium while command-line
imports and rollbacks run at once, on each backend (one app server on a DuckDB file, two on one
PostgreSQL database); then the full dump equals the reference model. An open session shows the
new figures on its next interaction, without a restart.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time

import pytest

from analytics.store import Store
from tests.concurrency_helpers import (PROVINCES, batch_of, cli, cli_import, papi_workbook, planned_scores,
                                       store_on)
from tests.e2e_server import chromium_available, launch_chromium, running_app
from tests.conftest import crashed
from tests.store_model import Model, assert_same_dump, dump

WORKERS = 4          # 4 workers x 5 commands = 20 imports and rollbacks
PAGES = ["/xep_hang?index=PAPI&year=2016&indicator=TOTAL", "/?province=01"]
RENDER_TIMEOUT_MS = 90_000


def _worker_files(folder, target, worker: int):
    provinces = PROVINCES[2 * worker: 2 * worker + 2]
    files = [papi_workbook(folder, f"w{worker}_v{v}.xlsx", provinces, 0.01 * v + 0.001 * worker) for v in (1, 2, 3)]
    return files, [planned_scores(target, path) for path in files]


def _run_worker(target, files, outcomes: list) -> None:
    """import v1, import v2, roll v2 back, import v3, roll v1 back (refused: v3 changed its figures)."""
    time.sleep(random.uniform(0, 1.5))
    first = cli_import(target, files[0])
    second = cli_import(target, files[1])
    undo_second = cli("rollback", str(batch_of(second)), "--db", str(target))
    third = cli_import(target, files[2])
    undo_first = cli("rollback", str(batch_of(first)), "--db", str(target))
    outcomes.append((files, first, second, undo_second, third, undo_first))


def _expected(start, worker_files, worker_scores) -> Model:
    model = Model(start)
    for files, scores in zip(worker_files, worker_scores):
        model.apply_import(files[0].name, scores[0])
        model.apply_import(files[1].name, scores[1])
        assert model.rollback(files[1].name)
        model.apply_import(files[2].name, scores[2])
        assert not model.rollback(files[0].name)
    return model


def _page_problems(page) -> list[str]:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached",
                           timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector("h1", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached",
                           timeout=RENDER_TIMEOUT_MS)
    problems = []
    if page.locator('[data-testid="stException"], .st-key-unexpected_error').count():
        problems.append("exception: " + page.locator('[data-testid="stException"], .st-key-unexpected_error').first.inner_text()[:300])
    body = page.locator("body").inner_text()
    for sign in ("Traceback", "đang giữ cơ sở dữ liệu", "Could not set lock", "Lỗi truy vấn"):
        if sign in body:
            problems.append(f"{sign!r} on the page")
    return problems


def _browse_until(done: threading.Event, urls: list[str]) -> tuple[int, list[str]]:
    """Load pages on every app server, in fresh sessions, until `done`; (loads, problems)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    loads, problems = 0, []
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        while not done.is_set() or loads < 2 * len(urls):
            url = urls[loads % len(urls)] + PAGES[(loads // len(urls)) % len(PAGES)]
            context = browser.new_context(viewport={"width": 1200, "height": 1200})
            context.set_default_timeout(RENDER_TIMEOUT_MS)
            page = context.new_page()
            page.goto(url)
            problems += [f"{url}: {p}" for p in _page_problems(page)]
            context.close()
            loads += 1
        browser.close()
    return loads, problems


@pytest.mark.parametrize("backend, servers", [("duckdb", 1), ("postgresql", 2)])
def test_pages_and_twenty_imports_and_rollbacks_at_once_leave_the_reference_state(tmp_path, backend, servers):
    if not chromium_available():
        pytest.skip("/usr/bin/chromium is not installed")
    with store_on(backend, tmp_path) as target:
        worker_files, worker_scores = zip(*[_worker_files(tmp_path, target, w) for w in range(WORKERS)])
        expected = _expected(dump(target), worker_files, worker_scores)
        with contextlib.ExitStack() as stack:
            urls = [stack.enter_context(running_app(target, log_dir=tmp_path))[0] for _ in range(servers)]
            outcomes: list = []
            threads = [threading.Thread(target=_run_worker, args=(target, files, outcomes)) for files in worker_files]
            done = threading.Event()
            for thread in threads:
                thread.start()
            watcher = threading.Thread(target=lambda: ([t.join() for t in threads], done.set()))
            watcher.start()
            loads, problems = _browse_until(done, urls)
            watcher.join()
        assert len(outcomes) == WORKERS
        for files, *results in outcomes:
            *succeeded, refused = results
            for result in succeeded:
                assert result.returncode == 0, (files[0].name, result.stderr[-2000:])
            assert refused.returncode == 2 and "nhập sau" in refused.stderr, refused.stderr[-2000:]
            assert all("Traceback" not in r.stderr for r in results)
        assert problems == [], problems
        assert loads >= 2 * servers
        assert_same_dump(dump(target), expected.frames())


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_an_open_session_shows_new_figures_on_its_next_interaction(tmp_path, backend, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from tests.concurrency_helpers import ROOT
    with store_on(backend, tmp_path) as target:
        monkeypatch.setenv("GOVINDEX_DB", str(target))
        monkeypatch.chdir(ROOT)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update({"index": "PAPI", "year": "2016", "indicator": "TOTAL"})
        at.run()
        at.session_state["numbers_ranking"] = True  # the rankings table is built once its expander is open
        at.switch_page("pages/xep_hang.py").run()
        assert not at.exception and not crashed(at), crashed(at)

        def ha_noi_total() -> float:
            table = at.dataframe[0].value
            shown = table.loc[table["Tỉnh, thành phố"] == "Hà Nội"].iloc[0, :].filter(like="Điểm").iloc[0]
            return float(str(shown).replace(".", "").replace(",", "."))  # shown as Vietnamese text, 33,8060
        before = ha_noi_total()
        result = cli_import(target, papi_workbook(tmp_path, "moi.xlsx", ["Hà Nội"], 1.0))
        assert result.returncode == 0, result.stderr
        at.run()  # the next interaction of the same session
        assert not at.exception and not crashed(at), crashed(at)
        stored = Store.open(target, read_only=True).scores("PAPI", 2016).query(
            "province_code == '01' and indicator_code == 'TOTAL'")["value"].item()
        assert ha_noi_total() == pytest.approx(stored) and stored != pytest.approx(before)
