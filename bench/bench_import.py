"""Import timings for the official PAPI 2011-2016 workbook, printed as figures.

    .venv/bin/python bench/bench_import.py [--runs 5]

Builds a fresh store without the embedded PAPI 2011-2016 figures, then measures each step of
the import path (read, plan, preview, commit) and a re-import of the same file (which must
change nothing), the dry run through the command line, and a rollback. Then the whole check
(read in a child process, recognise, match, validate, preview) of every official file in
../shared/data/papi/official, each into a fresh store, with the figures and problems it finds.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.imports import commit_import, prepare_import, reference_from  # noqa: E402
from analytics.ingest import plan_import  # noqa: E402
from analytics.store import EMBEDDED_SOURCES, Store  # noqa: E402
from analytics.workbook import read_workbook  # noqa: E402

WORKBOOK = ROOT.parent / "shared" / "data" / "papi" / "PAPI_2011-2016.xlsx"
OFFICIAL = WORKBOOK.parent / "official"


def timed(function, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        with Store.open(db) as store:
            store.initialise(sources=tuple(s for s in EMBEDDED_SOURCES if s != "papi_2011_2019"))
        rows = []
        read_s, sheets = timed(lambda: read_workbook(WORKBOOK), args.runs)
        rows.append(("read workbook (6 sheets, 66 rows each)", read_s))
        with Store.open(db, read_only=True) as store:
            reference = reference_from(store)
            plan_s, plan = timed(lambda: plan_import(sheets, reference, file_name=WORKBOOK.name, sha256="x"), args.runs)
            rows.append((f"recognise + match + validate ({len(plan.scores)} figures)", plan_s))
            full_s, prepared = timed(lambda: prepare_import(store, WORKBOOK), args.runs)
            rows.append(("whole check incl. preview against the store", full_s))
        with Store.open(db) as store:
            started = time.perf_counter()
            batch = commit_import(store, prepared, imported_by="bench")
            rows.append((f"commit (one transaction, batch #{batch})", time.perf_counter() - started))
            again_s, _ = timed(lambda: commit_import(store, prepare_import(store, WORKBOOK), imported_by="bench"), 1)
            rows.append(("re-import of the same file (no change)", again_s))
            started = time.perf_counter()
            store.rollback(batch, "bench")
            rows.append(("rollback of the batch", time.perf_counter() - started))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "analytics", "import", "--db", str(db), str(WORKBOOK), "--dry-run"],
                       cwd=ROOT, check=True, capture_output=True)
        rows.append(("CLI `import --dry-run` (process start included)", time.perf_counter() - started))
    print(f"Import of {WORKBOOK.name} (median of {args.runs} runs where repeated)")
    for label, seconds in rows:
        print(f"  {label:<52} {seconds * 1000:8.0f} ms")
    official_files()


def official_files() -> None:
    """Whole check of every official PAPI file, no hints but the year of single-year downloads."""
    files = sorted(OFFICIAL.glob("*.xlsx"))
    if not files:
        return
    print(f"Whole check of the {len(files)} official files (fresh store, one run each)")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "fresh.duckdb"
        with Store.open(db) as store:
            store.initialise(sources=())
        with Store.open(db, read_only=True) as store:
            for path in files:
                found = re.fullmatch(r"PAPI (20\d\d) (eng|vie)\.xlsx", path.name)
                started = time.perf_counter()
                prepared = prepare_import(store, path, year=int(found.group(1)) if found else None)
                seconds = time.perf_counter() - started
                plan = prepared.plan
                print(f"  {path.name:<52} {seconds * 1000:8.0f} ms  {len(plan.scores):5d} figures, "
                      f"{len(plan.sheets)} sheets, {len(plan.errors)} errors")


if __name__ == "__main__":
    main()
