"""Server-side figures for bench/bench_floor.py, without a browser: script time per run and
runs per second with Streamlit's AppTest in-process, and the scale benchmark hook.

The product's store must be built and GOVINDEX_DB set before these run (bench_floor does it).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_DIR = Path(__file__).resolve().parent / "floor_app"
APPS = {"floor": FLOOR_DIR, "product": ROOT}
TIMEOUT_S = 120


@contextmanager
def in_app_dir(app_dir: Path):
    """Run with the app's folder as working directory and first on sys.path, as `streamlit run` does."""
    previous = os.getcwd()
    os.chdir(app_dir)
    sys.path.insert(0, str(app_dir))
    try:
        yield
    finally:
        os.chdir(previous)
        sys.path.remove(str(app_dir))


def quiet_streamlit() -> None:
    """AppTest in threads logs "missing ScriptRunContext" on every run: keep stderr readable."""
    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.state.session_state_proxy"):
        logging.getLogger(name).setLevel(logging.ERROR)


def page_test(app: str, path: str):
    """An AppTest on APP's router, on the page of the URL PATH with its query parameters, after
    one warm-up run of that page (its caches filled)."""
    from streamlit.testing.v1 import AppTest

    quiet_streamlit()
    app_dir = APPS[app]
    route, _, query = path.partition("?")
    name = route.strip("/") or "tong_quan"
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=TIMEOUT_S)
    if app == "product":
        for pair in filter(None, query.split("&")):
            key, _, value = pair.partition("=")
            at.query_params[key] = value
    with in_app_dir(app_dir):  # the first run is the warm-up
        (at.switch_page(f"pages/{name}.py") if name != "tong_quan" else at).run()
    if at.exception:
        raise RuntimeError(f"{app} {path}: " + "; ".join(str(e.value)[:200] for e in at.exception))
    return at


def script_times(at, app: str, runs: int) -> list[float]:
    """Seconds of each of RUNS reruns of the page AT is on (the whole script, as a rerun after a
    widget change costs on the server)."""
    samples = []
    with in_app_dir(APPS[app]):
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - started)
    return samples


def throughput(app: str, path: str, threads: int, seconds: float) -> dict:
    """Page runs completed per second by THREADS AppTests running PATH back to back for about
    SECONDS (in one process: the GIL is shared, as in one streamlit server). A run whose page
    shows an exception is an error, not a run: on CPython 3.11 two AppTests compiling their
    script at once can fail in `ast.parse` ("AST constructor recursion depth mismatch",
    python/cpython#106905); a streamlit server compiles each page once, under a lock."""
    tests = [page_test(app, path) for _ in range(threads)]
    counts = [0] * threads
    errors: list[str] = []
    deadline = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        try:
            while time.perf_counter() < deadline:
                shown = tests[slot].run().exception
                if shown:  # a run that ended on an error is not a page served
                    errors.append(f"exception on the page: {shown[0].value}"[:160])
                    continue
                counts[slot] += 1
        except Exception as error:  # noqa: BLE001 - reported
            errors.append(f"{type(error).__name__}: {error}"[:160])

    with in_app_dir(APPS[app]):
        started = time.perf_counter()
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        elapsed = time.perf_counter() - started
    counted = [f"{n}x {error}" for error, n in Counter(errors).most_common()]
    return {"threads": threads, "runs": sum(counts), "seconds": elapsed,
            "runs_per_s": sum(counts) / elapsed if elapsed else float("nan"), "errors": counted}


def scale_figures() -> dict | None:
    """`analytics.scores.scale.bench_scale()`'s figures, or None when the module or function is absent."""
    try:
        module = importlib.import_module("analytics.scores.scale")
    except ModuleNotFoundError as error:
        if error.name and "analytics.scores.scale".startswith(error.name):
            return None
        raise
    bench_scale = getattr(module, "bench_scale", None)
    if bench_scale is None:
        return None
    started = time.perf_counter()
    figures = dict(bench_scale())
    figures.setdefault("bench_scale wall s", time.perf_counter() - started)
    return figures
