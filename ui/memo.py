"""Memoised analytics for the pages: one computation per data version and selection, shared by
every session (the results are read-only; pages copy before changing them).

A rerun whose selection did not change reads these instead of recomputing; the slices of the
score table come from one `ScoreTable` per data version.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import leader, weak
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


# The leader analytics below filter by index (and year) first; they are handed that slice of
# the shared ScoreTable, not the whole table, so each call filters a few thousand rows, not 50,000.
def _index(index_code: str):
    return score_table().index(index_code)


@st.cache_resource(**CACHE)
def field_profile(version: str, index_code: str, year: int, level: int = 1, parent: str | None = None):
    """Medians, bests and facts of one level: the same for every province (`leader.field_profile`)."""
    return leader.field_profile(score_table().index_year(index_code, year), index_code, year, level=level,
                                parent=parent)


@st.cache_resource(**CACHE)
def dimension_profile(version: str, province_id: str, index_code: str, year: int, level: int = 1,
                      parent: str | None = None):
    return leader.province_profile(field_profile(version, index_code, year, level, parent),
                                   score_table().index_year(index_code, year), province_id, index_code, year)


@st.cache_resource(**CACHE)
def rank_history(version: str, province_id: str, index_code: str, level: int = 1):
    return leader.rank_history(_index(index_code), province_id, index_code, level=level)


@st.cache_resource(**CACHE)
def why_rank_moved(version: str, province_id: str, index_code: str, year: int):
    store = data.load()
    return leader.why_rank_moved(_index(index_code), province_id, index_code, year, indices=store["indices"],
                                 breaks=store["breaks"])


@st.cache_resource(**CACHE)
def what_if(version: str, province_id: str, index_code: str, year: int):
    return leader.what_if(_index(index_code), province_id, index_code, year)


@st.cache_resource(**CACHE)
def headline(version: str, province_id: str, index_code: str, year: int | None):
    return leader.headline(score_table().totals(index_code), data.load()["indices"], province_id, index_code, year)


@st.cache_resource(**CACHE)
def default_peers(version: str, province_id: str, index_code: str, year: int, n: int) -> list[str]:
    return leader.default_peers(score_table().totals(index_code), data.load()["provinces"], province_id, index_code,
                                year, n=n)


@st.cache_resource(**CACHE)
def compare(version: str, province_ids: tuple, index_code: str, indicator_codes: tuple, years: tuple):
    return leader.compare(_index(index_code), list(province_ids), index_code, list(indicator_codes), list(years))


@st.cache_resource(**CACHE)
def previous_lists(version: str, province_id: str, index_code: str, year: int) -> tuple[int | None, list[str]]:
    """The year before `year` whose lists a follow-up reads, and whose lists (`weak.previous_lists`)."""
    return weak.previous_lists(score_table().index(index_code), province_id, index_code, year)


@st.cache_resource(**CACHE)
def coverage(version: str, index_code: str):
    """Per year of the index: the level of detail, provinces, indicators, sources (with the
    catalog's notes)."""
    from analytics.coverage import coverage_by_year
    from analytics.registry import load_coverage
    return coverage_by_year(_index(index_code), index_code, load_coverage())


@st.cache_resource(show_spinner=False, max_entries=256)
def _built(cache_key: tuple, _build: Callable[[], object]) -> object:
    return _build()


def figure(what: tuple, build: Callable[[], go.Figure]) -> go.Figure:
    """The chart `build()` makes, built once per data version and `what` (the chart's name and
    everything it shows: selection, filters, language) and shared by every session, so a rerun
    or another reader of the same selection does not rebuild it. `what` must name all of it:
    charts are read-only once built (st.plotly_chart serialises them, never changes them)."""
    return _built(("figure", key()) + tuple(what), build)


def table(what: tuple, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A shown table, like `figure`: built once per data version and `what`, shared by every
    session, read-only once built (st.dataframe and the CSV buttons only read it)."""
    return _built(("table", key()) + tuple(what), build)
