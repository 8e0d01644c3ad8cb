"""Every page against the framework's floor, in one run (issue 15, item 5).

    .venv/bin/python bench/bench_floor.py [--quick]        (from the repository root; `make bench`)

The floor is bench/floor_app/: the same Streamlit, the same 9 pages and URL paths as app.py, each
page one select box and one 63-bar plotly chart, no data. Builds a fresh store
(`python -m analytics init`) in a temporary folder and measures, floor and product interleaved
(floor page, product page, floor page, ...), each figure the median of the repeats:

  first render   a new browser context (empty cache, new session): navigation start -> the
                 script run finished and (pages with charts) the first chart drawn
  warm render    the same in a new tab of a context that loaded the page before (cache warm)
  change         in that tab, the first select box moved one option down: Enter -> the run
                 finished and the chart redrawn
  script/run     server side, no browser: AppTest in-process, seconds of a rerun of the page
  KB/load        bytes of one first render: HTTP requests and responses (headers + bodies as
                 transferred) and websocket frames; `req` is the number of HTTP requests
  throughput     Hồ sơ (and the floor's page) runs completed per second by 1 and 4 AppTests
                 in threads
  memory         VmRSS / VmHWM of the streamlit process with 1, 10, 30 sessions open
                 (a browser context each, all on the Hồ sơ page), fresh server per app
  scale          analytics.scores.scale.bench_scale() when that module exists

Ratios are to the floor: its median over all its pages (they are the same page). Figures go to
stdout as a table and to bench/results/latest.json. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import floor_browser as fb  # noqa: E402
import floor_server as fs  # noqa: E402
from bench_pages import PAGES  # noqa: E402  (name, product URL, has charts)
from tests.e2e_server import build_store, chromium_available, launch_chromium  # noqa: E402

FLOOR_DIR = BENCH / "floor_app"
PROFILE = next(path for name, path, _ in PAGES if path.startswith("/ho_so"))
RESULTS = BENCH / "results" / "latest.json"
NAN = float("nan")
BROWSER_KEYS = ("first", "warm", "change", "kb", "req", "ws_kb")


def floor_url(path: str) -> str:
    """The floor page at the product page's URL path (no query: the floor reads none)."""
    return path.partition("?")[0]


def url_name(url: str) -> str:
    """The page's name in --pages: its URL path, "tong_quan" for the default page at "/"."""
    return url.partition("?")[0].strip("/") or "tong_quan"


def median(values) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else NAN


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def browser_phase(browser, db: Path, repeats: int, changes: int, results: dict) -> None:
    """First render, warm render, change and bytes of every page, floor and product interleaved."""
    samples = {(app, name): {key: [] for key in BROWSER_KEYS} | {"notes": set()}
               for app in ("floor", "product") for name, _, _ in PAGES}
    with fb.serve(FLOOR_DIR, db) as (floor_base, floor_process), fb.serve(ROOT, db) as (base, process):
        targets = {"floor": (floor_base, floor_url, lambda charts: True), "product": (base, str, bool)}
        warm = {app: fb.new_context(browser) for app in targets}
        log("browser: warming both servers and browser caches (every page once)")
        for _, path, charts in PAGES:
            for app, (server, to_url, has_charts) in targets.items():
                fb.warm_render_and_change(warm[app], server + to_url(path), has_charts(charts), 0)
        for repeat in range(repeats):
            log(f"browser: repeat {repeat + 1}/{repeats}")
            for name, path, charts in PAGES:
                for app, (server, to_url, has_charts) in targets.items():
                    url, charts_here = server + to_url(path), has_charts(charts)
                    first = fb.first_render(browser, url, charts_here)
                    again = fb.warm_render_and_change(warm[app], url, charts_here, changes)
                    record(samples[(app, name)], first, again)
        for app, process_here in (("floor", floor_process), ("product", process)):
            results["memory_after_browser"][app] = fb.memory_mb(process_here.pid)
            warm[app].close()
    for (app, name), values in samples.items():
        figures = {key: median(values[key]) for key in BROWSER_KEYS}
        results["pages"].setdefault(name, {})[app] = figures | {"notes": sorted(values["notes"])}


def record(into: dict, first: dict, again: dict) -> None:
    into["first"].append(first["s"])
    into["kb"].append(first["http_bytes"] / 1024 + first["ws_bytes"] / 1024)
    into["ws_kb"].append(first["ws_bytes"] / 1024)
    into["req"].append(first["requests"])
    into["warm"].append(again["s"])
    into["change"].extend(again["change_s"])
    into["notes"].update(first["notes"] + again["notes"])


