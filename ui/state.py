"""Selections that live in the URL, so a leader can send a link to exactly this view.

Parameters carry codes, not labels: `?province=46&index=PAPI&year=2016&indicator=TOTAL&lang=en`.
(Streamlit's own `bind="query-params"` writes the displayed label, which changes with the
language, so the URL is synchronised here.) A value chosen on one page is kept when the leader
switches page (`persist_state="session"`) and written back to the URL on every run.
"""

from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate


def language() -> str:
    return st.session_state.get("lang") or DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    """Interface text in the chosen language."""
    return translate(key, language(), **values)


def _seed(key: str, options: list[str], default: str) -> None:
    """Put a valid value in session state before the widget is drawn: the URL's on first
    load, else the current one if still offered, else `default`."""
    current = st.session_state.get(key)
    if current in options:
        return
    from_url = st.query_params.get(key)
    if current is None and from_url in options:
        st.session_state[key] = from_url
    else:
        st.session_state[key] = default if default in options else options[0]


def _publish(key: str, value: str, default: str | None) -> None:
    """Write `?key=value`; a default value is left out to keep shared links short."""
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def language_switch() -> str:
    options = list(LANGUAGES)
    _seed("lang", options, DEFAULT_LANGUAGE)
    st.sidebar.segmented_control("Ngôn ngữ / Language", options, format_func=LANGUAGES.get,
                                 key="lang", required=True, persist_state="session")
    _publish("lang", language(), DEFAULT_LANGUAGE)
    return language()


def url_select(label: str, options: Sequence[str], key: str, format_func: Callable[[str], str],
               default: str | None = None, container=None) -> str:
    """A select box whose value is `?key=` in the URL (codes as strings)."""
    options = list(options)
    _seed(key, options, default)
    value = (container or st).selectbox(label, options, key=key, format_func=format_func,
                                        persist_state="session")
    _publish(key, value, default)
    return value
