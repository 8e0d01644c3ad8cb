"""Benchmark of the app as a leader sees it: store build, page renders, control changes, memory.

    .venv/bin/python bench/bench_app.py        (from the repository root; `make bench`)

Prints figures, it asserts nothing. Builds a fresh store in a temporary folder, runs the app with
streamlit on 127.0.0.1 and measures in headless Chromium (/usr/bin/chromium):

  init            wall time of `python -m analytics init` (first build, then two idempotent re-runs)
  cold render     first session after a server start, one fresh server per page:
                  navigation start -> first plotly chart with a trace drawn
  warm render     the same in a new browser context on a warmed server (median of 5); and, for
                  comparison, a new session in a context whose browser cache is already warm
  control change  Enter in a select box -> title shows the new value and the chart is redrawn
                  (median of 5 different values), on the rankings (year) and overview (province)
  memory          VmHWM (peak) and VmRSS of the streamlit process after all the runs
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e_server import build_store, chromium_available, launch_chromium, running_app  # noqa: E402

TARGET_RENDER_S = 1.5
TARGET_CHANGE_MS = 300.0
TARGET_MEMORY_MB = 400.0
WARM_RUNS = 5
TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 1000}

PAGES = [
    "/",
    "/?province=92",
    "/xep_hang?index=PAPI&year=2016&indicator=TOTAL",
    "/xep_hang?index=SIPAS&year=2022&indicator=TOTAL",
    "/xep_hang?index=PAR_INDEX&year=2024&indicator=F3",
    "/xep_hang?index=PAPI&year=2023&indicator=TOTAL&lang=en",
]
RANKINGS_START = "/xep_hang?index=PAPI&year=2016&indicator=TOTAL"
YEARS = ["2015", "2014", "2013", "2012", "2011"]
OVERVIEW_START = "/?province=01"
PROVINCES = ["Cà Mau", "Đà Nẵng", "Lào Cai", "Hải Phòng", "Cần Thơ"]

# Records, relative to navigation start (performance.now()), when the Streamlit script run first
# finished and when the first plotly trace was drawn; and the time of the last Enter key press.
MARKS_SCRIPT = """
(() => {
  const marks = window.__marks = {};
  const check = () => {
    const now = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    if (app) {
      const state = app.getAttribute('data-test-script-state');
      if (state === 'running' && marks.running === undefined) marks.running = now;
      if (state === 'notRunning' && marks.running !== undefined && marks.scriptDone === undefined)
        marks.scriptDone = now;
    }
    if (marks.chart === undefined && document.querySelector('.js-plotly-plot .main-svg .trace'))
      marks.chart = now;
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
  document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__enterAt = performance.now(); },
                            {capture: true});
})();
"""
SIGNATURE = ("() => Array.from(document.querySelectorAll('.js-plotly-plot text'))"
             ".map(e => e.textContent).join('|')")
CHANGED = """
([part, before]) => {
  const h = document.querySelector('h1');
  if (!h || !h.textContent.includes(part) || window.__enterAt === undefined) return false;
  if (!document.querySelector('.js-plotly-plot .main-svg .trace')) return false;
  if ((""" + SIGNATURE + """)() === before) return false;
  return Math.max(performance.now() - window.__enterAt, 0.001);
}
"""


def new_page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(MARKS_SCRIPT)
    return context, context.new_page()


NAN = float("nan")
FAILED = "() => document.querySelector('[data-testid=\"stException\"]') !== null"


def describe(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0][:120]}" if str(error).strip() \
        else type(error).__name__


def check_alive(process, db_path: Path, base_url: str) -> None:
    """Stop the benchmark with the server's log when the server is gone (figures would be void)."""
    if process.poll() is None:
        return
    log = db_path.parent / f"streamlit-{base_url.rsplit(':', 1)[-1]}.log"
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else "(no log)"
    raise SystemExit(f"bench: the streamlit server (pid {process.pid}) exited with {process.returncode} "
                     f"during the measurements; its log ends:\n{tail}")


def page_problems(page) -> list[str]:
    notes = []
    if page.get_by_text("Page not found").count():
        notes.append("'Page not found' dialog")
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        notes.append("exception: " + " ".join(exceptions.first.inner_text().split())[:160])
    return notes


