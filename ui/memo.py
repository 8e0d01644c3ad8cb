"""Memoised analytics for the pages: one computation per data version and selection, shared by
every session (the results are read-only; pages copy before changing them).

A rerun whose selection did not change reads these instead of recomputing; the slices of the
score table come from one `ScoreTable` per data version.
"""

from __future__ import annotations

import streamlit as st

from analytics import leader
from analytics.scores import ScoreTable
from ui import data

CACHE = dict(show_spinner=False, max_entries=512)


@st.cache_resource(show_spinner=False, max_entries=2)
def _score_table(version: str) -> ScoreTable:
    return ScoreTable(data.load()["scores"])


def key() -> str:
    """The cache key of the data in use: the store's path and its data version."""
    return f"{data.db_path()}|{data.version()}"


def score_table() -> ScoreTable:
    """The score table of the current data version, with its slices indexed once."""
    return _score_table(key())


def _table():
    return data.load()["scores"]


@st.cache_resource(**CACHE)
def dimension_profile(version: str, province_id: str, index_code: str, year: int, level: int = 1,
                      parent: str | None = None):
    return leader.dimension_profile(_table(), province_id, index_code, year, level=level, parent=parent)


@st.cache_resource(**CACHE)
def rank_history(version: str, province_id: str, index_code: str, level: int = 1):
    return leader.rank_history(_table(), province_id, index_code, level=level)


@st.cache_resource(**CACHE)
def why_rank_moved(version: str, province_id: str, index_code: str, year: int):
    store = data.load()
    return leader.why_rank_moved(store["scores"], province_id, index_code, year, indices=store["indices"],
                                 breaks=store["breaks"])


@st.cache_resource(**CACHE)
def what_if(version: str, province_id: str, index_code: str, year: int):
    return leader.what_if(_table(), province_id, index_code, year)


@st.cache_resource(**CACHE)
def headline(version: str, province_id: str, index_code: str, year: int | None):
    store = data.load()
    return leader.headline(store["scores"], store["indices"], province_id, index_code, year)


@st.cache_resource(**CACHE)
def coverage(version: str, index_code: str):
    """Per year of the index: the level of detail, provinces, indicators, sources (with the
    catalog's notes)."""
    from analytics.coverage import coverage_by_year
    from analytics.registry import load_coverage
    return coverage_by_year(_table(), index_code, load_coverage())
