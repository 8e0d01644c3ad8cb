"""Browser-side figures for bench/bench_floor.py, in headless Chromium (tests/e2e_server.py):
render in a fresh context, render with a warm browser cache, a select-box change, bytes per page
load, and the server's memory with many open sessions.

All times are read in the page from performance.now() (0 = navigation start), so Playwright's
own round trips do not count.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from tests import e2e_server
from tests.e2e_server import running_app

NAN = float("nan")
TIMEOUT_MS = 90_000
REDRAW_GRACE_MS = 3_000
SETTLE_MS = 300
CHART_QUIET_MS = 250
VIEWPORT = {"width": 1400, "height": 1000}
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SELECTBOX = '[data-testid="stMain"] [data-testid="stSelectbox"]'

# window.__m: running/done = last script run seen start/finish; chart = first plotly trace drawn;
# settled = the last change inside the main area after a run finished (pages without charts);
# after an Enter key press: enter, cRun (a run started), cDone (that run finished), cChart (first
# mutation inside a plotly chart), cChartLast (the latest one). A redraw is a burst of thousands
# of mutations, often a second burst 30-50 ms later (plotly's margin pass), and the first
# mutation can be a lone attribute set ~100 ms before it: the change counts until the charts have
# been quiet for CHART_QUIET_MS after both the run's end and their last mutation.
MARKS = """
(() => {
  const m = window.__m = {};
  const inChart = n => { const e = n && (n.nodeType === 1 ? n : n.parentElement);
                         return !!(e && e.closest && e.closest('.js-plotly-plot')); };
  const inMain = n => { const e = n && (n.nodeType === 1 ? n : n.parentElement);
                        return !!(e && e.closest && e.closest('[data-testid="stMain"]')); };
  const check = mutations => {
    const now = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    if (state === 'running') { m.running = now; if (m.enter !== undefined && m.cRun === undefined) m.cRun = now; }
    if (state === 'notRunning') {
      if (m.running !== undefined && (m.done === undefined || m.done < m.running)) m.done = now;
      if (m.cRun !== undefined && m.cDone === undefined) m.cDone = now;
    }
    if (m.chart === undefined && document.querySelector('.js-plotly-plot .main-svg .trace')) m.chart = now;
    if (m.done !== undefined && m.cRun === undefined && mutations.some(x => inMain(x.target))) m.settled = now;
    if (m.enter !== undefined && mutations.some(x => inChart(x.target))) {
      if (m.cChart === undefined) m.cChart = now;
      m.cChartLast = now;
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true,
                                                 characterData: true});
  document.addEventListener('keydown', e => {
    if (e.key !== 'Enter') return;
    m.enter = performance.now(); m.cRun = m.cDone = m.cChart = m.cChartLast = undefined;
  }, {capture: true});
})();
"""
RENDERED = """charts => {
  const m = window.__m || {};
  if (document.querySelector('[data-testid="stException"]')) return 'exception';
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
  if (!idle || m.done === undefined) return false;
  if (charts) return m.chart !== undefined;
  // Without a chart: the main area has stopped changing for """ + str(SETTLE_MS) + """ ms (widgets are
  // loaded lazily and appear 0.1-0.2 s after the run ends).
  return performance.now() - Math.max(m.done, m.settled || 0) > """ + str(SETTLE_MS) + """;
}"""
CHANGED = """charts => {
  const m = window.__m;
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
  const finished = m.cDone !== undefined || (idle && m.cChart !== undefined);
  const now = performance.now();
  return finished && (!charts
                      || (m.cChart !== undefined
                          && now - Math.max(m.cDone || 0, m.cChartLast) > """ + str(CHART_QUIET_MS) + """)
                      || now - (m.cDone || m.enter) > """ + str(REDRAW_GRACE_MS) + """);
}"""


@contextlib.contextmanager
def serve(app_dir: Path, db_path: Path):
    """tests/e2e_server.running_app for the app in APP_DIR (its app.py, that folder as cwd)."""
    saved = e2e_server.ROOT
    e2e_server.ROOT = app_dir
    try:
        server = running_app(db_path)
        base_url, process = server.__enter__()
    finally:
        e2e_server.ROOT = saved
    try:
        yield base_url, process
    finally:
        server.__exit__(None, None, None)


def new_context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(MARKS)
    return context


def wait_rendered(page, charts: bool) -> tuple[float, list[str]]:
    """Seconds from navigation start until the script run finished and (CHARTS) a chart was drawn."""
    state = page.wait_for_function(RENDERED, arg=charts, timeout=TIMEOUT_MS).json_value()
    marks = page.evaluate("() => window.__m")
    notes = ["exception on the page"] if state == "exception" else []
    drawn = (marks.get("chart") or 0) if charts else (marks.get("settled") or 0)
    return max(marks.get("done") or 0, drawn) / 1000, notes


def transfer_counter(context) -> tuple[list, list]:
    """Requests finished in CONTEXT and websocket frame sizes, filled as the page loads."""
    requests, frames = [], []

    def on_socket(socket) -> None:
        for event in ("framereceived", "framesent"):
            socket.on(event, lambda payload: frames.append(
                len(payload.encode() if isinstance(payload, str) else payload)))

    context.on("requestfinished", lambda request: requests.append(request))
    context.on("page", lambda page: page.on("websocket", on_socket))
    return requests, frames


def first_render(browser, url: str, charts: bool) -> dict:
    """A new browser context (empty cache, new session): render seconds, bytes transferred."""
    context = new_context(browser)
    requests, frames = transfer_counter(context)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        seconds, notes = wait_rendered(page, charts)
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=10_000)
        http = 0
        for request in list(requests):
            sizes = request.sizes()
            http += sum(sizes[key] for key in ("requestHeadersSize", "requestBodySize",
                                               "responseHeadersSize", "responseBodySize"))
        return {"s": seconds, "http_bytes": http, "ws_bytes": sum(frames), "requests": len(requests),
                "notes": notes}
    except Exception as error:  # noqa: BLE001 - reported, the benchmark goes on
        return {"s": NAN, "http_bytes": NAN, "ws_bytes": NAN, "requests": NAN, "notes": [describe(error)]}
    finally:
        context.close()


def warm_render_and_change(context, url: str, charts: bool, changes: int) -> dict:
    """A new page (new session) in CONTEXT, whose browser cache is warm: render seconds; then
    CHANGES times the first select box moved one option down: seconds from Enter to the run's end
    and the chart's redraw finished (its last mutation)."""
    page = context.new_page()
    result = {"s": NAN, "change_s": [], "notes": []}
    try:
        page.goto(url, wait_until="commit")
        result["s"], result["notes"] = wait_rendered(page, charts)
        if page.locator(SELECTBOX).count() == 0:
            result["notes"].append("no select box")
            return result
        for _ in range(changes):
            page.wait_for_timeout(300)  # the run settled
            page.locator(SELECTBOX).first.click()
            page.locator('[role="option"]').first.wait_for()
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            page.wait_for_function(CHANGED, arg=charts, timeout=TIMEOUT_MS, polling=50)
            marks = page.evaluate("() => window.__m")
            end = max(marks.get("cDone") or 0, marks.get("cChartLast") or 0)
            if charts and marks.get("cChart") is None:
                result["notes"].append("chart not redrawn")
            result["change_s"].append((end - marks["enter"]) / 1000)
    except Exception as error:  # noqa: BLE001 - reported, the benchmark goes on
        result["notes"].append(describe(error))
    finally:
        page.close()
    return result


def describe(error: Exception) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0][:100]}" if text else type(error).__name__


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of process PID, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def sessions_memory(browser, base_url: str, pid: int, path: str, counts=(1, 10, 30),
                    batch: int = 5) -> dict[int, dict]:
    """The server's memory with 1, 10, 30 sessions open (one browser context each, all on PATH),
    opened BATCH at a time; read 1 s after the last one rendered."""
    contexts, figures = [], {}
    try:
        for count in counts:
            while len(contexts) < count:
                pages = []
                for _ in range(min(batch, count - len(contexts))):
                    context = new_context(browser)
                    contexts.append(context)
                    page = context.new_page()
                    page.goto(base_url + path, wait_until="commit")
                    pages.append(page)
                for page in pages:
                    with contextlib.suppress(Exception):
                        page.wait_for_function(RENDERED, arg=False, timeout=TIMEOUT_MS)
            time.sleep(1.0)
            figures[count] = memory_mb(pid)
    finally:
        for context in contexts:
            with contextlib.suppress(Exception):
                context.close()
    return figures
