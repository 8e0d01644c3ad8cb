"""A control change on one page, interleaved between two revisions of the product: which is faster?

    .venv/bin/python bench/ab_change.py "/xep_hang?index=PAPI&year=2016" --a HEAD~1 [--b WORKTREE]

Both revisions are served at once (A from a temporary git worktree, B from a worktree or this
checkout), on one store, and measured in turns: each round opens the page in a new tab of each
server's own warm browser context and moves its first select box CHANGES times, exactly as
bench/bench_floor.py does (`floor_browser.warm_render_and_change`: until every chart has finished
redrawing). Interleaving matters: on a 2-core machine the same page drifts 10-20% between runs
minutes apart, more than most single changes to a chart save.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import floor_browser as fb  # noqa: E402
from tests import e2e_server  # noqa: E402

WORKTREE = "WORKTREE"  # --a/--b value meaning this checkout as it is, uncommitted changes included


@contextlib.contextmanager
def checkout(revision: str, into: Path):
    """The app directory of REVISION: this checkout for WORKTREE, else a detached git worktree
    removed afterwards."""
    if revision == WORKTREE:
        yield ROOT
        return
    path = into / revision.replace("/", "_").replace("~", "-").replace("^", "-")
    subprocess.run(["git", "worktree", "add", "--detach", str(path), revision], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, capture_output=True)


def describe(values: list[float]) -> str:
    if not values:
        return "no figure"
    return f"median {statistics.median(values):.3f} s  ({len(values)} changes: " + \
        ", ".join(f"{v:.3f}" for v in sorted(values)) + ")"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help='page URL path and query, e.g. "/ban_do?index=PAPI&year=2023"')
    parser.add_argument("--a", default="HEAD", help="revision A (default HEAD)")
    parser.add_argument("--b", default=WORKTREE, help=f"revision B (default {WORKTREE}: this checkout)")
    parser.add_argument("--rounds", type=int, default=4, help="rounds after one warm-up round (default 4)")
    parser.add_argument("--changes", type=int, default=3, help="select-box changes per round (default 3)")
    parser.add_argument("--no-charts", action="store_true", help="the page has no plotly chart")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if not e2e_server.chromium_available():
        print("ab_change: /usr/bin/chromium is missing (make chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    charts = not args.no_charts
    results: dict[str, list[float]] = {"A": [], "B": []}
    notes: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="govindex-ab-") as folder, contextlib.ExitStack() as stack:
        db = Path(folder) / "govindex.duckdb"
        built = e2e_server.build_store(db)
        if built.returncode:
            print(built.stderr[-2000:], file=sys.stderr)
            return 1
        apps = {}
        for name, revision in (("A", args.a), ("B", args.b)):
            app_dir = stack.enter_context(checkout(revision, Path(folder)))
            base, _ = stack.enter_context(fb.serve(app_dir, db))
            apps[name] = base
        playwright = stack.enter_context(sync_playwright())
        browser = e2e_server.launch_chromium(playwright)
        contexts = {name: fb.new_context(browser) for name in apps}
        started = time.perf_counter()
        for round_number in range(args.rounds + 1):  # round 0 warms servers and caches, not counted
            for name, base in apps.items():
                outcome = fb.warm_render_and_change(contexts[name], base + args.url, charts, args.changes)
                notes.update(f"{name}: {note}" for note in outcome["notes"])
                if round_number:
                    results[name].extend(outcome["change_s"])
        browser.close()
    print(f"ab_change {args.url}: A = {args.a}, B = {args.b}, {args.rounds} rounds × {args.changes} changes, "
          f"{time.perf_counter() - started:.0f} s")
    for name in ("A", "B"):
        print(f"  {name}: {describe(results[name])}")
    if results["A"] and results["B"]:
        ratio = statistics.median(results["B"]) / statistics.median(results["A"])
        print(f"  B / A = {ratio:.2f}")
    for note in sorted(notes):
        print(f"  note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
