"""Cached access to the store for the pages.

The full score table (ranks, groups, changes for every index-year) is computed once per data
version and shared by every session; pages only filter it. On a cache miss the store is read
once, as a snapshot (one read-only connection, closed before computing), so the command line
and other sessions can write while the app runs. The data version changes with every committed
write, from the app or the command line (DuckDB: the file and its write-ahead log; PostgreSQL:
a counter), so every open session shows the new figures on its next interaction.
"""

from __future__ import annotations

import atexit
import gc
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import reports
from analytics.paths import resolve_db_path
from analytics.store import Store, data_version, ensure_store


def db_path() -> Path | str:
    """The store: a DuckDB file (Path) or a PostgreSQL URL (str), from $GOVINDEX_DB."""
    return resolve_db_path(None)


# cache_resource, not cache_data: the frames are shared read-only (pages copy before changing),
# which spares a copy of ~21,000 rows on every rerun.
@st.cache_resource(show_spinner=False, max_entries=2)
def _load(target: str, version: str) -> dict[str, pd.DataFrame]:
    snapshot = Store.open(_as_target(target), read_only=True).snapshot()
    return {
        "scores": reports.build_score_table(snapshot),
        "provinces": snapshot.provinces(),
        "indices": snapshot.indices(),
        "catalog": snapshot.catalog(),
        "sources": snapshot.sources(),
        "departments": snapshot.departments(),
        "breaks": snapshot.breaks(),
        "targets": snapshot.targets(),
    }


def _as_target(text: str) -> Path | str:
    return resolve_db_path(text)


@st.cache_resource(show_spinner=False)
def _ensured(target: str) -> Path | str:
    """Build or upgrade the store once per process, not on every rerun."""
    return ensure_store(_as_target(target))


def _store_target() -> Path | str:
    target = db_path()
    if isinstance(target, Path) and not target.exists():
        return ensure_store(target)
    return _ensured(str(target))


def version() -> str:
    """The current data version (a cache key for computations on the loaded frames)."""
    return data_version(_store_target())


def load() -> dict[str, pd.DataFrame]:
    """The store's contents for this data version (built on first start when absent)."""
    target = _store_target()
    version = data_version(target)
    loaded = _load(str(target), version)
    _settle((str(target), version))
    return loaded


_settled: set[tuple[str, str]] = set()
_settling = threading.Lock()


def _settle(key: tuple[str, str]) -> None:
    """Once per data version: move what the process holds (modules, the loaded frames) out of the
    garbage collector's sight (`gc.freeze`). Python's full collection otherwise walked those
    ~200,000 objects every dozen runs, 0.1 s each time; frozen, it takes ~5 ms. The previous
    version's leftovers are collected first (`unfreeze`, `collect`), so nothing frozen leaks."""
    if key in _settled:
        return
    with _settling:
        if key in _settled:
            return
        if not _settled:  # at exit, let the interpreter finalise them (DuckDB's bindings report leaks otherwise)
            atexit.register(gc.unfreeze)
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _settled.clear()
        _settled.add(key)
