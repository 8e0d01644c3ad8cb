"""The province, index and year row that the worklist and plan pages share."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui import memo
from ui.selectors import in_year, index_select, plain_names, province_select, year_select


@dataclass(frozen=True)
class Selection:
    chosen: str          # the province chosen (either map)
    province: str        # the province standing for it on the year's map
    index_code: str
    year: int
    province_names: dict  # id → plain name
    index_names: dict     # index code → short name


def province_index_year(store_data: dict) -> Selection:
    """Province, index and year selectors in one row (URL state), and the year's province."""
    indices, provinces = store_data["indices"], store_data["provinces"]
    left, middle, right = st.columns([2, 1, 1])
    chosen, _ = province_select(provinces, left)
    index_code, index_names = index_select(indices, middle)
    year = year_select(memo.score_table().index(index_code), index_code, right)
    names = plain_names(provinces)
    province = in_year(provinces, chosen, memo.score_table().era_of(index_code, year), year, names) or chosen
    return Selection(chosen, province, index_code, year, names, index_names)
