"""Hồ sơ tỉnh: one province's whole picture on an index — headline, dimensions, drill-down, rank
history, groups over time, why the rank moved and what it takes to climb."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics import provinces as ids
from analytics.coverage import year_span, years_at_depth
from analytics.wording import N_
from ui import charts, data, memo
from ui.i18n import format_number, group_label
from ui.routing import run_under_app
from analytics.numbers import source_decimals
from ui.selectors import (demo_notice, in_year, index_select, merger_caption, no_data_offer, plain_names,
                          province_select, year_select)
from ui.show import figure_with_numbers, show_table
from ui.state import language, t, tn


def headline_card(h: dict, index_name: str, lang: str) -> None:
    st.markdown(f"**{index_name}**")
    if h is None:
        st.caption(t("no_data"))
        return
    if h["is_demo"]:
        st.caption(":orange[" + t("demo_label") + "]")
    a, b = st.columns(2)
    delta = None
    if h["comparable"] and h["score_change"] is not None:
        delta = ("+" if h["score_change"] > 0 else "") + format_number(h["score_change"], lang).replace("−", "-")
    a.metric(t("score") + f" {h['year']}", format_number(h["score"], lang), delta=delta)
    b.metric(t("rank"), t("rank_of", rank=h["rank"], n=h["n_ranked"]),
             delta=int(h["rank_change"]) if h["comparable"] and h["rank_change"] is not None else None)
    notes = [t("group") + f": {group_label(h['group'], lang)}"]
    if h["previous_year"]:
        reason = h["not_comparable_reason_en" if lang == "en" else "not_comparable_reason"]
        notes.append(t("vs_year", year=h["previous_year"]) if h["comparable"]
                     else t("not_comparable", year=h["previous_year"], reason=reason))
    if h.get("derived"):
        notes.append(t("derived_total", year=h["year"]))
    if h.get("within_noise"):
        notes.append(t("headline_note_noise", band=format_number(h["noise_band"], lang), places=h["noise_rank_band"]))
    st.caption(" · ".join(notes))


LEVEL_KEYS = {1: N_("level_dimensions"), 2: N_("level_sub-dimensions"), 3: N_("level_indicators")}


def detail_table(detail: pd.DataFrame, name_col: str, lang: str, index_code: str) -> None:
    show_table(pd.DataFrame({
        t("indicator"): detail[name_col], t("score"): detail["value"],
        t("median"): detail["median"], t("best"): detail["best_value"],
        t("rank"): [f"{int(r)}/{int(n)}" if pd.notna(r) else "—" for r, n in zip(detail["rank"], detail["n_ranked"])],
        t("group"): [group_label(g, lang) for g in detail["group"]]}), source_decimals(index_code))


@st.fragment
def drill_down(version: str, with_children: pd.DataFrame, province: str, index_code: str, year: int, lang: str) -> None:
    """Dimension → sub-dimensions → indicators (where the year has them); choosing another
    dimension or sub-dimension reruns this section only."""
    name_col = "name_en" if lang == "en" else "name_vi"
    st.subheader(t("drill_down"))
    options = dict(zip(with_children["indicator_code"], with_children[name_col]))
    parent = st.selectbox(t("indicator"), list(options), format_func=options.get, key="drill_parent")
    detail = memo.dimension_profile(version, province, index_code, year, level=2, parent=parent)
    detail_table(detail, name_col, lang, index_code)
    deeper = detail[detail["has_children"].astype(bool)]
    if deeper.empty:
        return
    subs = dict(zip(deeper["indicator_code"], deeper[name_col]))
    sub = st.selectbox(t("drill_sub"), list(subs), format_func=subs.get, key=f"drill_sub_{parent}")
    st.markdown("**" + t("drill_indicators", year=year) + "**")
    detail_table(memo.dimension_profile(version, province, index_code, year, level=3, parent=sub), name_col, lang,
                 index_code)


def level_caption(coverage: pd.DataFrame) -> str:
    """Which years each level of detail exists for, e.g. "Nội dung thành phần: các năm 2011–2019."."""
    parts = []
    for depth in sorted(set(coverage["depth"])):
        years = years_at_depth(coverage, depth)
        parts.append(t("heat_years", level=t(LEVEL_KEYS.get(depth, LEVEL_KEYS[3])), years=year_span(years)))
    return " ".join(parts)


def main() -> None:
    lang = language()
    store = data.load()
    table, indices, provinces = store["scores"], store["indices"], store["provinces"]
    a, b, c = st.columns([2, 1, 1])
    chosen, _ = province_select(provinces, a)
    index_code, names = index_select(indices, b)
    rows = memo.score_table().index(index_code)
    year = year_select(rows, index_code, c)
    province_names = plain_names(provinces)
    heading = st.empty()
    merger_caption(provinces, chosen)
    version = memo.key()
    scores = memo.score_table()
    province = in_year(provinces, chosen, scores.era_of(index_code, year), year, province_names)
    # An unchanged province carries the name it had that year (Thừa Thiên Huế in 2020, Huế since 2025).
    same_place = province and ids.lineage_map(provinces).get(province) == ids.lineage_map(provinces).get(chosen)
    heading.title(t("profile_title", province=province_names[province if same_place else chosen]))

    cards = st.columns(len(indices))
    for column, index in zip(cards, indices.itertuples()):
        with column.container(border=True):
            chosen_year = year if index.index_code == index_code else None
            shown = province if index.index_code == index_code and province else chosen
            headline_card(memo.headline(version, shown, index.index_code, chosen_year),
                          index.short_name, lang)

    mine = rows[(rows["province_id"] == province) & (rows["year"] == year)] if province else rows.iloc[0:0]
    if mine.empty:
        no_data_offer(scores, index_code, year, province_names.get(province or chosen, chosen), names[index_code])
        return
    demo = demo_notice(mine)
    view = ProfileView(version, province, index_code, year, lang, demo, province_names[province],
                       f"{index_code}_{province.replace(':', '-')}_{year}")
    # One section at a time: only the open tab runs and draws (the headline above is the page's
    # first meaningful content); the open tab is in the URL (`?section=…`), so a link shares it.
    sections = [(t("tab_dimensions"), dimensions_section), (t("tab_history"), history_section),
                (t("tab_groups"), groups_section), (t("tab_why"), why_section), (t("tab_climb"), what_if_section)]
    tabs = st.tabs([label for label, _ in sections], key="section", bind="query-params", on_change="rerun")
    for tab, (_, section) in zip(tabs, sections):
        if tab.open:
            with tab:
                section(view, rows, mine)


@dataclass(frozen=True)
class ProfileView:
    """What every section of the profile is drawn for."""
    version: str
    province: str
    index_code: str
    year: int
    lang: str
    demo: bool
    province_name: str
    stem: str  # file names of the exports

    @property
    def selection(self) -> tuple:
        """What the section's charts show, for their memo (`memo.figure`)."""
        return (self.province, self.index_code, self.year, self.lang)

    @property
    def name_col(self) -> str:
        return "name_en" if self.lang == "en" else "name_vi"


