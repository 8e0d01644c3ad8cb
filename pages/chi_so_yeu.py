"""Chỉ số yếu: a province's weak-indicator worklist, its reasons and departments, and the annex."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics import annex, plans, weak
from analytics import provinces as ids
from analytics.errors import UserError
from analytics.store import Store
from ui.feedback import confirm_saved
from ui import charts, data, memo
from ui.auth import current_analyst
from ui.routing import run_under_app
from ui.selection import province_index_year
from ui.selectors import demo_notice, merger_caption, no_data_offer
from analytics.numbers import source_decimals
from analytics.weak_wording import department_label, departments_label, follow_up_label
from ui.i18n import TIER_KEYS, group_label
from ui.show import csv_buttons, show_table
from ui.state import language, t


@st.cache_data(show_spinner=False, max_entries=64)
def compute_worklist(version: str, province: str, index_code: str, year: int, settings: tuple):
    """Every indicator assessed (with its tier), for one selection; recomputed only when data or
    thresholds change."""
    store = data.load()
    thresholds = weak.Thresholds.for_index(store["indices"], index_code, **dict(settings))
    # The index's own rows (sliced once per data version), not the whole table: the assessment
    # filters by index first, and that filter over every index's rows cost a third of it.
    rows = memo.score_table().index(index_code)
    assessed = weak.assess_indicators(rows, store["indices"], province, index_code, year, thresholds,
                                      store["departments"])
    return assessed, thresholds


@st.cache_data(show_spinner=False, max_entries=64)
def compute_follow_up(version: str, province: str, index_code: str, year: int, settings: tuple):
    """How last year's list moved (None when there is none). It re-assesses the previous year,
    so it costs as much as the list itself: computed when its section is opened or the annex is
    downloaded, not on every selection."""
    store = data.load()
    thresholds = weak.Thresholds.for_index(store["indices"], index_code, **dict(settings))
    return weak.follow_up_of(memo.score_table().index(index_code), store["indices"], province, index_code, year,
                             thresholds, store["departments"])


@st.cache_data(show_spinner=False, max_entries=32)
def cached_annex(version: str, province: str, index_code: str, year: int, settings: tuple, tier: str,
                 reasons: tuple, departments: tuple, province_name: str, index_name: str, lang: str = "vi") -> bytes:
    """The annex workbook of what the page shows (same selection, tier and filters)."""
    assessed, thresholds = compute_worklist(version, province, index_code, year, settings)
    follow = compute_follow_up(version, province, index_code, year, settings)
    flags = weak.select_tier(assessed, tier)
    return annex.annex_workbook(filter_flags(flags, reasons, departments), province_name=province_name,
                                index_name=index_name, year=year, thresholds=thresholds,
                                sources=data.load()["sources"], follow_up=follow, lang=lang)


def filter_flags(flags: pd.DataFrame, reasons, departments) -> pd.DataFrame:
    """Rows with any of `reasons` (codes compared whole: LOW never matches BELOW_MEDIAN) and a
    lead department among `departments` (no filter when empty)."""
    shown = flags
    if reasons:
        shown = shown[shown["reason_codes"].apply(lambda codes: any(r in list(codes) for r in reasons))]
    if departments:
        shown = shown[shown["lead_department"].isin(departments)]
    return shown


TIER_CHOICES = ["priority", "watch", "keep", "all"]


def tier_select(assessed: pd.DataFrame, thresholds: weak.Thresholds) -> str:
    """The tier shown (default: priority, capped at `thresholds.priority_cap` by severity)."""
    counts = assessed["tier"].value_counts() if not assessed.empty else pd.Series(dtype=int)
    total = int(counts.sum())
    return st.radio(t("tier_select"), TIER_CHOICES, horizontal=True, key="tier",
                    format_func=lambda c: f"{t(TIER_KEYS[c])} ({total if c == 'all' else int(counts.get(c, 0))})",
                    help=t("tier_help", cap=thresholds.priority_cap))


def threshold_controls(indices: pd.DataFrame, index_code: str) -> tuple:
    defaults = weak.Thresholds.for_index(indices, index_code)
    facts = indices.set_index("index_code").loc[index_code]
    with st.expander(t("thresholds")):
        a, b, c = st.columns(3)
        places = a.number_input(t("decline_places"), 1, 30, defaults.decline_rank_places, key="th_places")
        share = b.slider(t("points_lost_share"), 0, 100, int(round(defaults.points_lost_share * 100)), 5, key=f"th_share_{index_code}")
        settings = {"decline_rank_places": int(places), "points_lost_share": share / 100}
        if bool(facts["survey_based"]):
            band = c.number_input(t("small_change"), 0.0, 10.0, float(facts["small_score_change"]), 0.05,
                                  key=f"th_band_{index_code}")
            settings["small_change"] = float(band)
    return tuple(sorted(settings.items()))


def display_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The flags as shown (and downloaded): interface-language headers, names and reasons."""
    numbers = ["value", "previous_value", "change", "median", "best_value", "points_lost"]
    flags = flags.assign(**{c: pd.to_numeric(flags[c], errors="coerce") for c in numbers})  # None → NaN
    en = lang == "en"
    return pd.DataFrame({
        t("indicator"): flags["indicator_en" if en else "indicator"],
        t("parent"): flags["parent_indicator_en" if en else "parent_indicator"],
        t("score"): flags["value"],
        t("previous"): flags["previous_value"],
        t("score_change"): flags["change"],
        t("rank"): flags["rank"].astype("Int64"),
        t("rank_change"): flags["rank_change"].astype("Int64"),
        t("group"): [group_label(g, lang) for g in flags["group"]],
        t("median"): flags["median"],
        t("best"): flags["best_value"],
        t("points_lost"): flags["points_lost"],
        t("reasons"): flags["reason_text_en" if en else "reason_text"],
        t("lead"): [department_label(d, lang) for d in flags["lead_department"]],
        t("support"): [departments_label(d, lang) for d in flags["support_departments"]],
        t("severity_col"): flags["severity"],
        t("tier"): flags["tier"].map(lambda code: t(TIER_KEYS[code]) if isinstance(code, str) else ""),
    })


