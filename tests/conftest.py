"""Shared fixtures: real DuckDB files built from data/ in temporary folders."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import os

import pytest
from hypothesis import settings

# CI replays the same generated examples on every run (a regression still fails it); a developer's
# run explores new ones (HYPOTHESIS_PROFILE=explore, the default outside CI).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "explore"))

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))

from analytics import reports  # noqa: E402
from analytics.store import Store  # noqa: E402


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """One store built from the embedded data, shared read-only by tests that only read."""
    path = tmp_path_factory.mktemp("store") / "govindex.duckdb"
    with Store.open(path) as store:
        store.initialise()
    return path


@pytest.fixture(scope="module")
def real(built_db):
    """The score table of the built store, with its indices and sources (read once per module)."""
    store = Store.open(built_db, read_only=True)
    try:
        return reports.build_score_table(store), store.indices(), store.sources()
    finally:
        store.close()


@pytest.fixture()
def store(built_db) -> Store:
    with Store.open(built_db, read_only=True) as opened:
        yield opened


@pytest.fixture()
def fresh_db(tmp_path) -> Path:
    """A private copy of the built store, for tests that write."""
    return tmp_path / "govindex.duckdb"


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    """A private copy of data/, for tests that change reference files."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


def shared_file(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared reference data not found at {path}")
    return path


def app_runner(db_path, monkeypatch):
    """Factory of AppTests on `db_path`: start(page=None, **query) runs app.py (then switches to
    pages/<page>.py) and fails on any exception the page shows."""
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("GOVINDEX_DB", str(db_path))
    monkeypatch.chdir(REPO)

    def start(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert not crashed(at), crashed(at)
        return at
    return start


def plotly_spec(at, index: int = 0) -> dict:
    """The figure of the page's INDEXth plotly chart, as the browser receives it."""
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def crashed(at) -> list[str]:
    """The unexpected errors app.py caught and showed (ui.errors.show_error): a page crash."""
    from ui.i18n import translate
    marks = [translate("unexpected_error", lang, incident="\0").split("\0")[0][:30] for lang in ("vi", "en")]
    return [e.value for e in at.error if any(mark and mark in e.value for mark in marks)]


def page_texts(at) -> str:
    """Every markdown, caption, title, subheader, warning and info text of an AppTest run."""
    kinds = ("markdown", "caption", "title", "subheader", "warning", "info")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))
