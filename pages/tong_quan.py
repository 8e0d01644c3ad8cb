"""Tổng quan: one province, each index's latest score, rank, rank change and group in a card,
then every index's rank history as panels of one figure (one plotly redraw per change, not one
per index).

A merged 2025 province shows its own results from 2025 and, beside them, the history of each
province it was made of under its own name and rank of 63; an unchanged province is one line
across the 2025 map change (marked).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import provinces as ids
from analytics.scores.contract import TotalSeries
from ui import cards, charts, data, memo
from ui.i18n import direction, format_number, group_label, signed_direction
from ui.routing import run_under_app
from ui.selectors import merger_caption, plain_names, province_select
from ui.show import figure_with_numbers
from ui.state import language, t, tn


def separate_predecessors(provinces: pd.DataFrame, pid: str) -> tuple[str, list[str]]:
    """The province's lineage, and the provinces it was made of that are not that lineage (an
    unchanged province has none): computed once per run, not per card."""
    lineages = ids.lineage_map(provinces)
    lineage = lineages.get(pid, pid)
    return lineage, [pred for pred in ids.predecessors(provinces, pid) if lineages[pred] != lineage]


def history_lines(series: TotalSeries, lineage: str, before: list[str], pid: str,
                  names: dict[str, str]) -> pd.DataFrame:
    """The rank lines of the overview: the province's lineage, plus each predecessor of a merged
    2025 province (its own name, its own ranks)."""
    if not before:
        return series.lineage(lineage).assign(line="")
    parts = [series.lineage(lineage).assign(line=names.get(pid, pid))]
    parts += [series.province(pred).assign(line=former_name(names, pred)) for pred in before]
    return pd.concat(parts)


def former_name(names: dict[str, str], pid: str) -> str:
    """A predecessor's label, unmistakable beside the new province (the old Bắc Ninh vs the new)."""
    return t("former_short", name=names.get(pid, pid))


def latest_row(series: pd.DataFrame) -> pd.Series:
    """The newest row of a `TotalSeries` slice (those are oldest first)."""
    return series.iloc[-1]


def result_of(latest: pd.Series, lang: str) -> cards.Result:
    """Score, rank of N (each with its change since the previous year when the two compare),
    group and a note saying against which year, of one province-year."""
    score = cards.Stat(t("score") + f" {int(latest['year'])}", format_number(latest["value"], lang))
    rank = cards.Stat(t("rank"), t("rank_of", rank=int(latest["rank"]), n=int(latest["n_ranked"])))
    if pd.isna(latest["previous_year"]):
        note = t("no_previous")
    elif bool(latest["comparable"]):
        change = format_number(latest["score_change"], lang, signed=True)
        score = replace(score, change=change, trend=signed_direction(change))
        moved = int(latest["rank_change"])  # positive = moved up
        rank = replace(rank, change=format_number(abs(moved), lang, 0), trend=direction(moved),
                       spoken=rank_moved(moved))
        note = t("vs_year", year=int(latest["previous_year"]))
    else:
        reason = latest["not_comparable_reason_en" if lang == "en" else "not_comparable_reason"]
        note = t("not_comparable", year=int(latest["previous_year"]), reason=reason)
    if bool(latest.get("derived", False)):
        note += " · " + t("derived_total", year=int(latest["year"]))
    return cards.Result((score, rank), ((t("group"), group_label(latest["group"], lang)),), note,
                        demo=t("demo_label") if bool(latest["is_demo"]) else None)


def rank_moved(moved: int) -> str:
    """A rank change in words: "Lên 6 bậc", "Xuống 1 bậc", "Giữ nguyên thứ hạng"."""
    if moved == 0:
        return t("rank_unchanged")
    return tn("places_up", moved) if moved > 0 else tn("places_down", -moved)


def index_card(index: pd.Series, series: TotalSeries, lines: pd.DataFrame, lineage: str, before: list[str],
               pid: str, lang: str, names: dict[str, str]) -> cards.Card:
    """One index's latest result: the province's own, and each predecessor's under a heading
    that opens (open when the province has no result of its own yet)."""
    title, caption = index["short_name"], index["name_en"] if lang == "en" else index["name_vi"]
    if lines.empty:
        return cards.Card(title, caption, empty=t("no_data_index", province=names.get(pid, pid), index=title))
    own = series.lineage(lineage)
    parts = [cards.Part(result_of(latest_row(own), lang))] if not own.empty else []
    for pred in before:
        rows = series.province(pred)
        if not rows.empty:
            latest = latest_row(rows)
            parts.append(cards.Part(result_of(latest, lang), f"{former_name(names, pred)} · {int(latest['year'])}",
                                    open=own.empty))
    latest_year = series.years[-1]
    notes = () if (lines["year"] == latest_year).any() else (
        t("missing_latest", year=latest_year, province=names.get(pid, pid)),)
    return cards.Card(title, caption, tuple(parts), notes)


def history_section(panels: list[charts.RankPanel], pid: str, name: str, lang: str) -> None:
    """Every index's rank over the years in one figure (one panel per index), with its numbers."""
    st.subheader(t("overview_history"))
    figure = memo.figure(("rank_history", pid, lang), lambda: charts.rank_history_panels(panels, lang))
    figure_with_numbers(figure, lambda: history_table(panels, name), "history",
                        f"tong_quan_{pid.replace(':', '-')}")


def history_table(panels: list[charts.RankPanel], name: str) -> pd.DataFrame:
    """The rank lines as a table (the chart's numbers): index (in the catalog's order), province,
    year, rank of N."""
    columns = [t("index"), t("province"), t("year"), t("rank")]
    tables = []
    for panel in panels:
        lines = panel.lines
        if lines.empty:
            continue
        ranks = [f"{int(r)}/{int(n)}" for r, n in zip(lines["rank"], lines["n_ranked"])]
        table = pd.DataFrame(dict(zip(columns, [panel.title, lines["line"].replace("", name), lines["year"], ranks])))
        tables.append(table.sort_values([t("year"), t("province")], kind="stable"))
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=columns)


def main() -> None:
    lang = language()
    store = data.load()
    provinces, indices = store["provinces"], store["indices"]
    pid, _ = province_select(provinces)
    names = plain_names(provinces)
    st.title(t("overview_title", province=names[pid]))
    merger_caption(provinces, pid)
    st.caption(t("overview_caption"))
    table = memo.score_table()
    lineage, before = separate_predecessors(provinces, pid)
    panels, index_cards = [], []
    for _, index in indices.iterrows():
        series = table.total_series(index["index_code"])
        lines = history_lines(series, lineage, before, pid, names)
        panels.append(charts.RankPanel(index["short_name"], lines, series.years, series.first_new_year,
                                       demo=bool(lines["is_demo"].any())))
        index_cards.append(index_card(index, series, lines, lineage, before, pid, lang, names))
    cards.show_cards(index_cards)
    history_section(panels, pid, names.get(pid, pid), lang)
    st.caption(t("computed_rank_note"))


run_under_app()
main()