def dimensions_section(view: ProfileView, rows: pd.DataFrame, mine: pd.DataFrame) -> None:
    st.subheader(t("dimensions_vs"))
    profile = memo.dimension_profile(view.version, view.province, view.index_code, view.year)
    labels = {"value": view.province_name, "median": t("median"), "best": t("best")}
    numbers = pd.DataFrame({t("indicator"): profile[view.name_col], t("score"): profile["value"],
                            t("median"): profile["median"], t("best"): profile["best_value"],
                            t("rank"): profile["rank"].astype("Int64"),
                            t("group"): [group_label(g, view.lang) for g in profile["group"]]})
    figure = memo.figure(("profile_bars",) + view.selection, lambda: charts.profile_bars(profile, view.lang, labels, view.demo))
    figure_with_numbers(figure, numbers, "profile_bars",
                        f"{view.stem}_chi_so_noi_dung", source_decimals(view.index_code))
    with_children = profile[profile["has_children"].astype(bool)]
    if not with_children.empty:
        drill_down(view.version, with_children, view.province, view.index_code, view.year, view.lang)
        return
    deeper_years = years_at_depth(memo.coverage(view.version, view.index_code), 2)
    if deeper_years:  # say why there is no drill-down this year
        st.caption(t("drill_only_dimensions", year=view.year, years=year_span(deeper_years)))