def server_phase(repeats: int, runs: int, results: dict) -> None:
    """Seconds per rerun of every page with AppTest in-process, floor and product interleaved."""
    tests = {}
    log("server: starting an AppTest per page (first runs fill the caches)")
    for name, path, _ in PAGES:
        for app, url in (("floor", floor_url(path)), ("product", path)):
            try:
                tests[(app, name)] = fs.page_test(app, url)
            except Exception as error:  # noqa: BLE001 - reported, the benchmark goes on
                results["pages"].setdefault(name, {}).setdefault(app, {}).setdefault("notes", []).append(
                    f"AppTest: {fb.describe(error)}")
    times = {key: [] for key in tests}
    for repeat in range(repeats):
        log(f"server: repeat {repeat + 1}/{repeats}")
        for key, at in tests.items():
            times[key] += fs.script_times(at, key[0], runs)
    for (app, name), values in times.items():
        results["pages"].setdefault(name, {}).setdefault(app, {})["script"] = median(values)
    for name, _, _ in PAGES:
        for app in ("floor", "product"):
            results["pages"].setdefault(name, {}).setdefault(app, {}).setdefault("script", NAN)


def throughput_phase(seconds: float, thread_counts: list[int], results: dict) -> None:
    for threads in thread_counts:
        for app, path in (("floor", floor_url(PROFILE)), ("product", PROFILE)):
            log(f"throughput: {app} {path}, {threads} thread(s), {seconds:.0f} s")
            try:
                figures = fs.throughput(app, path, threads, seconds)
            except Exception as error:  # noqa: BLE001
                figures = {"threads": threads, "runs_per_s": NAN, "errors": [fb.describe(error)]}
            results["throughput"].setdefault(app, {})[str(threads)] = figures


def memory_phase(browser, db: Path, counts: list[int], results: dict) -> None:
    for app, app_dir, path in (("floor", FLOOR_DIR, floor_url(PROFILE)), ("product", ROOT, PROFILE)):
        log(f"memory: {app}, sessions {counts} on {path}")
        with fb.serve(app_dir, db) as (base, process):
            before = fb.memory_mb(process.pid)
            figures = fb.sessions_memory(browser, base, process.pid, path, tuple(counts))
        results["memory"][app] = {"server started": before} | {str(k): v for k, v in figures.items()}


def scale_phase(results: dict) -> None:
    log("scale: analytics.scores.scale.bench_scale()")
    try:
        results["scale"] = fs.scale_figures()
    except Exception as error:  # noqa: BLE001 - the lead's module; report, do not stop
        results["scale"] = {"error": fb.describe(error)}


# -- the report ------------------------------------------------------------------------------------

COLUMNS = (("first", "first render s", "{:.2f}"), ("warm", "warm render s", "{:.2f}"),
           ("change", "change s", "{:.2f}"), ("script", "script s/run", "{:.3f}"),
           ("kb", "KB/load", "{:.0f}"))


def floor_reference(pages: dict) -> dict:
    """The floor's figure per column: the median of its pages' medians."""
    return {key: median(page.get("floor", {}).get(key, NAN) for page in pages.values())
            for key, _, _ in COLUMNS} | {"req": median(page.get("floor", {}).get("req", NAN)
                                                         for page in pages.values())}


def cell(value: float, floor: float, form: str) -> str:
    if value != value:
        return "n/a"
    ratio = value / floor if floor and floor == floor else NAN
    return form.format(value) + (f" ({ratio:.2f}x)" if ratio == ratio else "")


def page_table(results: dict) -> list[str]:
    pages, floor = results["pages"], results["floor"]
    header = f"{'page':<14}" + "".join(f"{title:>22}" for _, title, _ in COLUMNS) + f"{'req':>6}"
    lines = [header, "-" * len(header),
             f"{'floor':<14}" + "".join(f"{cell(floor[key], floor[key], form):>22}"
                                         for key, _, form in COLUMNS) + f"{floor['req']:>6.0f}"]
    for name, _, _ in PAGES:
        figures = pages.get(name, {}).get("product", {})
        lines.append(f"{name:<14}" + "".join(f"{cell(figures.get(key, NAN), floor[key], form):>22}"
                                              for key, _, form in COLUMNS)
                     + f"{figures.get('req', NAN):>6.0f}")
    notes = [f"  {name} ({app}): {'; '.join(figures.get('notes', []))}"
             for name in pages for app, figures in pages[name].items() if figures.get("notes")]
    return lines + (["notes:"] + notes if notes else [])


