"""Writers and readers wait their turn: a bounded wait, then a Vietnamese message naming who
holds the store; in one process, sessions reading and writing at once never see a lock error."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pandas as pd
import psycopg
import pytest

from analytics.errors import UserError
from analytics.store import WRITE_LOCK_KEY, Store
from tests import pgserver

HOLD = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
connection.execute("BEGIN TRANSACTION")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _small_store(path):
    store = Store.open(path)
    store.initialise(sources=())
    return store


def _hold(path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _target(store: Store, note: str) -> None:
    store.save_target(era="legacy", province_code="01", index_code="PAPI", year=2024, target_score=45.0,
                      strictly_above=False, target_rank=None, min_rank_gain=None, note=note, set_by="t")


def test_a_write_that_cannot_get_the_file_in_time_names_the_holder(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    _small_store(path)
    holder = _hold(path, 30)
    monkeypatch.setenv("GOVINDEX_LOCK_TIMEOUT", "1")
    try:
        with pytest.raises(UserError) as error:
            _target(Store.open(path), "x")
        text = error.value.describe()
        assert f"PID {holder.pid}" in text and "GOVINDEX_LOCK_TIMEOUT" in text and "Không có gì đã bị thay đổi" in text
        assert "conflicting" not in text.lower() and "could not" not in text.lower()
        with pytest.raises(UserError, match=f"PID {holder.pid}"):
            Store.open(path, read_only=True).targets()
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_waits_for_the_holder_and_reports_progress(tmp_path):
    path = tmp_path / "s.duckdb"
    _small_store(path)
    # The first progress message comes after 2 s of waiting; hold for twice that so a loaded
    # machine (slow store open, late first attempt) still sees one before the holder lets go.
    holder = _hold(path, 4.5)
    messages = []
    started = time.monotonic()
    try:
        _target(Store.open(path, progress=messages.append), "sau khi chờ")
    finally:
        holder.wait()
    assert time.monotonic() - started >= 2.0
    assert Store.open(path).targets()["note"].tolist() == ["sau khi chờ"]
    assert messages and "Đang chờ đến lượt ghi vào" in messages[0] and f"PID {holder.pid}" in messages[0]


def test_sessions_of_one_process_read_and_write_at_once(tmp_path):
    path = tmp_path / "s.duckdb"
    _small_store(path)
    errors: list[BaseException] = []

    def work(write: bool, n: int) -> None:
        try:
            for i in range(n):
                if write:
                    _target(Store.open(path), f"ghi {i}")
                else:
                    Store.open(path, read_only=True).snapshot()
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i % 2 == 0, 8)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Store.open(path).targets()["note"].tolist() == ["ghi 7"]


def test_postgres_writers_wait_for_the_write_lock_and_readers_do_not(monkeypatch):
    with pgserver.database() as url:
        store = _small_store(url)
        _target(store, "trước")
        with psycopg.connect(url, application_name="giu khoa") as other:
            other.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            monkeypatch.setenv("GOVINDEX_LOCK_TIMEOUT", "1")
            with pytest.raises(UserError) as error:
                _target(Store.open(url), "trong khi khóa")
            assert f"PID {other.info.backend_pid}" in error.value.describe() and "giu khoa" in error.value.describe()
            assert Store.open(url, read_only=True).targets()["note"].tolist() == ["trước"]  # readers never wait
            releaser = threading.Timer(1.0, other.commit)
            releaser.start()
            monkeypatch.setenv("GOVINDEX_LOCK_TIMEOUT", "20")
            _target(Store.open(url), "sau")
            releaser.join()
        assert Store.open(url).targets()["note"].tolist() == ["sau"]


def test_a_snapshot_is_one_consistent_read(tmp_path):
    path = tmp_path / "s.duckdb"
    store = _small_store(path)
    snapshot = store.snapshot()
    assert isinstance(snapshot.scores(), pd.DataFrame) and snapshot.scores().empty
    assert len(snapshot.provinces()) == 97 and "derived" in snapshot.scores().columns
