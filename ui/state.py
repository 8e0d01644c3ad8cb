"""Selections that live in the URL, so a leader can send a link to exactly this view.

Each selection is a widget bound to a query parameter of the same name (`?province=01&
index=PAPI&year=2016&indicator=TOTAL&lang=en`); Streamlit keeps it across page switches.
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


def language_switch() -> str:
    st.sidebar.segmented_control(
        "Ngôn ngữ / Language", list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
        default=DEFAULT_LANGUAGE, required=True, bind="query-params")
    return language()


def url_select(label: str, options: Sequence[str], key: str, format_func: Callable[[str], str],
               default: str | None = None, container=None) -> str:
    """A select box bound to `?key=`; `default` when the URL has no (valid) value.

    Options are strings so that the URL value and the option compare equal.
    """
    options = list(options)
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]  # e.g. a year the newly chosen index does not have
    index = options.index(default) if default in options else 0
    return (container or st).selectbox(label, options, index=index, key=key,
                                       format_func=format_func, bind="query-params")
