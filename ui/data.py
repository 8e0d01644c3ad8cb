"""Cached access to the store for the pages.

The full score table (ranks, groups, changes for every index-year) is computed once per data
version and shared by every session; pages only filter it. The database is opened read-only
and only on a cache miss, so the command line can write while the app runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import reports
from analytics.paths import resolve_db_path
from analytics.store import Store, ensure_store


def db_path() -> Path:
    return resolve_db_path(None)


def _version(path: Path) -> str:
    """Cache key: the file's size and modification time change with every write."""
    stat = os.stat(path)
    return f"{stat.st_size}-{stat.st_mtime_ns}"


# cache_resource, not cache_data: the frames are shared read-only (pages copy before changing),
# which spares a copy of ~21,000 rows on every rerun.
@st.cache_resource(show_spinner=False, max_entries=2)
def _load(path: str, version: str) -> dict[str, pd.DataFrame]:
    with Store.open(path, read_only=True) as store:
        return {
            "scores": reports.build_score_table(store),
            "provinces": store.provinces(),
            "indices": store.indices(),
            "catalog": store.catalog(),
            "sources": store.sources(),
            "departments": store.departments(),
            "breaks": store.breaks(),
            "targets": store.targets(),
        }


@st.cache_resource(show_spinner=False)
def _ensured(path: str) -> Path:
    """Build or upgrade the store once per process, not on every rerun."""
    return ensure_store(path)


def _store_path() -> Path:
    path = db_path()
    return _ensured(str(path)) if path.exists() else ensure_store(path)


def version() -> str:
    """The current data version (a cache key for computations on the loaded frames)."""
    return _version(_store_path())


def load() -> dict[str, pd.DataFrame]:
    """The store's contents for this data version (built on first start when absent)."""
    path = _store_path()
    return _load(str(path), _version(path))
