"""Helpers for the browser tests and the benchmark: build a store, run the app, start Chromium.

Not a test module: tests/test_e2e_browser.py and bench/bench_app.py import it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HEALTH_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_store(path: str | os.PathLike) -> subprocess.CompletedProcess:
    """`python -m analytics init --db PATH` in the repository root; raises if it fails."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([sys.executable, "-m", "analytics", "init", "--db", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"analytics init failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running_app(db_path: str | os.PathLike, port: int | None = None, log_dir: str | os.PathLike | None = None
                ) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `streamlit run app.py` on 127.0.0.1:PORT against DB_PATH (a DuckDB file or a
    postgresql:// URL); yields (base_url, process).

    The server's output goes to streamlit-PORT.log beside the database (or in LOG_DIR).
    """
    db_path = db_path if str(db_path).startswith("postgresql") else Path(db_path).resolve()
    port = port or free_port()
    log_path = Path(log_dir or Path(db_path).parent) / f"streamlit-{port}.log"
    env = {**os.environ, "GOVINDEX_DB": str(db_path), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while not _healthy(f"{base_url}/_stcore/health"):
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}; log {log_path}:\n"
                                   + _tail(log_path))
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy after {HEALTH_TIMEOUT:.0f} s; log {log_path}:\n"
                                   + _tail(log_path))
            time.sleep(0.2)
        yield base_url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)


def launch_chromium(playwright):
    """The system Chromium, headless (never a downloaded browser build)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def system_chromium():
    """Playwright with the system Chromium, for a module-scoped `browser` fixture."""
    import pytest
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


def settled_url(page, still_ms: int = 1500) -> str:
    """The URL once it has not changed for `still_ms` (a later write would be a history entry)."""
    url, since = page.url, time.monotonic()
    while time.monotonic() - since < still_ms / 1000:
        page.wait_for_timeout(100)
        if page.url != url:
            url, since = page.url, time.monotonic()
    return url
