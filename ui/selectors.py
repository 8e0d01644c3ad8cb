"""The selections pages share (province, index, year) and the demo-data notice, in one place."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.state import language, t, url_select


def province_select(provinces: pd.DataFrame, container=None, default: str = "01") -> tuple[str, dict[str, str]]:
    """One of the 63 provinces (the era every embedded year uses), sorted by name; returns the
    code and the code → name mapping in the interface language."""
    legacy = provinces[provinces["era"] == "legacy"].sort_values("name")
    names = dict(zip(legacy["code"], legacy["name_en" if language() == "en" else "name"]))
    return url_select(t("province"), list(names), "province", names.get, default, container), names


def index_select(indices: pd.DataFrame, container=None) -> tuple[str, dict[str, str]]:
    names = dict(zip(indices["index_code"], indices["short_name"]))
    return url_select(t("index"), list(indices["index_code"]), "index", names.get, "PAPI", container), names


def year_select(scores: pd.DataFrame, index_code: str, container=None, extra: tuple[int, ...] = ()) -> int:
    """A year of the index with data (newest first, the default), plus any `extra` years."""
    years = sorted(set(scores.loc[scores["index_code"] == index_code, "year"]) | set(extra), reverse=True)
    with_data = sorted(scores.loc[scores["index_code"] == index_code, "year"].unique(), reverse=True)
    default = str(with_data[0]) if len(with_data) else str(years[0])
    return int(url_select(t("year"), [str(y) for y in years], "year", str, default, container))


def demo_notice(rows: pd.DataFrame) -> bool:
    """Show the "Dữ liệu minh họa" notice when `rows` hold demo data; returns whether they do."""
    demo = bool(rows["is_demo"].fillna(False).astype(bool).any()) if "is_demo" in rows and not rows.empty else False
    if demo:
        st.warning(t("demo_explain"), icon=":material/info:")
    return demo


def merger_caption(provinces: pd.DataFrame, code: str) -> None:
    """Which 2025 province a legacy province belongs to, and with whom (its history is theirs,
    side by side, never averaged)."""
    legacy = provinces[provinces["era"] == "legacy"].set_index("code")
    if code not in legacy.index:
        return
    successor = legacy.loc[code, "successor_code"]
    new = provinces[(provinces["era"] == "2025") & (provinces["code"] == successor)]
    if new.empty:
        return
    name = "name_en" if language() == "en" else "name"
    members = legacy[legacy["successor_code"] == successor][name].tolist()
    if len(members) == 1:
        st.caption(t("unchanged_2025", province=new[name].iloc[0]))
    else:
        st.caption(t("merged_into", province=new[name].iloc[0], members=", ".join(members)))
