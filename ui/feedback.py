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


def confirmed(pending_key: str, question: str, key_prefix: str, yes_label: str, no_label: str) -> bool:
    """The second step of a destructive action: `question` with Yes / No buttons while
    `st.session_state[pending_key]` is set (the first click sets it). True on Yes (the pending
    mark is cleared); No clears it and reruns."""
    st.warning(question)
    yes, no = st.columns([1, 4])
    if no.button(no_label, key=f"{key_prefix}_no"):
        st.session_state.pop(pending_key, None)
        st.rerun()
    if yes.button(yes_label, type="primary", key=f"{key_prefix}_yes"):
        st.session_state.pop(pending_key, None)
        return True
    return False
