"""Tổng quan: one province, each index's latest score, rank, rank change, group and rank history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import charts, data
from ui.routing import run_under_app
from ui.i18n import format_number, group_label
from ui.selectors import merger_caption
from ui.state import language, t, url_select

DEFAULT_PROVINCE = "01"  # Hà Nội


def province_options(provinces: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Provinces that have any score, legacy first (the 2025 ones appear once they have data)."""
    with_data = scores[["era", "province_code"]].drop_duplicates()
    rows = provinces.merge(with_data, left_on=["era", "code"], right_on=["era", "province_code"])
    return rows.sort_values(["era", "name"], ascending=[False, True])


def index_card(index: pd.Series, series: pd.DataFrame, lang: str, province_name: str) -> None:
    name = index["name_en"] if lang == "en" else index["name_vi"]
    st.subheader(index["short_name"])
    st.caption(name)
    if series.empty:
        st.info(t("no_data_index", province=province_name, index=index["short_name"]))
        return
    latest = series.sort_values("year").iloc[-1]
    if bool(latest["is_demo"]):
        st.warning(t("demo_label"), icon=":material/info:")
    decimals = 2
    score_delta = rank_delta = None
    note = ""
    if pd.isna(latest["previous_year"]):
        note = t("no_previous")
    elif bool(latest["comparable"]):
        score_delta = format_number(latest["score_change"], lang, decimals).replace("−", "-")
        if latest["score_change"] > 0:
            score_delta = "+" + score_delta
        rank_delta = int(latest["rank_change"])
        note = t("vs_year", year=int(latest["previous_year"]))
    else:
        note = t("not_comparable", year=int(latest["previous_year"]), reason=latest["not_comparable_reason"])
    left, right = st.columns(2)
    left.metric(f"{t('score')} {int(latest['year'])}", format_number(latest["value"], lang, decimals),
                delta=score_delta)
    right.metric(t("rank"), t("rank_of", rank=int(latest["rank"]), n=int(latest["n_ranked"])),
                 delta=rank_delta, delta_description=None)
    st.markdown(f"**{t('group')}:** {group_label(latest['group'], lang)}  \n"
                f"<small>{note}</small>", unsafe_allow_html=True)
    figure = charts.rank_history(series[["year", "rank", "n_ranked"]], index["all_years"], lang,
                                 demo=bool(series["is_demo"].any()))
    st.plotly_chart(figure,
                    key=f"history_{index['index_code']}", config={"displayModeBar": False})


def main() -> None:
    lang = language()
    store = data.load()
    scores, provinces, indices = store["scores"], store["provinces"], store["indices"]
    options = province_options(provinces, scores)
    labels = dict(zip(options["code"], options["name_en" if lang == "en" else "name"]))
    code = url_select(t("province"), list(options["code"]), "province", labels.get, DEFAULT_PROVINCE)
    st.title(t("overview_title", province=labels[code]))
    merger_caption(provinces, code)
    st.caption(t("overview_caption"))

    totals = scores[(scores["indicator_code"] == "TOTAL")]
    columns = st.columns(len(indices))
    for column, (_, index) in zip(columns, indices.iterrows()):
        index_totals = totals[totals["index_code"] == index["index_code"]]
        index = index.copy()
        index["all_years"] = sorted(index_totals["year"].unique().tolist())
        series = index_totals[index_totals["province_code"] == code]
        with column.container(border=True):
            index_card(index, series, lang, labels[code])
            missing = [y for y in index["all_years"] if y > (series["year"].max() if not series.empty else 0)]
            for year in missing:
                st.caption(t("missing_latest", year=year, province=labels[code]))
    st.caption(t("computed_rank_note"))


run_under_app()
main()