def first_render(browser, url: str, page=None) -> dict:
    """Open URL in a fresh context (or in PAGE, whose browser cache is warm); seconds from
    navigation start to the first drawn chart (nan, with a note, when no chart came)."""
    context = None
    if page is None:
        context, page = new_page(browser)
    try:
        notes = []
        try:
            page.goto(url, wait_until="commit", timeout=10_000)
            page.wait_for_function("() => (window.__marks && window.__marks.chart !== undefined)"
                                   " || (" + FAILED + ")()", timeout=TIMEOUT_MS)
        except Exception as error:  # noqa: BLE001 - reported, the benchmark goes on
            notes.append(f"no chart: {describe(error)}")
        try:  # the run may end after the chart is drawn (cached browser): wait for its end too
            page.wait_for_function("() => window.__marks.scriptDone !== undefined", timeout=15_000)
        except Exception:  # noqa: BLE001 - the phase figure stays nan
            pass
        marks = page.evaluate("() => window.__marks || {}")
        notes += page_problems(page)
        seconds = lambda key: (marks.get(key) or NAN) / 1000  # noqa: E731
        return {"chart": seconds("chart"), "running": seconds("running"), "script": seconds("scriptDone"),
                "notes": notes}
    finally:
        if context is not None:
            context.close()


def control_changes(browser, url: str, selectbox_index: int, labels: list[str],
                    title_part=lambda label: label) -> tuple[list[float], list[str]]:
    """Milliseconds from Enter to the new title and a redrawn chart, once per label."""
    context, page = new_page(browser)
    samples, notes = [], []
    try:
        page.goto(url)
        page.wait_for_function("() => window.__marks && window.__marks.chart !== undefined")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
        for label in labels:
            try:
                before = page.evaluate(SIGNATURE)
                page.locator('[data-testid="stSelectbox"]').nth(selectbox_index).click()
                page.keyboard.type(label)
                page.locator('[role="option"]').first.wait_for()
                page.keyboard.press("Enter")
                handle = page.wait_for_function(CHANGED, arg=[title_part(label), before], polling="raf",
                                                timeout=TIMEOUT_MS)
                samples.append(float(handle.json_value()))
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                       state="attached")
            except Exception as error:  # noqa: BLE001 - reported, the benchmark goes on
                samples.append(NAN)
                notes.append(f"{label}: {describe(error)}")
            time.sleep(0.3)  # let the run settle before the next change
    except Exception as error:  # noqa: BLE001
        notes.append(f"page did not load: {describe(error)}")
    finally:
        notes += page_problems(page)
        context.close()
    return samples, notes


def median(values) -> float:
    """Median of the measured values (failed ones, nan, left out); nan if none."""
    values = [v for v in values if v == v]
    return statistics.median(values) if values else NAN


def memory_mb(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024  # kB -> MB
    return values


def phases(run: dict) -> str:
    """Where the time went: page and websocket up, the script run on the server, chart drawing."""
    return (f"script run {run['running']:.2f} -> {run['script']:.2f} s "
            f"= {run['script'] - run['running']:.2f} s on the server")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3]) + f" on {os.cpu_count()} CPUs"
    except OSError:
        return "unknown"


def verdict(figure: float, target: float) -> str:
    if figure != figure:
        return "NO FIGURE"
    return "ok" if figure <= target else "OVER"


