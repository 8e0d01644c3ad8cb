"""A command-line import killed at random moments (SIGKILL, 30 times per backend) leaves the store
either exactly as before or exactly as after the import (full dump against the reference model).

One kill in three comes at a random moment of the whole run; the others come at a random moment
of the last phase, after the import printed its preview, when the transaction is written. The
outcome counts are printed (pytest -s shows them).
"""

from __future__ import annotations

import random
import signal
import time

import pytest

from tests.concurrency_helpers import PROVINCES, cli_import, papi_workbook, planned_scores, start_import, store_on
from tests.store_model import Model, dump, same_dump

KILLS = {"duckdb": 30, "postgresql": 15}


def _kill_at(process, seconds: float, after_preview: bool) -> bool:
    """SIGKILL the import `seconds` after its start (or after its preview line) unless it is
    over; True when it was killed."""
    if after_preview:
        for line in process.stderr:
            if line.startswith("Xem trước"):
                break
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_a_killed_import_leaves_the_store_before_or_after(tmp_path, backend):
    rng = random.Random(11)
    with store_on(backend, tmp_path, sources=("papi_2011_2019",)) as target:
        started = time.monotonic()
        warm = cli_import(target, papi_workbook(tmp_path, "warm.xlsx", PROVINCES[:3], 0.5))
        duration = time.monotonic() - started
        assert warm.returncode == 0, warm.stderr
        outcomes = {"before": 0, "after": 0, "finished": 0}
        current = dump(target)
        for attempt in range(KILLS[backend]):
            path = papi_workbook(tmp_path, f"crash_{attempt}.xlsx", PROVINCES[:3], 0.01 * (attempt + 1))
            after = Model(current)
            after.apply_import(path.name, planned_scores(target, path))
            expected_after = after.frames()
            early = attempt % 3 == 0
            moment = rng.uniform(0.0, duration) if early else rng.uniform(0.0, 0.4)
            killed = _kill_at(start_import(target, path), moment, after_preview=not early)
            state = dump(target)
            if same_dump(state, current):
                outcomes["before"] += 1
            else:
                assert same_dump(state, expected_after), f"kill #{attempt} at {moment:.2f} s left a mixed state"
                outcomes["after" if killed else "finished"] += 1
            current = state
        print(f"\n{backend}: import {duration:.2f} s; {KILLS[backend]} kills → {outcomes}")
        assert outcomes["before"] > 0
