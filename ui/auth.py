"""Who may write (import, map columns, roll back): analysts with a configured password.

With no analyst configured the app is a local single-user install: whoever runs it may write,
and the upload page says so.
"""

from __future__ import annotations

import streamlit as st

from analytics.auth import analysts_from_env, check_login
from ui.state import t


def configured_analysts() -> dict[str, str]:
    analysts = analysts_from_env()
    try:
        from_secrets = st.secrets.get("analysts", {})
        analysts.update({str(k): str(v) for k, v in dict(from_secrets).items()})
    except Exception:  # no secrets.toml: that is the normal local install
        pass
    return analysts


def current_analyst() -> str | None:
    """The analyst's name, "local" in single-user mode, None for a leader who only browses."""
    if not configured_analysts():
        return "local"
    return st.session_state.get("analyst")


def login_form() -> str | None:
    """The sign-in form; returns the analyst's name in the run where sign-in succeeds."""
    analysts = configured_analysts()
    with st.form("login"):
        st.markdown(t("login_prompt"))
        name = st.text_input(t("login_name"))
        password = st.text_input(t("login_password"), type="password")
        if st.form_submit_button(t("login_button")):
            if check_login(analysts, name, password):
                st.session_state["analyst"] = name.strip()
                return name.strip()
            st.error(t("login_failed"))
    return None