def main() -> int:
    if not chromium_available():
        print("bench: /usr/bin/chromium is missing (make chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, str, str, str]] = []  # (what, figure, target, verdict)
    print(f"load average at start: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="govindex-bench-") as folder:
        db_path = Path(folder) / "govindex.duckdb"

        print("== init (python -m analytics init)", flush=True)
        for run in range(3):
            started = time.perf_counter()
            result = build_store(db_path)
            elapsed = time.perf_counter() - started
            kind = "first build" if run == 0 else f"re-run {run}"
            print(f"  {kind:12s} {elapsed:6.2f} s wall   ({result.stderr.strip().split(': ', 1)[-1]})", flush=True)
            rows.append((f"init, {kind}", f"{elapsed:.2f} s", "", ""))

        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                print("== cold first render (fresh server per page, its first session)", flush=True)
                cold = {}
                for path in PAGES:
                    with running_app(db_path) as (base_url, process):
                        cold[path] = first_render(browser, base_url + path)
                        check_alive(process, db_path, base_url)
                    note = f"   [{', '.join(cold[path]['notes'])}]" if cold[path]["notes"] else ""
                    print(f"  {path:55s} chart {cold[path]['chart']:5.2f} s  ({phases(cold[path])}){note}",
                          flush=True)

                with running_app(db_path) as (base_url, process):
                    print(f"== warm first render (new context, median of {WARM_RUNS}; server pid "
                          f"{process.pid})", flush=True)
                    for path in PAGES:  # warm the server and the data cache
                        first_render(browser, base_url + path)
                        check_alive(process, db_path, base_url)
                    warm = {}
                    for path in PAGES:
                        runs = [first_render(browser, base_url + path) for _ in range(WARM_RUNS)]
                        check_alive(process, db_path, base_url)
                        charts = [r["chart"] for r in runs]
                        warm[path] = median(charts)
                        middle = {key: median(r[key] for r in runs) for key in ("running", "script", "chart")}
                        notes = sorted({note for r in runs for note in r["notes"]})
                        note = f"   [{', '.join(notes)}]" if notes else ""
                        print(f"  {path:55s} chart {warm[path]:5.2f} s  ({phases(middle)})"
                              f"   runs: {' '.join(f'{c:.2f}' for c in charts)}{note}", flush=True)

                    print(f"== warm first render, browser cache warm (same context, new session; median of "
                          f"{WARM_RUNS}; for comparison)", flush=True)
                    cached = {}
                    for path in PAGES:
                        context, page = new_page(browser)
                        first_render(browser, base_url + path, page)
                        runs = [first_render(browser, base_url + path, page) for _ in range(WARM_RUNS)]
                        context.close()
                        check_alive(process, db_path, base_url)
                        cached[path] = median(r["chart"] for r in runs)
                        middle = {key: median(r[key] for r in runs) for key in ("running", "script", "chart")}
                        notes = sorted({note for r in runs for note in r["notes"]})
                        note = f"   [{', '.join(notes)}]" if notes else ""
                        print(f"  {path:55s} chart {cached[path]:5.2f} s  ({phases(middle)}){note}", flush=True)

                    print("== control change (Enter -> new title and redrawn chart)", flush=True)
                    year_ms, year_notes = control_changes(browser, base_url + RANKINGS_START, 1, YEARS,
                                                          title_part=lambda year: f"PAPI {year}")
                    print(f"  rankings year {RANKINGS_START} -> {', '.join(YEARS)}: "
                          + " ".join(f"{m:.0f}" for m in year_ms) + " ms"
                          + (f"   [{'; '.join(year_notes)}]" if year_notes else ""), flush=True)
                    province_ms, province_notes = control_changes(browser, base_url + OVERVIEW_START, 0, PROVINCES)
                    check_alive(process, db_path, base_url)
                    print(f"  overview province {OVERVIEW_START} -> {', '.join(PROVINCES)}: "
                          + " ".join(f"{m:.0f}" for m in province_ms) + " ms"
                          + (f"   [{'; '.join(province_notes)}]" if province_notes else ""), flush=True)

                    check_alive(process, db_path, base_url)
                    memory = memory_mb(process.pid)
            finally:
                browser.close()

    for path in PAGES:
        figure = cold[path]["chart"]
        rows.append((f"cold first render {path}", f"{figure:.2f} s", f"<= {TARGET_RENDER_S} s",
                     verdict(figure, TARGET_RENDER_S)))
    for path in PAGES:
        figure = warm[path]
        rows.append((f"warm first render {path}", f"{figure:.2f} s", f"<= {TARGET_RENDER_S} s",
                     verdict(figure, TARGET_RENDER_S)))
    for path in PAGES:
        figure = cached[path]
        rows.append((f"warm render, cached browser {path}", f"{figure:.2f} s", f"<= {TARGET_RENDER_S} s",
                     verdict(figure, TARGET_RENDER_S)))
    for what, samples in (("change year (rankings)", year_ms), ("change province (overview)", province_ms)):
        figure = median(samples)
        rows.append((what, f"{figure:.0f} ms", f"<= {TARGET_CHANGE_MS:.0f} ms",
                     verdict(figure, TARGET_CHANGE_MS)))
    rows.append(("server peak memory (VmHWM)", f"{memory['VmHWM']:.0f} MB", f"<= {TARGET_MEMORY_MB:.0f} MB",
                 verdict(memory["VmHWM"], TARGET_MEMORY_MB)))
    rows.append(("server memory now (VmRSS)", f"{memory['VmRSS']:.0f} MB", "", ""))

    width = max(len(row[0]) for row in rows)
    print(f"load average at end: {load_average()}")
    print()
    print(f"{'measure':{width}s}  {'figure':>9s}  {'target':>10s}  verdict")
    print("-" * (width + 34))
    for what, figure, target, mark in rows:
        print(f"{what:{width}s}  {figure:>9s}  {target:>10s}  {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
