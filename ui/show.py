"""Rendering helpers shared by pages: every chart with its numbers one click away."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.state import t

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def figure_with_numbers(figure, table: pd.DataFrame, key: str, file_stem: str) -> None:
    """The chart (with plotly's PNG export in its toolbar), then its numbers as a table and a CSV."""
    st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG)
    with st.expander(t("table_heading")):
        st.dataframe(table, hide_index=True)
        st.download_button(t("download_csv"), table.to_csv(index=False).encode("utf-8-sig"),
                           file_name=f"{file_stem}.csv", mime="text/csv", key=f"csv_{key}")
