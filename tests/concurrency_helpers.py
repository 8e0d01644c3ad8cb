"""Stores, small PAPI 2016 workbooks and command-line runs for the concurrency, crash and
benchmark scripts. Not a test module."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pandas as pd

from analytics.imports import prepare_import
from analytics.store import Store
from tests import pgserver
from tests.workbooks import dimension_workbook

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = ["Hà Nội", "Cần Thơ", "Hải Phòng", "Đà Nẵng", "Nghệ An", "Lào Cai", "Bình Định", "Cà Mau",
             "Sơn La", "Gia Lai", "Long An", "Huế"]
CLI_ENV = {**os.environ, "GOVINDEX_LOCK_TIMEOUT": "90"}


@contextlib.contextmanager
def store_on(backend: str, folder: Path, sources: tuple[str, ...] | None = None) -> Iterator[Path | str]:
    """A built store on `backend` ("duckdb" or "postgresql"), removed afterwards."""
    if backend == "duckdb":
        target = folder / "govindex.duckdb"
        Store.open(target).initialise(sources=sources)
        yield target
        return
    with pgserver.database("govindex_conc") as url:
        Store.open(url).initialise(sources=sources)
        yield url


def papi_workbook(folder: Path, name: str, provinces: list[str], shift: float) -> Path:
    """PAPI 2016 dimensions and total for `provinces`, every figure moved by `shift`."""
    rows = []
    for number, province in enumerate(provinces, start=1):
        dims = [round(4.0 + 0.1 * k + 0.05 * number + shift, 4) for k in range(6)]
        rows.append([number, province, *dims, round(sum(dims), 4), number])
    return dimension_workbook(folder / name, rows)


def planned_scores(target, path: Path) -> pd.DataFrame:
    """The figures the importer will write for `path` (what the reference model applies)."""
    prepared = prepare_import(Store.open(target, read_only=True), path)
    assert not prepared.plan.errors, [p.describe() for p in prepared.plan.errors]
    return prepared.plan.scores


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True,
                          env=CLI_ENV, timeout=timeout)


def cli_import(target, path: Path, user: str = "test") -> subprocess.CompletedProcess:
    return cli("import", str(path), "--db", str(target), "--replace", "--user", user)


def batch_of(result: subprocess.CompletedProcess) -> int:
    match = re.search(r"Đã nhập lô #(\d+)", result.stderr)
    assert match, result.stderr
    return int(match.group(1))


def start_import(target, path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analytics", "import", str(path), "--db", str(target), "--replace"],
                            cwd=ROOT, env=CLI_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
