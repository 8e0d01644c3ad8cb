"""Many users at once: page render and a command-line import with 1, 10 and 30 concurrent browser
sessions, on each backend, printed as figures and as ratios to the single-user case.

    .venv/bin/python bench/bench_concurrency.py [--sessions 1 10 30] [--loads 2] [--backends duckdb postgresql]

DuckDB: one app server on a file. PostgreSQL: two app servers on one database (sessions spread
over both), on the server tests/pgserver.py finds or starts. Each session is a fresh Streamlit
session in headless Chromium loading the rankings page `--loads` times (navigation start → script
run over and the chart drawn). Then, with the same sessions still loading pages, one import of a
small PAPI 2016 workbook through `python -m analytics import` (process start → exit, waiting its
turn included) and its rollback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.concurrency_helpers import PROVINCES, CLI_ENV, papi_workbook, store_on  # noqa: E402
from tests.e2e_server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

PAGE = "/xep_hang?index=PAPI&year=2016&indicator=TOTAL"
TIMEOUT_MS = 300_000


async def _render(page, url: str) -> float:
    started = time.perf_counter()
    await page.goto(url, timeout=TIMEOUT_MS)
    await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached",
                                 timeout=TIMEOUT_MS)
    return time.perf_counter() - started


async def _session(browser, url: str, loads: int, times: list, stop: asyncio.Event | None) -> None:
    """Load the page `loads` times (or until `stop`); a load that times out is counted as inf."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    done = 0
    while (stop is None and done < loads) or (stop is not None and not stop.is_set()):
        try:
            times.append(await _render(page, url))
        except Exception:  # noqa: BLE001 - a timed-out load, reported in the figures
            times.append(float("inf"))
        done += 1
    await context.close()


async def _cli(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "analytics", *args, cwd=ROOT, env=CLI_ENV,
                                                   stderr=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL)
    _, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(err.decode())
    return time.perf_counter() - started, err.decode()


async def _level(browser, urls: list[str], sessions: int, loads: int, target, workbook: Path) -> dict:
    times: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*[_session(browser, urls[i % len(urls)] + PAGE, loads, times, None) for i in range(sessions)])
    wall = time.perf_counter() - started
    stop, busy = asyncio.Event(), []
    browsing = [asyncio.create_task(_session(browser, urls[i % len(urls)] + PAGE, 0, busy, stop))
                for i in range(sessions)]
    await asyncio.sleep(1.0)
    imported, out = await _cli("import", str(workbook), "--db", str(target), "--replace")
    batch = out.split("Đã nhập lô #")[1].split(":")[0]
    rolled, _ = await _cli("rollback", batch, "--db", str(target))
    stop.set()
    await asyncio.gather(*browsing)
    return {"median": statistics.median(times), "p95": sorted(times)[int(0.95 * (len(times) - 1))],
            "wall": wall, "import": imported, "rollback": rolled, "loads_during": len(busy),
            "timeouts": sum(t == float("inf") for t in times + busy)}


async def _backend(backend: str, levels: list[int], loads: int, folder: Path) -> list[tuple[int, dict]]:
    from playwright.async_api import async_playwright
    servers = 1 if backend == "duckdb" else 2
    with store_on(backend, folder) as target, contextlib.ExitStack() as stack:
        urls = [stack.enter_context(running_app(target, log_dir=folder))[0] for _ in range(servers)]
        workbook = papi_workbook(folder, f"bench_{backend}.xlsx", PROVINCES[:4], 0.37)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await asyncio.gather(*[_session(browser, url + PAGE, 1, [], None) for url in urls])  # warm caches
            results = [(n, await _level(browser, urls, n, loads, target, workbook)) for n in levels]
            await browser.close()
    return results


def _print(backend: str, servers: int, results: list[tuple[int, dict]]) -> None:
    base = results[0][1]
    print(f"\n{backend} ({servers} app server{'s' if servers > 1 else ''})")
    print(f"{'sessions':>8} {'render median':>14} {'p95':>7} {'ratio':>6} {'all loads':>10} "
          f"{'import':>8} {'ratio':>6} {'rollback':>9} {'ratio':>6} {'timeouts':>9}")
    for n, r in results:
        print(f"{n:>8} {r['median']:>12.2f} s {r['p95']:>5.2f} s {r['median'] / base['median']:>5.1f}x "
              f"{r['wall']:>8.1f} s {r['import']:>6.2f} s {r['import'] / base['import']:>5.1f}x "
              f"{r['rollback']:>7.2f} s {r['rollback'] / base['rollback']:>5.1f}x {r['timeouts']:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--loads", type=int, default=2, help="page loads per session (default 2)")
    parser.add_argument("--backends", nargs="+", default=["duckdb", "postgresql"])
    args = parser.parse_args()
    for backend in args.backends:
        with tempfile.TemporaryDirectory() as folder:
            results = asyncio.run(_backend(backend, args.sessions, args.loads, Path(folder)))
        _print(backend, 1 if backend == "duckdb" else 2, results)


if __name__ == "__main__":
    main()
