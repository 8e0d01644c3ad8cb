"""Make sure every page runs under app.py's `st.navigation`.

Streamlit decides per process whether `pages/` is a legacy auto-discovered pages folder; until
some run has called `st.navigation`, the first session that opens `/xep_hang` runs
pages/xep_hang.py on its own, without app.py's language switch and page list. A page that finds
itself in that mode turns it off and reruns, which goes through app.py.
"""

from __future__ import annotations

import streamlit as st


def run_under_app() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
