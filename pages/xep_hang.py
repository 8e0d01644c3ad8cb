"""Xếp hạng: all provinces on one index, year and indicator, as a sorted bar chart and a table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.numbers import source_decimals
from ui import charts, data, memo
from ui.routing import run_under_app
from ui.show import numbers_on_demand
from ui.i18n import format_number, group_label, rank_change_label, unit_label
from analytics import provinces as ids
from ui.selectors import demo_notice, index_select, province_select, year_select
from ui.state import language, t, url_select


def indicator_label(row: pd.Series, lang: str) -> str:
    name = row["name_en"] if lang == "en" else row["name_vi"]
    indent = "\u2003" * int(row["level"])
    return f"{indent}{name}" if row["indicator_code"] != "TOTAL" else name


def ranking_rows(year_rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chart's and table's rows: one per province with data, best first."""
    rows = year_rows.sort_values(["rank", "province"]).copy()
    rows["province_label"] = rows["province_en" if lang == "en" else "province"]
    rows["value_text"] = [format_number(v, lang) for v in rows["value"]]
    rows["change_text"] = [rank_change_label(c, bool(ok)) if pd.notna(p) else ""
                           for c, ok, p in zip(rows["rank_change"], rows["comparable"], rows["previous_year"])]
    return rows


def table_for_download(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Exactly what the chart shows, with interface-language headers."""
    comparable = rows["comparable"].astype(bool)
    return pd.DataFrame({
        t("rank"): rows["rank"].astype("Int64"),
        t("province"): rows["province_label"],
        t("score"): rows["value"],
        t("group"): [group_label(g, lang) for g in rows["group"]],
        t("rank_change"): rows["rank_change"].where(comparable).astype("Int64"),
        t("score_change"): rows["score_change"].where(comparable),
        t("source"): [t("demo_label") if demo else source for source, demo in zip(rows["source_id"], rows["is_demo"])],
    })


def main() -> None:
    lang = language()
    store = data.load()
    scores, indices, provinces = store["scores"], store["indices"], store["provinces"]
    left, middle, right, far = st.columns([1, 1, 2, 2])
    index_code, names = index_select(indices, left)
    chosen, _ = province_select(provinces, far)
    index_rows = memo.score_table().index(index_code)
    year = year_select(index_rows, index_code, middle)
    year_rows = index_rows[index_rows["year"] == year]
    indicators = (year_rows.drop_duplicates("indicator_code")
                  .sort_values(["sort_order", "indicator_code"]))
    labels = {r["indicator_code"]: indicator_label(r, lang) for _, r in indicators.iterrows()}
    indicator = url_select(t("indicator"), list(labels), "indicator", labels.get, "TOTAL", right)

    rows = ranking_rows(year_rows[year_rows["indicator_code"] == indicator], lang)
    st.title(t("rankings_title", index=names[index_code], year=year))
    st.caption(t("rankings_caption", indicator=labels[indicator].strip(), n=len(rows)))
    demo_notice(rows)
    unit = rows["unit"].iloc[0] if not rows.empty else ""
    demo = bool(rows["is_demo"].any())
    era = rows["era"].iloc[0] if not rows.empty else None
    marked = ids.in_era(provinces, chosen, era) if era else []
    highlight = rows.loc[rows["province_id"].isin(marked), "province_label"].tolist()
    figure = memo.figure(("ranking", index_code, year, indicator, tuple(highlight), lang), lambda: charts.ranking_bars(
        rows, lang, t("score") + f" ({unit_label(unit, lang)})", demo=demo, highlight=highlight))
    st.plotly_chart(figure, key="ranking_chart")
    st.caption(t("legend_changes") + (" · " + t("highlighted") + ": " + ", ".join(highlight) if highlight else ""))
    reason_column = "not_comparable_reason_en" if lang == "en" else "not_comparable_reason"
    broken = rows[rows["previous_year"].notna() & ~rows["comparable"].astype(bool)]
    if not broken.empty:  # the year these rows are compared with (2017 for a province without 2018 data)
        reason = broken[reason_column].mode().iloc[0]
        previous = int(broken.loc[broken[reason_column] == reason, "previous_year"].mode().iloc[0])
        st.info("⚠ " + t("not_comparable", year=previous, reason=reason))

    everyone = provinces[provinces["era"] == (era or "legacy")]
    missing = everyone[~everyone["code"].isin(rows["province_code"])]
    name_column = "name_en" if lang == "en" else "name"
    if missing.empty:
        st.caption(t("all_have_data"))
    else:
        st.markdown(t("no_data_provinces", n=len(missing),
                      names=", ".join(f"{n} — " + t("no_data") for n in missing[name_column])))

    stem = f"{index_code}_{year}_{indicator}{'_du-lieu-minh-hoa' if demo else ''}"
    numbers_on_demand(lambda: table_for_download(rows, lang), "ranking", stem, source_decimals(index_code, indices))


run_under_app()
main()
