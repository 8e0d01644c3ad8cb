"""Selections that live in the URL, so a leader can send a link to exactly this view.

Parameters carry codes, not labels: `?province=46&index=PAPI&year=2016&indicator=TOTAL&lang=en`.
(Streamlit's own `bind="query-params"` writes the displayed label, which changes with the
language, so the URL is synchronised here.) A value chosen on one page is kept when the leader
switches page and written back to the URL on every run.
"""

from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st
from streamlit.runtime.state.session_state_proxy import get_session_state

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


_LINK_WRITES = "_link_writes"


def begin_links() -> None:
    """app.py, first thing in every run: this run has changed nothing in the URL yet."""
    st.session_state[_LINK_WRITES] = {}


def set_link(key: str, value: str | None) -> None:
    """`?key=value` in the URL at the end of this run (`write_links`); None removes `key`.
    Not from inside an `st.fragment`: a fragment's rerun does not reach app.py's write_links."""
    st.session_state.setdefault(_LINK_WRITES, {})[key] = value


def write_links() -> None:
    """app.py, last thing in every run that ends (not one that st.rerun, st.switch_page or a newer
    click cut short: the run that follows writes the URL it ends with): the URL gets the run's
    changes in ONE message to the browser. Each public write or removal in st.query_params sends
    its own, and the browser makes each a history entry (Back would stop at URLs nobody chose,
    e.g. the new province with the old `era`) and spends 5-15 ms on it."""
    writes = st.session_state.pop(_LINK_WRITES, {})
    changed = {key: value for key, value in writes.items() if value is not None and st.query_params.get(key) != value}
    removed = [key for key, value in writes.items() if value is None and key in st.query_params]
    if not changed and not removed:
        return
    # Removals without a message (Streamlit 1.67's discard_param_no_forward_msg), except the last
    # one when nothing is set: the one public call that follows sends the whole query string.
    quiet = removed if changed else removed[:-1]
    with get_session_state().query_params() as params:
        for key in quiet:
            params.discard_param_no_forward_msg(key)
    if changed:
        st.query_params.update(changed)
    else:
        del st.query_params[removed[-1]]


def switch_page(page: str, carry: tuple[str, ...], **links: str | None) -> None:
    """st.switch_page to `page` carrying the language and the `carry` keys of this page's link as
    this run leaves them, with `links` changed (None removes a key). The next page then finds its
    URL as it would write it, and adds no history entry of its own. (Streamlit itself makes two:
    the link on this page, then the new page.) Keys the next page does not own are not carried."""
    current = {**st.query_params.to_dict(), **st.session_state.get(_LINK_WRITES, {})}
    carried = {key: current.get(key) for key in ("lang", *carry)} | links
    st.switch_page(page, query_params={key: value for key, value in carried.items() if value is not None})


def _write_link(key: str, value: str, default: str | None) -> None:
    """`?key=value` in the URL; a default value is left out of it."""
    set_link(key, None if value == default else value)


def _publish(key: str, value: str, default: str | None) -> None:
    """Remember the choice and write `?key=value`; a default value is left out of the URL."""
    st.session_state[f"_chosen_{key}"] = value
    _write_link(key, value, default)


def language_switch() -> str:
    options = list(LANGUAGES)
    chosen = _remembered("lang", options, DEFAULT_LANGUAGE)
    value = st.sidebar.segmented_control("Ngôn ngữ / Language", options, format_func=LANGUAGES.get,
                                         key="lang_switch", default=chosen, required=True)
    st.session_state["lang"] = value or chosen
    _publish("lang", language(), DEFAULT_LANGUAGE)
    return language()


def _from_link_once(key: str) -> str | None:
    """`?key=` as the link that opened the session gave it; None after the first read (later
    widgets of the same name start from their defaults)."""
    if st.session_state.get(f"_link_read_{key}"):
        return None
    st.session_state[f"_link_read_{key}"] = True
    return st.query_params.get(key)


def url_multiselect(label: str, options: Sequence[str], key: str, scope: str, format_func: Callable[[str], str],
                    default: Sequence[str], container=None, **kwargs) -> list[str]:
    """A multiselect whose codes are `?key=a,b` in the URL. `scope` names what the choice
    belongs to (a province and index): another scope starts again from `default`."""
    options, default = list(options), [d for d in default if d in options]
    widget_key = f"{key}__{scope}"
    start_key = f"_start_{widget_key}"  # the first value, fixed: the widget keeps its identity
    if start_key not in st.session_state:
        link = _from_link_once(key)
        st.session_state[start_key] = [v for v in (link or "").split(",") if v in options] or default
    value = (container or st).multiselect(label, options, default=st.session_state[start_key], key=widget_key,
                                          format_func=format_func, **kwargs)
    _write_link(key, ",".join(value), ",".join(default))
    return value


def url_year_span(label: str, years: Sequence[int], key: str, scope: str, default: tuple[int, int],
                  container=None) -> tuple[int, int]:
    """A year-range slider whose span is `?key=2019-2024` in the URL."""
    years = [int(y) for y in years]
    widget_key = f"{key}__{scope}"
    start_key = f"_start_{widget_key}"
    if start_key not in st.session_state:
        span = tuple(int(p) for p in (_from_link_once(key) or "").split("-") if p.isdigit())
        valid = len(span) == 2 and all(y in years for y in span) and span[0] <= span[1]
        st.session_state[start_key] = span if valid else tuple(default)
    value = (container or st).select_slider(label, options=years, value=st.session_state[start_key], key=widget_key)
    _write_link(key, f"{value[0]}-{value[1]}", f"{default[0]}-{default[1]}")
    return value


def url_select(label: str, options: Sequence[str], key: str, format_func: Callable[[str], str],
               default: str | None = None, container=None) -> str:
    """A select box whose value is `?key=` in the URL (codes as strings)."""
    options = list(options)
    chosen = _remembered(key, options, default)
    value = (container or st).selectbox(label, options, index=options.index(chosen), key=key,
                                        format_func=format_func)
    _publish(key, value, default)
    return value