def follow_summary_table(follow: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Counts per lead department with interface-language headers (not `lead_department`, `n`)."""
    summary = weak.follow_up_summary(follow, lang)
    headers = {"lead_department": t("lead"), "n": t("follow_n")}
    headers.update({status: follow_up_label(status, lang) for status in weak.FOLLOW_UP_STATUS})
    summary["lead_department"] = [department_label(d, lang) for d in summary["lead_department"]]
    return summary.rename(columns=headers)


def follow_table(follow: pd.DataFrame, lang: str, catalog: pd.DataFrame) -> pd.DataFrame:
    """The follow-up rows a reader needs, in the interface language (indicator names from the
    catalog in English)."""
    names = follow["indicator"]
    if lang == "en":
        english = catalog.drop_duplicates(["index_code", "indicator_code"], keep="last")
        english = dict(zip(zip(english["index_code"], english["indicator_code"]), english["name_en"]))
        names = [english.get((i, c)) or n for i, c, n in zip(follow["index"], follow["indicator_code"], follow["indicator"])]
    return pd.DataFrame({
        t("indicator"): names,
        t("lead"): [department_label(d, lang) for d in follow["lead_department"]],
        t("previous"): pd.to_numeric(follow["previous_value"], errors="coerce"),
        t("score"): pd.to_numeric(follow["value"], errors="coerce"),
        t("score_change"): pd.to_numeric(follow["change"], errors="coerce"),
        t("group"): [group_label(g, lang) for g in follow["group"]],
        t("status"): follow["status_text_en" if lang == "en" else "status_text"],
    })


def departments_editor(store_data, index_code: str, may_write: bool) -> None:
    """The lead and supporting departments of each indicator of the index, editable by a
    signed-in analyst. Departments are picked from the known names (or typed, for supporting
    ones) and shown in the interface language; the store keeps the Vietnamese names."""
    lang = language()
    # Built only when opened: the editor is the page's heaviest element and few readers open it.
    with st.expander(t("departments"), key="departments_open", on_change="rerun") as section:
        if not section.open:
            return
        st.caption(t("departments_help"))
        table = store_data["departments"]
        rows = table[table["index_code"] == index_code][["index_code", "indicator_code", "lead_department",
                                                         "support_departments"]].reset_index(drop=True)
        name_col = "name_en" if lang == "en" else "name_vi"
        names = store_data["catalog"].drop_duplicates(["index_code", "indicator_code"], keep="last")
        rows = rows.merge(names[["index_code", "indicator_code", name_col]], how="left")
        rows = rows[["index_code", "indicator_code", name_col, "lead_department", "support_departments"]]
        rows["support_departments"] = rows["support_departments"].map(plans.split_departments)
        known = plans.department_names(table)
        shown = functools.partial(department_label, lang=lang)
        # Labels in the interface language; the columns keep the names the store saves by.
        labels = {"index_code": t("index"), "indicator_code": t("code"), name_col: t("indicator")}
        config = {c: st.column_config.TextColumn(label) for c, label in labels.items()}
        config["lead_department"] = st.column_config.SelectboxColumn(t("lead"), options=known, format_func=shown,
                                                                     required=True)
        config["support_departments"] = st.column_config.MultiselectColumn(
            t("support"), options=known, format_func=shown, accept_new_options=True)
        edited = st.data_editor(rows, hide_index=True, disabled=not may_write or ["index_code", "indicator_code", name_col],
                                column_config=config, key=f"departments_{index_code}", num_rows="fixed")
        if may_write and st.button(t("save_departments"), key="save_departments"):
            try:
                with Store.open(data.db_path()) as store:
                    n = store.save_departments(weak.departments_as_saved(edited), current_analyst() or "?")
                confirm_saved(t("departments_saved", n=n))
            except UserError as error:
                st.error(error.describe(language()))


@dataclass(frozen=True, eq=False)
class Worklist:
    """What the worklist section shows: the selection and its assessment (from the full run)."""
    province: str
    index_code: str
    year: int
    settings: tuple
    assessed: pd.DataFrame
    thresholds: weak.Thresholds
    demo: bool
    province_name: str       # in the interface language
    index_name: str
    province_name_vi: str    # the annex's file name is Vietnamese in both languages
    decimals: int

    @property
    def total(self) -> int:
        """Indicators assessed (the "of N" of the flagged count)."""
        return len(self.assessed)


@st.fragment
def worklist_section(view: Worklist) -> None:
    """Tier, filters, the gap chart, the list and its downloads. These controls are local:
    choosing a tier or a filter reruns this section only, not the selectors and thresholds."""
    lang = language()
    tier = tier_select(view.assessed, view.thresholds)
    flags = weak.select_tier(view.assessed, tier)
    if flags.empty:
        st.success(t("none_flagged"))
        return
    st.markdown(t("flagged_count", n=len(flags), total=view.total))
    present = {code for codes in flags["reason_codes"] for code in codes}
    reason_options = [r for r in weak.REASON_CODES if r in present]
    labels = annex.reason_labels(lang)
    # Pills, not multiselects: every choice in sight, one click each, and a lighter page (a
    # province change took 0.89x as long: bench/ab_change.py). None chosen = no filter.
    reasons = st.pills(t("filter_reasons"), reason_options, format_func=lambda r: f"{labels.get(r, r)} ({r})",
                       selection_mode="multi", key="filter_reasons", bind="query-params", wrap=True,
                       help=t("filter_none_is_all"))
    departments = st.pills(t("filter_departments"), sorted(flags["lead_department"].unique()), selection_mode="multi",
                           key="filter_departments", format_func=lambda d: department_label(d, lang),
                           bind="query-params", wrap=True, help=t("filter_none_is_all"))
    shown = filter_flags(flags, reasons, departments)
    # everything the chart and the table show: each is built once per selection (memo), not per rerun
    what = (view.province, view.index_code, view.year, view.settings, tier, tuple(reasons), tuple(departments), lang)
    st.markdown("**" + t("gaps_chart") + "**")
    gaps = memo.figure(("gaps",) + what, lambda: charts.gap_chart(
        shown.assign(label=shown["indicator_en" if lang == "en" else "indicator"].map(charts.short_label)), lang,
        {"value": t("value"), "median": t("median"), "best": t("best")}, view.demo))
    st.plotly_chart(gaps, key="gap_chart")
    table_shown = memo.table(("weak",) + what, lambda: display_table(shown, lang))
    show_table(table_shown, view.decimals, what=("weak",) + what)
    stem = annex.annex_file_stem(view.index_code, view.province_name_vi, view.year, lang)
    version = data.version()

    def workbook() -> bytes:  # built when the button is clicked, not on every selection
        return cached_annex(version, view.province, view.index_code, view.year, view.settings, tier, tuple(reasons),
                            tuple(departments), view.province_name, view.index_name, lang)
    st.download_button(t("download_annex"), workbook, file_name=f"{stem}.xlsx", key="download_annex",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    csv_buttons(table_shown, "weak", stem, view.decimals)


def main() -> None:
    store_data = data.load()
    indices, provinces = store_data["indices"], store_data["provinces"]
    chosen = province_index_year(store_data)
    province, index_code, year = chosen.province, chosen.index_code, chosen.year
    province_names, names = chosen.province_names, chosen.index_names
    table = memo.score_table()  # indexed once per data version, shared by sessions

    st.title(t("weak_title", province=province_names[province], index=names[index_code], year=year))
    merger_caption(provinces, province)
    st.caption(t("weak_caption"))
    settings = threshold_controls(indices, index_code)
    selection = table.index_year(index_code, year)
    selection = selection[selection["province_id"] == province]
    if selection.empty:
        no_data_offer(table, index_code, year, province_names[province], names[index_code])
        return
    assessed, thresholds = compute_worklist(data.version(), province, index_code, year, settings)
    worklist_section(Worklist(province, index_code, year, settings, assessed, thresholds,
                              demo_notice(selection), province_names[province], names[index_code],
                              ids.names(provinces, "vi").get(province, province),
                              source_decimals(index_code, indices)))
    follow_up_section(store_data, province, index_code, year, settings)
    departments_editor(store_data, index_code, current_analyst() is not None)


def follow_up_section(store_data: dict, province: str, index_code: str, year: int, settings: tuple) -> None:
    """How last year's list moved, by lead department and indicator: behind an expander named
    after that year, computed only once it is opened (it costs as much as this year's list)."""
    lang = language()
    previous_year, _ = memo.previous_lists(memo.key(), province, index_code, year)
    if previous_year is None:
        st.caption(t("follow_up_none"))
        return
    with st.expander(t("follow_up", year=previous_year), key="follow_up_open", on_change="rerun") as section:
        if not section.open:
            return
        follow = compute_follow_up(data.version(), province, index_code, year, settings)
        if follow is None or follow.empty:
            st.caption(t("follow_up_none"))
            return
        show_table(follow_summary_table(follow, lang))
        show_table(follow_table(follow, lang, store_data["catalog"]),
                   source_decimals(index_code, store_data["indices"]))


run_under_app()
main()
