"""Shared fixtures: real DuckDB files built from data/ in temporary folders."""

from __future__ import annotations

import json
import shutil
import sys
from html.parser import HTMLParser
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
    """Every markdown, caption, title, subheader, warning and info text of an AppTest run, and
    the text of its HTML elements (the result cards, ui/cards.py) without tags."""
    kinds = ("markdown", "caption", "title", "subheader", "warning", "info")
    shown = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    return "\n".join(shown + [HtmlCards(e.value).text for e in at.html])


class HtmlCards(HTMLParser):
    """What a reader sees in `ui.cards` HTML: the cards' titles (h3), their figures as [label,
    value, change] from each dt and the dd after it, the headings that open (summary) and the
    text without tags; `spoken` holds what only a screen reader hears (class gi-sr). A test
    parser: it knows only the tags the cards use."""

    BLOCKS = ("h3", "summary", "dt", "dd", "style")

    def __init__(self, markup: str):
        super().__init__()
        self.titles, self.stats, self.summaries, self.words, self.spoken = [], [], [], [], []
        self._block, self._classes, self._text, self._unseen = None, "", "", False
        self.feed(markup)
        self.text = " ".join(" ".join(self.words).split())

    def handle_starttag(self, tag, attrs):
        if tag == "span" and "gi-sr" in (dict(attrs).get("class") or ""):
            self._unseen = True
            self.spoken.append("")
        elif tag in self.BLOCKS:
            self._block, self._classes, self._text = tag, dict(attrs).get("class") or "", ""

    def handle_endtag(self, tag):
        if tag == "span":
            self._unseen = False
        if tag != self._block:
            return
        text, self._block = " ".join(self._text.split()), None
        if tag == "h3":
            self.titles.append(text)
        elif tag == "summary":
            self.summaries.append(text)
        elif tag == "dt":
            self.stats.append([text, None, None])
        elif tag == "dd":
            self.stats[-1][1 if "gi-value" in self._classes else 2] = text

    def handle_data(self, data):
        if self._unseen:
            self.spoken[-1] += data
            return
        if self._block == "style":
            return
        self.words.append(data)
        if self._block:
            self._text += data


def card_stats(at) -> list[tuple[str, str, str | None]]:
    """Every (label, value, change) of the result cards on an AppTest page."""
    return [tuple(stat) for e in at.html for stat in HtmlCards(e.value).stats]


def card_titles(at) -> list[str]:
    """The titles of the result cards on an AppTest page, in order."""
    return [title for e in at.html for title in HtmlCards(e.value).titles]
