"""Mục tiêu: the province's score and rank targets, and progress against them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import provinces as ids
from analytics import registry
from analytics.errors import UserError
from analytics.store import Store
from analytics.targets import MET, NOT_MET, target_progress
from analytics.wording import N_
from ui.feedback import confirm_saved
from ui import data
from ui.auth import current_analyst
from ui.i18n import format_number
from ui.routing import run_under_app
from ui.show import table_with_csv
from ui.selectors import merger_caption, plain_names, province_select
from ui.state import language, t


def status_label(status: str) -> str:
    return t({MET: N_("status_met"), NOT_MET: N_("status_not_met")}.get(status, N_("status_pending")))


def target_text(row, lang: str) -> str:
    parts = []
    if pd.notna(row.target_score):
        parts.append(f"{'>' if row.strictly_above else '≥'} {format_number(row.target_score, lang)}")
    if pd.notna(row.target_rank):
        parts.append(t("rank") + f" ≤ {int(row.target_rank)}")
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


def target_province(provinces: pd.DataFrame, indices: pd.DataFrame, pid: str, index_code: str, year: int) -> str:
    """The province a target of `year` is about: on that year's map (a 2025 province for 2025
    on; for an earlier year, the same place when unchanged, else refused)."""
    era = registry.era_of_year(index_code, year, indices)
    found = ids.in_era(provinces, pid, era)
    if len(found) != 1:
        names = ", ".join(plain_names(provinces)[p] for p in found)
        raise UserError.keyed("err_target_old_map", year=year, names=names)
    return found[0]


def target_form(provinces: pd.DataFrame, indices: pd.DataFrame, pid: str, analyst: str) -> None:
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
                era, province = ids.split_id(target_province(provinces, indices, pid, index_code, int(year)))
                with Store.open(data.db_path()) as store:
                    store.save_target(era=era, province_code=province, index_code=index_code, year=int(year),
                                      target_score=score, strictly_above=strict, target_rank=rank,
                                      min_rank_gain=gain, note=note, set_by=analyst)
                confirm_saved(t("target_saved"))  # the page reruns and lists the saved target
            except UserError as error:
                st.error(error.describe(language()))


def main() -> None:
    lang = language()
    store = data.load()
    provinces, indices = store["provinces"], store["indices"]
    pid, _ = province_select(provinces)
    labels = plain_names(provinces)
    st.title(t("targets_title", province=labels[pid]))
    merger_caption(provinces, pid)
    st.caption(t("targets_caption"))
    lineage = ids.lineage_map(provinces)
    targets = store["targets"].assign(
        _id=ids.ids_of(store["targets"]["era"], store["targets"]["province_code"]))
    mine = targets[targets["_id"].map(lambda p: lineage.get(p, p)) == lineage.get(pid, pid)].drop(columns="_id")
    chosen = pid
    names = dict(zip(indices["index_code"], indices["short_name"]))
    if mine.empty:
        st.info(t("no_targets", province=labels[chosen]))
    else:
        progress = target_progress(mine, store["scores"])
        table = progress_table(progress, names, lang)
        table_with_csv(table, "targets", f"muc_tieu_{pid.replace(':', '-')}")
    analyst = current_analyst()
    if analyst:
        target_form(provinces, indices, pid, analyst)


run_under_app()
main()
