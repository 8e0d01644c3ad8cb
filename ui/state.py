"""Selections that live in the URL, so a leader can send a link to exactly this view.

Parameters carry codes, not labels: `?province=46&index=PAPI&year=2016&indicator=TOTAL&lang=en`.
(Streamlit's own `bind="query-params"` writes the displayed label, which changes with the
language, so the URL is synchronised here.) A value chosen on one page is kept when the leader
switches page and written back to the URL on every run.
"""

from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

from analytics.wording import N_
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate, translate_n


def language() -> str:
    return st.session_state.get("lang") or DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    """Interface text in the chosen language."""
    return translate(key, language(), **values)


def tn(key: str, n: int, **values) -> str:
    """Counted interface text: the plural form for `n` ("Up 1 place" / "Up 3 places")."""
    return translate_n(key, n, language(), **values)


def _remembered(key: str, options: list[str], default: str | None) -> str:
    """The value to show: this session's last choice if still offered, else the URL's, else
    `default`. Choices live under their own session key (not the widget's), so they survive a
    page switch even when the next page offers a different option list."""
    from_link = st.query_params.get(key)
    if from_link is not None and from_link not in options:
        unknown_link_value(key, from_link)
    for candidate in (st.session_state.get(f"_chosen_{key}"), from_link, default):
        if candidate in options:
            return candidate
    return options[0]


LINK_KEYS = {"index": N_("index"), "year": N_("year"), "indicator": N_("indicator"), "province": N_("province")}


def unknown_link_value(key: str, value: str) -> None:
    """Say that the link asked for something the data does not have (the page then shows the
    nearest choice and rewrites the link), instead of silently showing something else."""
    what = t(LINK_KEYS[key]) if key in LINK_KEYS else key
    st.warning(t("link_value_unknown", what=what.lower(), value=value), icon=":material/link_off:")


def _publish(key: str, value: str, default: str | None) -> None:
    """Remember the choice and write `?key=value`; a default value is left out of the URL."""
    st.session_state[f"_chosen_{key}"] = value
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def language_switch() -> str:
    options = list(LANGUAGES)
    chosen = _remembered("lang", options, DEFAULT_LANGUAGE)
    value = st.sidebar.segmented_control("Ngôn ngữ / Language", options, format_func=LANGUAGES.get,
                                         key="lang_switch", default=chosen, required=True)
    st.session_state["lang"] = value or chosen
    _publish("lang", language(), DEFAULT_LANGUAGE)
    return language()


def url_select(label: str, options: Sequence[str], key: str, format_func: Callable[[str], str],
               default: str | None = None, container=None) -> str:
    """A select box whose value is `?key=` in the URL (codes as strings)."""
    options = list(options)
    chosen = _remembered(key, options, default)
    value = (container or st).selectbox(label, options, index=options.index(chosen), key=key,
                                        format_func=format_func)
    _publish(key, value, default)
    return value