def other_tables(results: dict) -> list[str]:
    lines = ["", "throughput without a browser (AppTest in-process, page runs completed per second):"]
    for app, by_threads in results["throughput"].items():
        for threads, figures in by_threads.items():
            floor = results["throughput"].get("floor", {}).get(threads, {}).get("runs_per_s", NAN)
            ratio = figures["runs_per_s"] / floor if floor == floor and floor else NAN
            errors = f"   [{'; '.join(figures.get('errors', []))}]" if figures.get("errors") else ""
            lines.append(f"  {app:<8} {threads:>2} thread(s): {figures['runs_per_s']:7.2f} runs/s"
                         f"  ({ratio:.2f}x the floor){errors}")
    lines += ["", "server memory (MB) with open sessions, ratio to 1 session:"]
    for app, by_count in results["memory"].items():
        one = by_count.get("1", {})
        for count, figures in by_count.items():
            ratios = "" if not one or count == "server started" else \
                f"   ({figures['VmRSS'] / one['VmRSS']:.2f}x / {figures['VmHWM'] / one['VmHWM']:.2f}x)"
            lines.append(f"  {app:<8} {count:>14}: VmRSS {figures['VmRSS']:6.0f}  VmHWM "
                         f"{figures['VmHWM']:6.0f}{ratios}")
    for app, figures in results["memory_after_browser"].items():
        lines.append(f"  {app:<8} after the browser runs (all pages): VmRSS {figures['VmRSS']:6.0f}  "
                     f"VmHWM {figures['VmHWM']:6.0f}")
    lines.append("")
    if results["scale"] is None:
        lines.append("scale benchmark: not available")
    else:
        lines.append("scale benchmark (analytics.scores.scale.bench_scale):")
        lines += [f"  {key}: {value}" for key, value in results["scale"].items()]
    return lines


# -- the command -----------------------------------------------------------------------------------

def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat, 1 change, 2 runs: a few minutes")
    parser.add_argument("--repeats", type=int, help="interleaved browser rounds (default 3)")
    parser.add_argument("--changes", type=int, help="select-box changes per warm render (default 2)")
    parser.add_argument("--runs", type=int, help="AppTest reruns per page and round (default 3)")
    parser.add_argument("--seconds", type=float, help="seconds per throughput figure (default 8)")
    parser.add_argument("--sessions", default="1,10,30", help="open sessions for memory (default 1,10,30)")
    parser.add_argument("--pages", help="only these URL paths, e.g. ho_so,phuong_phap (default: all 9)")
    args = parser.parse_args(argv)
    quick = {"repeats": 1, "changes": 1, "runs": 2, "seconds": 4.0}
    full = {"repeats": 3, "changes": 2, "runs": 3, "seconds": 8.0}
    for key, value in (quick if args.quick else full).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.sessions = [int(count) for count in args.sessions.split(",")]
    return args


def main(argv: list[str] | None = None) -> int:
    global PAGES
    args = arguments(argv)
    if args.pages:
        wanted = {name.strip("/") for name in args.pages.split(",")}
        PAGES = [page for page in PAGES if url_name(page[1]) in wanted]
    if not chromium_available():
        print("bench: /usr/bin/chromium is missing (make chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    import streamlit

    started = time.perf_counter()
    results = {"meta": {"streamlit": streamlit.__version__, "cpus": os.cpu_count(), "quick": args.quick,
                        "repeats": args.repeats, "changes": args.changes, "runs": args.runs,
                        "load_start": os.getloadavg()},
               "pages": {}, "throughput": {}, "memory": {}, "memory_after_browser": {}, "scale": None}
    with tempfile.TemporaryDirectory(prefix="govindex-floor-") as folder:
        db = Path(folder) / "govindex.duckdb"
        log(f"building the store {db}")
        build_store(db)
        os.environ["GOVINDEX_DB"] = str(db)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                browser_phase(browser, db, args.repeats, args.changes, results)
                memory_phase(browser, db, args.sessions, results)
            finally:
                browser.close()
        server_phase(args.repeats, args.runs, results)
        throughput_phase(args.seconds, [1, 4], results)
    scale_phase(results)
    results["floor"] = floor_reference(results["pages"])
    results["meta"] |= {"load_end": os.getloadavg(), "seconds": time.perf_counter() - started}
    report(results)
    return 0


def without_nan(value):
    """VALUE with every nan (a figure not measured) as None, so that the file is strict JSON."""
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_nan(item) for item in value]
    return None if isinstance(value, float) and value != value else value


def report(results: dict) -> None:
    meta = results["meta"]
    print(f"bench_floor: Streamlit {meta['streamlit']}, {meta['cpus']} CPUs, load average "
          f"{meta['load_start'][0]:.1f} -> {meta['load_end'][0]:.1f}, {meta['repeats']} repeat(s), "
          f"{meta['seconds'] / 60:.1f} min{' (--quick)' if meta['quick'] else ''}")
    print("medians; (Nx) = ratio to the floor's median over its 9 pages")
    print("\n".join(page_table(results) + other_tables(results)))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(without_nan(results), indent=1, ensure_ascii=False, default=str) + "\n")
    print(f"\nfigures written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
