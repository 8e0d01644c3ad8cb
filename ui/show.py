"""Rendering helpers shared by pages: every chart with its numbers one click away."""

from __future__ import annotations

import functools
from typing import Callable

import pandas as pd
import streamlit as st

from analytics.exports import csv_bytes, excel_csv_bytes
from analytics.numbers import display_frame
from ui import memo
from ui.state import language, t

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def show_table(table: pd.DataFrame, decimals: int | dict = 2, what: tuple | None = None) -> None:
    """`st.dataframe` of `table` as locale text: 43,77 in Vietnamese, 43.77 in English, "—" where
    missing (st.dataframe's own number formats follow the browser, not the page's language).
    `what` names everything the table shows (memo.table): the text is then made once."""
    lang = language()
    text = functools.partial(display_frame, table, lang, decimals)
    st.dataframe(memo.table(("text",) + what + (lang, str(decimals)), text) if what else text(), hide_index=True)


def csv_buttons(table: pd.DataFrame, key: str, file_stem: str, decimals: int | dict = 2, container=None) -> None:
    """The two CSV flavours of `table` (`analytics.exports`): for machines and for Vietnamese Excel.

    Each file is written when its button is clicked, not on every run (callables as `data`)."""
    place = container or st
    a, b = place.columns(2)
    a.download_button(t("download_csv"), lambda: csv_bytes(table, decimals), file_name=f"{file_stem}.csv",
                      mime="text/csv", key=f"csv_{key}", help=t("csv_machine_help"))
    b.download_button(t("download_csv_excel"), lambda: excel_csv_bytes(table, decimals),
                      file_name=f"{file_stem}_excel.csv", mime="text/csv", key=f"csv_excel_{key}",
                      help=t("csv_excel_help"))


def table_with_csv(table: pd.DataFrame, key: str, file_stem: str, decimals: int | dict = 2) -> None:
    """A table and the product's own CSVs of exactly that table, numbers at `decimals` places.

    Streamlit's own table download is off (`client.disableDataExport` in .streamlit/config.toml)
    because it writes cells as they are; these CSVs go through `analytics.exports`, so no text
    cell starts a formula (numbers stay numbers).
    """
    show_table(table, decimals)
    csv_buttons(table, key, file_stem, decimals)


def figure_with_numbers(figure, table: pd.DataFrame | Callable[[], pd.DataFrame], key: str, file_stem: str,
                        decimals: int | dict = 2) -> None:
    """The chart (with plotly's PNG export in its toolbar), then its numbers as a table and a CSV
    (`numbers_on_demand`)."""
    st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG)
    numbers_on_demand(table, key, file_stem, decimals)


def numbers_on_demand(table: pd.DataFrame | Callable[[], pd.DataFrame], key: str, file_stem: str,
                      decimals: int | dict = 2) -> None:
    """An expander "Bảng số liệu" (key `numbers_<key>`) with `table_with_csv` inside, built only
    when it is opened (`on_change="rerun"`): a closed expander otherwise still ships its table
    and the table's JavaScript on every run. `table` may be a callable that builds it."""
    with st.expander(t("table_heading"), key=f"numbers_{key}", on_change="rerun") as numbers:
        if numbers.open:
            table_with_csv(table() if callable(table) else table, key, file_stem, decimals)
