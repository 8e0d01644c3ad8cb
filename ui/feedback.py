"""Confirmation that a save worked, shown once the page shows the saved state.

A page that writes reruns right after (so tables, forms and the signed-in state show what is now
stored); a message written before that rerun would vanish with it. `confirm_saved` keeps the
message for the next run, where app.py shows it as a toast.
"""

from __future__ import annotations

import streamlit as st

_KEY = "_saved_message"


def confirm_saved(message: str, rerun: bool = True) -> None:
    """Remember `message` for the toast of the next run; rerun now unless told not to."""
    st.session_state[_KEY] = message
    if rerun:
        st.rerun()


def show_confirmation() -> None:
    """The toast of the last save (app.py, before the page runs)."""
    message = st.session_state.pop(_KEY, None)
    if message:
        st.toast(message, icon=":material/check_circle:")
