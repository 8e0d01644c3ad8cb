"""The app's one error renderer: what went wrong and what to do, never a stack or a server path.

`show_error(error)` is what a page calls in its `except`: a `UserError` shows its message in the
interface language (with where it happened and the hint); anything else shows a generic message with an
incident code, and the traceback goes to the server log only, under the same code, for the
administrator. Text that came from a file (sheet names, headers, cells) is escaped before it
reaches Streamlit's markdown, so it can never load an image or a link from another address.
.streamlit/config.toml sets `client.showErrorDetails = "none"` for errors no page catches.
"""

from __future__ import annotations

import logging
import re
import secrets

import streamlit as st

from analytics.errors import UserError
from ui.state import language, t

LOG = logging.getLogger("govindex")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """`text` with every markdown, LaTeX (`$`) and autolink (`:`) character backslash-escaped,
    so that Streamlit shows it literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def error_text(error: BaseException) -> tuple[str, str]:
    """(message, incident code): the message a user may read; the code is "" for a UserError."""
    if isinstance(error, UserError):
        return escape_markdown(error.describe(language())), ""
    incident = secrets.token_hex(4)
    LOG.error("incident %s: %s", incident, type(error).__name__, exc_info=error)
    return t("unexpected_error", incident=incident), incident


UNEXPECTED_KEY = "unexpected_error"  # the box's CSS class is st-key-unexpected_error (tests look for it)


def show_error(error: BaseException) -> str:
    """Render `error` as the app's error box; returns the incident code ("" for a UserError).

    app.py calls it for anything a page did not catch, so no page shows a traceback; an
    unexpected error's box sits in a keyed container that the tests treat as a page crash."""
    message, incident = error_text(error)
    if incident:
        with st.container(key=UNEXPECTED_KEY):
            st.error(message, icon=":material/error:")
    else:
        st.error(message, icon=":material/error:")
    return incident