def history_section(view: ProfileView, rows: pd.DataFrame, mine: pd.DataFrame) -> None:
    st.subheader(t("bump"))
    history = memo.rank_history(view.version, view.province, view.index_code, level=1)
    bump_numbers = history.pivot_table(index="year", columns=view.name_col, values="rank",
                                       aggfunc="first").reset_index()
    figure = memo.figure(("bump",) + view.selection, lambda: charts.bump_chart(history, view.lang, view.demo))
    figure_with_numbers(figure, bump_numbers, "bump",
                        f"{view.stem}_thu_hang")


def groups_section(view: ProfileView, rows: pd.DataFrame, mine: pd.DataFrame) -> None:
    """The group of each indicator over the years, at a level of detail the reader picks among
    those the years have (dimensions every year; sub-dimensions only where published)."""
    st.subheader(t("heatmap"))
    own_rows = rows[rows["lineage_id"] == mine["lineage_id"].iloc[0]]
    coverage = memo.coverage(view.version, view.index_code)
    depths = sorted({int(d) for d in own_rows["level"].unique() if d in (1, 2)})
    if not depths:
        return
    level = st.radio(t("heat_level"), depths, format_func=lambda d: t(LEVEL_KEYS[d]), horizontal=True,
                     key="heat_level") if len(depths) > 1 else depths[0]
    st.caption(level_caption(coverage))
    cells = own_rows[own_rows["level"] == level].sort_values(["sort_order", "year"])
    cells = cells.assign(label=cells[view.name_col].map(lambda name: charts.short_label(name, 45, 1)))
    heat_numbers = cells.pivot_table(index=view.name_col, columns="year", values="rank", aggfunc="first",
                                     sort=False).reset_index().rename(columns={view.name_col: t("indicator")}).rename(columns=str)
    figure = memo.figure(("heatmap", level) + view.selection, lambda: charts.group_heatmap(cells, view.lang, view.demo))
    figure_with_numbers(figure, heat_numbers, "heatmap",
                        f"{view.stem}_nhom")


def why_section(view: ProfileView, rows: pd.DataFrame, mine: pd.DataFrame) -> None:
    st.subheader(t("why_moved"))
    lang = view.lang
    why = memo.why_rank_moved(view.version, view.province, view.index_code, view.year)
    st.markdown(why.get("sentence_en" if lang == "en" else "sentence_vi") or "—")
    if why.get("dimensions_sentence_vi"):
        st.caption(why["dimensions_sentence_en" if lang == "en" else "dimensions_sentence_vi"])
    if isinstance(why.get("neighbours"), pd.DataFrame) and not why["neighbours"].empty:
        near = why["neighbours"]
        st.markdown("**" + t("neighbours") + "**")
        show_table(pd.DataFrame({
            t("province"): near["province_en" if lang == "en" else "province"],
            t("rank"): near["rank"], t("score"): near["value"],
            t("previous"): near["previous_rank"].astype("Int64"),
            t("score_change"): near["score_change"], t("rank_change"): near["rank_change"].astype("Int64"),
        }), source_decimals(view.index_code))


def what_if_section(view: ProfileView, rows: pd.DataFrame, mine: pd.DataFrame) -> None:
    st.subheader(t("what_if"))
    lang = view.lang
    for row in memo.what_if(view.version, view.province, view.index_code, view.year).itertuples():
        st.markdown("- **" + tn("places_up", row.places) + ":** " + (row.sentence_en if lang == "en" else row.sentence_vi))
        if isinstance(row.plan, list) and row.plan:
            steps = "; ".join(f"{step[4] if lang == 'en' else step[1]} +{format_number(step[2], lang, 3)}"
                              for step in row.plan)
            st.caption(t("what_if_plan") + f": {steps}")


run_under_app()
main()
