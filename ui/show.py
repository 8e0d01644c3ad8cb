"""Rendering helpers shared by pages: every chart with its numbers one click away."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.exports import csv_bytes
from ui.state import t

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def table_with_csv(table: pd.DataFrame, key: str, file_stem: str) -> None:
    """A table and the product's own CSV of exactly that table.

    Streamlit's own table download is off (`client.disableDataExport` in .streamlit/config.toml)
    because it writes cells as they are; this CSV goes through `analytics.exports`, so no text
    cell starts a formula (numbers stay numbers).
    """
    st.dataframe(table, hide_index=True)
    st.download_button(t("download_csv"), csv_bytes(table), file_name=f"{file_stem}.csv", mime="text/csv",
                       key=f"csv_{key}")


def figure_with_numbers(figure, table: pd.DataFrame, key: str, file_stem: str) -> None:
    """The chart (with plotly's PNG export in its toolbar), then its numbers as a table and a CSV.

    The numbers are built and sent only when their expander is opened (`on_change="rerun"`): a
    closed expander otherwise still ships a table and its JavaScript bundle on every run."""
    st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG)
    with st.expander(t("table_heading"), key=f"numbers_{key}", on_change="rerun") as numbers:
        if numbers.open:
            table_with_csv(table, key, file_stem)
