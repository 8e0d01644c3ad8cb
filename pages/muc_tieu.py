"""Mục tiêu: the province's score and rank targets, and progress against them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import registry
from analytics.exports import csv_bytes
from analytics.errors import UserError
from analytics.store import Store
from analytics.targets import MET, NOT_MET, target_progress
from ui import data
from ui.auth import current_analyst
from ui.i18n import format_number
from ui.routing import run_under_app
from ui.state import language, t, url_select


def status_label(status: str) -> str:
    return t({MET: "status_met", NOT_MET: "status_not_met"}.get(status, "status_pending"))


def target_text(row, lang: str) -> str:
    parts = []
    if pd.notna(row.target_score):
        parts.append(f"{'>' if row.strictly_above else '≥'} {format_number(row.target_score, lang)}")
    if pd.notna(row.target_rank):
        parts.append(f"{t('rank')} ≤ {int(row.target_rank)}")
    if pd.notna(row.min_rank_gain):
        parts.append(f"▲ ≥ {int(row.min_rank_gain)}")
    return "; ".join(parts)


def progress_table(progress: pd.DataFrame, names: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("index"): [names.get(i, i) for i in progress["index_code"]],
        t("year"): progress["year"],
        t("target_label"): [target_text(r, lang) for r in progress.itertuples()],
        t("actual"): [("—" if pd.isna(v) else format_number(v, lang)) + ("" if pd.isna(r) else f" · {int(r)}/{int(n)}")
                      for v, r, n in zip(progress["actual_score"], progress["actual_rank"], progress["n_ranked"].fillna(0))],
        t("rank_change"): progress["actual_gain"].astype("Int64"),
        t("progress"): [status_label(s) for s in progress["status"]],
        t("target_note"): progress["note"],
    })


def target_form(indices: pd.DataFrame, era: str, province: str, analyst: str) -> None:
    with st.form("target_form"):
        a, b = st.columns(2)
        index_code = a.selectbox(t("index"), list(indices["index_code"]),
                                 format_func=dict(zip(indices["index_code"], indices["short_name"])).get, key="target_index")
        year = b.number_input(t("year"), 2011, 2035, 2025, key="target_year")
        c, d, e = st.columns(3)
        score = c.number_input(t("target_score"), 0.0, 100.0, value=None, step=0.01, key="target_score")
        rank = d.number_input(t("target_rank"), 1, 63, value=None, key="target_rank")
        gain = e.number_input(t("target_gain"), 1, 62, value=None, key="target_gain")
        strict = st.checkbox(t("target_strict"), key="target_strict")
        note = st.text_input(t("target_note"), key="target_note")
        if st.form_submit_button(t("save_target")):
            try:
                with Store.open(data.db_path()) as store:
                    store.save_target(era=era, province_code=province, index_code=index_code, year=int(year),
                                      target_score=score, strictly_above=strict, target_rank=rank,
                                      min_rank_gain=gain, note=note, set_by=analyst)
                st.success(t("target_saved"))
            except UserError as error:
                st.error(error.describe())


def main() -> None:
    lang = language()
    store = data.load()
    provinces, indices = store["provinces"], store["indices"]
    options = provinces.sort_values(["era", "name"], ascending=[False, True])
    keys = [f"{r.code}" if r.era == "legacy" else f"{r.code}@2025" for r in options.itertuples()]
    labels = {k: (r.name_en if lang == "en" else r.name) + ("" if r.era == "legacy" else " (2025)")
              for k, r in zip(keys, options.itertuples())}
    chosen = url_select(t("province"), keys, "province", labels.get, "01")
    code, era = (chosen.split("@")[0], registry.ERA_2025) if "@" in chosen else (chosen, registry.LEGACY)
    st.title(t("targets_title", province=labels[chosen]))
    st.caption(t("targets_caption"))
    mine = store["targets"][(store["targets"]["province_code"] == code) & (store["targets"]["era"] == era)]
    names = dict(zip(indices["index_code"], indices["short_name"]))
    if mine.empty:
        st.info(t("no_targets", province=labels[chosen]))
    else:
        progress = target_progress(mine, store["scores"])
        table = progress_table(progress, names, lang)
        st.dataframe(table, hide_index=True)
        st.download_button(t("download_csv"), csv_bytes(table),
                           file_name=f"muc_tieu_{code}.csv", mime="text/csv", key="download_targets")
    analyst = current_analyst()
    if analyst:
        target_form(indices, era, code, analyst)


run_under_app()
main()
