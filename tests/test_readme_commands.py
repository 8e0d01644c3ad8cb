"""Every command line of the README's "Command line" block runs as written, in order, on a fresh
store (`--db` added to each command that takes it, placeholders filled with real files and ids),
and every one of them accepts `--db`."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from analytics.store import Store
from tests.conftest import REPO
from tests.test_plan_sheet import fill, first_row
from tests.present_map import papi_present_workbook

BLOCK = re.compile(r"## Command line\n.*?```(?:bash|sh)?\n(.*?)```", re.S)


def readme_commands() -> list[str]:
    """The README's command lines (comments and optional `[...]` parts left out)."""
    block = BLOCK.search((REPO / "README.md").read_text(encoding="utf-8")).group(1)
    lines = []
    for line in block.splitlines():
        line = line.split("  #")[0].strip()
        if line.startswith("python -m analytics"):
            lines.append(re.sub(r"\s*\[[^\]]*\]", "", line).strip())
    return lines


def test_the_readme_lists_the_commands():
    commands = {shlex.split(c)[3] for c in readme_commands()}
    assert {"init", "scores", "import", "rollback", "weak", "plan", "brief", "report"} <= commands


def run(args: list[str], cwd, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("GOVINDEX_DB", None)
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)


def with_ids(args: list[str], db, last: dict) -> list[str]:
    """Placeholders of the README (BATCH_ID, --edit 3, FILE.xlsx) filled from what ran before."""
    out = [last.get(a, a) for a in args]
    if "rollback" in out and out[0] == "rollback":
        with Store.open(db, read_only=True) as store:
            batches = store.batches()
        out[1] = str(int(batches.loc[batches["source_id"] == "import", "batch_id"].max()))
    if out[:2] == ["plan", "rollback"]:
        out[out.index("--edit") + 1] = last["edit"]
    return out


def test_every_readme_command_line_runs_with_db(tmp_path):
    db = tmp_path / "readme.duckdb"
    papi_present_workbook(tmp_path / "FILE.xlsx", 2025)  # a new year: imported without --replace
    last: dict[str, str] = {}
    for line in readme_commands():
        args = shlex.split(line)[3:]
        args = with_ids(args, db, last)
        if args[:2] == ["plan", "import"]:
            exported = (tmp_path / "ke_hoach.xlsx").read_bytes()
            r = first_row(exported)
            (tmp_path / args[args.index("--file") + 1]).write_bytes(
                fill(exported, {f"F{r}": "Công khai ngân sách", f"J{r}": "Hoàn thành"}))
        if "--db" in args:  # the README names a store: this test's store instead
            del args[args.index("--db"):args.index("--db") + 2]
        takes_db = args[0] != "hash-password"
        command = args[:2] + (["--db", str(db)] if takes_db else []) + args[2:] if args[0] == "plan" \
            else args[:1] + (["--db", str(db)] if takes_db else []) + args[1:]
        done = run(command, tmp_path, stdin="mat-khau-thu\n" if args[0] == "hash-password" else None)
        assert done.returncode == 0, (line, done.stderr[-800:])
        if args[:2] == ["plan", "import"]:
            last["edit"] = done.stderr.split("lần sửa #")[1].split(":")[0]
    for out in ("mau.xlsx", "phu_luc.xlsx", "ke_hoach.xlsx", "tom_tat.pdf", "bao_cao.docx"):
        assert (tmp_path / out).stat().st_size > 1000, out
