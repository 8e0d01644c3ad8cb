"""Bản đồ: a tile-grid map of the provinces coloured by group or score; a click opens the profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import provinces as ids
from analytics import registry
from analytics.numbers import source_decimals
from ui import data, memo
from ui.i18n import group_label
from ui.routing import run_under_app
from ui.show import numbers_on_demand
from ui.selectors import demo_notice, index_select, province_link, province_select, year_select
from ui.state import language, switch_page, t, url_select
from ui.tilemap import tile_layout, tile_map


def clicked_province(event) -> str | None:
    """The province code of a clicked tile, from st.plotly_chart's selection event."""
    try:
        points = event.selection.points
    except AttributeError:
        points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else []
    for point in points or []:
        custom = point.get("customdata") if isinstance(point, dict) else None
        if custom:
            return str(custom[0] if isinstance(custom, (list, tuple)) else custom)
    return None


def total_label(index_rows: pd.DataFrame, label_column: str, index_name: str) -> dict[str, str]:
    """The indicator choice of a year without data: the index's total, named as in the years
    that have it (not the bare code "TOTAL")."""
    totals = index_rows[index_rows["indicator_code"] == "TOTAL"]
    return {"TOTAL": str(totals[label_column].iloc[-1]) if not totals.empty else index_name}


def main() -> None:
    lang = language()
    store = data.load()
    scores, indices, provinces = store["scores"], store["indices"], store["provinces"]
    a, b, c, d, e = st.columns([1, 1, 2, 1, 2])
    index_code, names = index_select(indices, a)
    chosen, _ = province_select(provinces, e)
    index_rows = memo.score_table().index(index_code)
    # The 2025 layout is offered as soon as the catalog says results are on the 34 provinces,
    # so the empty state explains what to do instead of hiding the year.
    first_new = int(indices.set_index("index_code").loc[index_code, "new_provinces_from"])
    year = year_select(index_rows, index_code, b, extra=(first_new,))
    year_rows = index_rows[index_rows["year"] == year]
    indicators = year_rows.drop_duplicates("indicator_code").sort_values(["sort_order", "indicator_code"])
    label_column = "name_en" if lang == "en" else "name_vi"
    labels = {r.indicator_code: getattr(r, label_column) for r in indicators.itertuples()} or total_label(
        index_rows, label_column, names[index_code])
    indicator = url_select(t("indicator"), list(labels), "indicator", labels.get, "TOTAL", c)
    colour = d.radio(t("colour_by"), ["group", "value"], format_func=lambda v: t("by_group") if v == "group" else t("by_value"),
                     key="colour_by", horizontal=True, bind="query-params")  # a shared link keeps it

    era = registry.era_of_year(index_code, year, indices)
    st.title(t("map_title", index=names[index_code], year=year))
    st.caption(t("map_caption") + (" " + t("map_caption_2025") if era == registry.ERA_2025 else ""))
    shown = year_rows[year_rows["indicator_code"] == indicator]
    if shown.empty:
        st.info(t("empty_year", index=names[index_code], year=year))
    demo = demo_notice(shown)
    era_provinces = provinces[provinces["era"] == era]
    selected = [ids.split_id(p)[1] for p in ids.in_era(provinces, chosen, era)]
    figure = memo.figure(("tile_map", era, index_code, year, indicator, colour, tuple(selected), lang), lambda: tile_map(
        tile_layout(era), era_provinces, shown[["province_code", "value", "group", "rank", "n_ranked"]],
        lang=lang, colour_by=colour, value_label=t("score"), demo=demo, selected=selected))
    event = st.plotly_chart(figure, key="tile_map", on_select="rerun", selection_mode="points")
    code = clicked_province(event)
    if code:
        pid = ids.province_id(era, code)
        st.session_state["_chosen_province_id"] = pid
        switch_page("pages/ho_so.py", ("index", "year"), **province_link(pid))

    numbers_on_demand(lambda: map_table(era_provinces, shown, lang), "map", f"ban_do_{index_code}_{year}_{indicator}",
                      source_decimals(index_code, indices))


def map_table(era_provinces: pd.DataFrame, shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every province of the map with its score, rank and group (no data last)."""
    table = era_provinces[["code", "name" if lang == "vi" else "name_en"]].merge(
        shown[["province_code", "value", "rank", "group"]], left_on="code", right_on="province_code", how="left")
    table = pd.DataFrame({t("province"): table.iloc[:, 1], t("score"): table["value"],
                          t("rank"): table["rank"].astype("Int64"),
                          t("group"): [group_label(g, lang) if isinstance(g, str) else t("no_data") for g in table["group"]]})
    return table.sort_values(t("rank"), na_position="last")


run_under_app()
main()
