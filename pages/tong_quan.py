"""Tổng quan: one province, each index's latest score, rank, rank change, group and rank history.

A merged 2025 province shows its own results from 2025 and, beside them, the history of each
province it was made of under its own name and rank of 63; an unchanged province is one line
across the 2025 map change (marked).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import provinces as ids
from analytics.registry import LEGACY
from ui import charts, data, memo
from ui.i18n import format_number, group_label
from ui.routing import run_under_app
from ui.selectors import merger_caption, plain_names, province_select
from ui.show import figure_with_numbers
from ui.state import language, t


def separate_predecessors(provinces: pd.DataFrame, pid: str) -> tuple[str, list[str]]:
    """The province's lineage, and the provinces it was made of that are not that lineage (an
    unchanged province has none): computed once per run, not per card."""
    lineages = ids.lineage_map(provinces)
    lineage = lineages.get(pid, pid)
    return lineage, [pred for pred in ids.predecessors(provinces, pid) if lineages[pred] != lineage]


def history_lines(totals: pd.DataFrame, lineage: str, before: list[str], pid: str,
                  names: dict[str, str]) -> pd.DataFrame:
    """The rank lines of the overview: the province's lineage, plus each predecessor of a merged
    2025 province (its own name, its own ranks)."""
    own = totals[totals["lineage_id"] == lineage].assign(line=names.get(pid, pid))
    parts = [own] + [totals[totals["province_id"] == pred].assign(line=former_name(names, pred)) for pred in before]
    lines = pd.concat(parts)
    if len(before) == 0:
        lines = lines.assign(line="")
    return lines[["year", "rank", "n_ranked", "line", "is_demo", "era"]]


def former_name(names: dict[str, str], pid: str) -> str:
    """A predecessor's label, unmistakable beside the new province (the old Bắc Ninh vs the new)."""
    return t("former_short", name=names.get(pid, pid))


def latest_row(series: pd.DataFrame) -> pd.Series:
    return series.sort_values("year").iloc[-1]


def change_note(latest: pd.Series, lang: str) -> tuple[str | None, int | None, str]:
    if pd.isna(latest["previous_year"]):
        return None, None, t("no_previous")
    if bool(latest["comparable"]):
        delta = format_number(latest["score_change"], lang).replace("−", "-")
        delta = ("+" + delta) if latest["score_change"] > 0 else delta
        return delta, int(latest["rank_change"]), t("vs_year", year=int(latest["previous_year"]))
    reason = latest["not_comparable_reason_en" if lang == "en" else "not_comparable_reason"]
    return None, None, t("not_comparable", year=int(latest["previous_year"]), reason=reason)


def result_block(latest: pd.Series, lang: str, label: str | None = None) -> None:
    """Score, rank of N, group and change of one province-year."""
    if label:
        st.markdown(f"**{label}**")
    if bool(latest["is_demo"]):
        st.warning(t("demo_label"), icon=":material/info:")
    score_delta, rank_delta, note = change_note(latest, lang)
    left, right = st.columns(2)
    left.metric(t("score") + f" {int(latest['year'])}", format_number(latest["value"], lang), delta=score_delta)
    right.metric(t("rank"), t("rank_of", rank=int(latest["rank"]), n=int(latest["n_ranked"])),
                 delta=rank_delta, delta_description=None)
    if bool(latest.get("derived", False)):
        note += " · " + t("derived_total", year=int(latest["year"]))
    st.markdown("**" + t("group") + f":** {group_label(latest['group'], lang)}  \n<small>{note}</small>",
                unsafe_allow_html=True)


def index_card(index: pd.Series, totals: pd.DataFrame, lineage: str, before: list[str], pid: str, lang: str,
               names: dict[str, str]) -> None:
    st.subheader(index["short_name"])
    st.caption(index["name_en"] if lang == "en" else index["name_vi"])
    lines = history_lines(totals, lineage, before, pid, names)
    if lines.empty:
        st.info(t("no_data_index", province=names.get(pid, pid), index=index["short_name"]))
        return
    own = totals[totals["lineage_id"] == lineage]
    if not own.empty:
        result_block(latest_row(own), lang)
    for pred in before:
        rows = totals[totals["province_id"] == pred]
        if not rows.empty:
            with st.expander(f"{former_name(names, pred)} · {int(latest_row(rows)['year'])}", expanded=own.empty):
                result_block(latest_row(rows), lang)
    years = sorted(totals["year"].unique().tolist())
    eras = totals[["year", "era"]].drop_duplicates()
    first_new = eras.loc[eras["era"] != LEGACY, "year"].min()
    figure = memo.figure(("rank_history", index["index_code"], pid, lang), lambda: charts.rank_history(
        lines, years, lang, demo=bool(lines["is_demo"].any()), era_break=None if pd.isna(first_new) else int(first_new)))
    table = pd.DataFrame({t("province"): lines["line"].replace("", names.get(pid, pid)), t("year"): lines["year"],
                          t("rank"): [f"{int(r)}/{int(n)}" for r, n in zip(lines["rank"], lines["n_ranked"])]})
    figure_with_numbers(figure, table.sort_values([t("year"), t("province")]), f"history_{index['index_code']}",
                        f"tong_quan_{index['index_code']}_{pid.replace(':', '-')}")
    latest_year = max(years)
    if not (lines["year"] == latest_year).any():
        st.caption(t("missing_latest", year=latest_year, province=names.get(pid, pid)))


def main() -> None:
    lang = language()
    store = data.load()
    scores, provinces, indices = store["scores"], store["provinces"], store["indices"]
    pid, _ = province_select(provinces)
    names = plain_names(provinces)
    st.title(t("overview_title", province=names[pid]))
    merger_caption(provinces, pid)
    st.caption(t("overview_caption"))
    totals = scores[scores["indicator_code"] == "TOTAL"]
    lineage, before = separate_predecessors(provinces, pid)
    columns = st.columns(len(indices))
    for column, (_, index) in zip(columns, indices.iterrows()):
        with column.container(border=True):
            index_card(index, totals[totals["index_code"] == index["index_code"]], lineage, before, pid, lang, names)
    st.caption(t("computed_rank_note"))


run_under_app()
main()
