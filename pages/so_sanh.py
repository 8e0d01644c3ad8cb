"""So sánh: two to six provinces side by side on chosen indicators and years."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import charts, data, memo
from ui.i18n import group_label
from ui.routing import run_under_app
from analytics.numbers import source_decimals
from ui.show import figure_with_numbers
from analytics import provinces as ids
from ui.selectors import demo_notice, index_select, plain_names, province_select
from ui.state import language, t, url_multiselect, url_year_span


def main() -> None:
    lang = language()
    store = data.load()
    table, indices, provinces = store["scores"], store["indices"], store["provinces"]
    a, b = st.columns([2, 1])
    chosen_province, _ = province_select(provinces, a)
    index_code, names = index_select(indices, b)
    rows = memo.score_table().index(index_code)
    years = sorted(rows["year"].unique())
    latest = int(years[-1])
    st.title(t("compare_title", index=names[index_code]))

    # Peers are provinces of the latest year's map: the 34 once the index has 2025 results, the
    # 63 before (a merged province is then represented by the provinces it was made of).
    era = rows.loc[rows["year"] == latest, "era"].iloc[0]
    province_names = plain_names(provinces)
    on_map = ids.with_identity(provinces)
    on_map = on_map[on_map["era"] == era].sort_values("name_en" if lang == "en" else "name")["province_id"].tolist()
    anchors = ids.in_era(provinces, chosen_province, era)
    scope = f"{chosen_province}_{index_code}"  # peers, indicators and years belong to one province and index
    default = anchors[:6]
    if len(default) < 6 and anchors:
        default += [p for p in memo.default_peers(memo.key(), anchors[0], index_code, int(latest), 3)
                    if p not in default][:6 - len(default)]
    chosen = url_multiselect(t("compare_provinces"), on_map, "peers", scope, province_names.get, default,
                             max_selections=6, help=t("compare_default"))
    name_col = "name_en" if lang == "en" else "name_vi"
    indicator_rows = rows[rows["year"] == latest].drop_duplicates("indicator_code").sort_values("sort_order")
    indicator_rows = indicator_rows[indicator_rows["level"] <= 1]
    indicator_names = dict(zip(indicator_rows["indicator_code"], indicator_rows[name_col]))
    picked = url_multiselect(t("compare_indicators"), list(indicator_names), "indicators", scope,
                             indicator_names.get, ["TOTAL"])
    span = url_year_span(t("compare_years"), years, "years", scope, (int(years[max(0, len(years) - 6)]), latest))
    if len(chosen) < 2 or not picked:
        st.info(t("compare_need_two"))
        return
    grid = memo.compare(memo.key(), tuple(chosen), index_code, tuple(picked),
                        tuple(int(y) for y in years if span[0] <= y <= span[1]))
    demo = demo_notice(grid)
    province_col = "province_en" if lang == "en" else "province"
    for code in picked:
        part = grid[grid["indicator_code"] == code]
        figure = memo.figure(("compare", code, chosen_province, index_code, tuple(chosen), span, lang),
                             lambda: charts.compare_lines(part, province_col, indicator_names.get(code, code), lang, demo))
        numbers = pd.DataFrame({t("province"): part[province_col], t("year"): part["year"], t("score"): part["value"],
                                t("rank"): part["rank"].astype("Int64"), t("group"): [group_label(g, lang) if isinstance(g, str) else "—" for g in part["group"]]})
        figure_with_numbers(figure, numbers, f"compare_{code}", f"so_sanh_{index_code}_{code}",
                            source_decimals(index_code))


run_under_app()
main()
