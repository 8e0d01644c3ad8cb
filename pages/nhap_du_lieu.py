"""Nhập dữ liệu: upload a workbook → problems and preview → confirm → one import batch.

The same path as `python -m analytics import` (analytics.imports); this page only shows it.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import registry
from analytics.errors import UserError
from analytics.imports import commit_import, prepare_import
from analytics.ingest import IGNORE
from analytics.store import Store
from analytics.wording import N_
from analytics.templates import template_workbook
from ui import data
from ui.auth import configured_analysts, current_analyst, login_form
from ui.feedback import confirmed
from ui.routing import run_under_app
from ui.state import language, t

SEVERITY_KEYS = {"error": N_("severity_error"), "warning": N_("severity_warning"), "info": N_("severity_info")}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def escape(text: object) -> str:
    """File content shown through markdown (labels, messages) as literal text: no link, no image."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ")


def problems_table(problems) -> pd.DataFrame:
    """The import's problems, their sentences in the interface language."""
    lang = language()
    return pd.DataFrame([{t("severity"): t(SEVERITY_KEYS[p.severity]), t("sheet"): p.sheet, t("row"): p.row,
                          t("column"): p.column, t("problem"): p.message_in(lang), t("what_to_do"): p.hint_in(lang)}
                         for p in problems])


def indicator_choices(catalog: pd.DataFrame, index_code: str, year: int, lang: str) -> dict[str, str]:
    rows = registry.indicators_in_year(catalog, index_code, year)
    name = "name_en" if lang == "en" else "name_vi"
    return {r.indicator_code: f"{r.indicator_code} — {getattr(r, name)}" for r in rows.itertuples()}


def mapping_editor(prepared, catalog, lang) -> dict[str, str] | None:
    """Selects for columns the catalog could not match; returns overrides once applied.

    Choices are keyed by the column's address ("Sheet!H"), never by the match object."""
    unmatched = prepared.plan.unmatched()
    if not unmatched:
        return None
    st.subheader(t("unmatched_heading"))
    st.caption(t("unmatched_help"))
    sheets = {s.sheet: s for s in prepared.plan.sheets}
    columns = {c.key: c for c in unmatched}
    chosen: dict[str, str] = {}
    with st.form("mapping"):
        for key, column in columns.items():
            sheet = sheets[column.sheet]
            options = {"": t("choose"), IGNORE: t("ignore_column"),
                       **indicator_choices(catalog, sheet.index_code, sheet.year, lang)}
            st.text(f"{column.sheet} · " + t("column") + f" {column.column}: «{column.header}»")  # plain text, never markdown
            label = f"{escape(column.sheet)} · " + t("column") + f" {escape(column.column)}"
            chosen[key] = st.selectbox(label, list(options), format_func=options.get, key=f"map_{key}",
                                       label_visibility="collapsed")
        applied = st.form_submit_button(t("apply_mapping"))
    if not applied:
        return None
    picks = {key: code for key, code in chosen.items() if code}
    if picks:
        with Store.open(data.db_path()) as store:
            store.save_mappings([(sheets[columns[k].sheet].index_code, columns[k].header_key, code)
                                 for k, code in picks.items()], saved_by=current_analyst() or "?")
    return picks


def named_changes(changed: pd.DataFrame, provinces: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Old → new with province and indicator names (in the interface language), not codes."""
    names = provinces.set_index(["era", "code"])["name" if language() == "vi" else "name_en"]
    label = "name_en" if language() == "en" else "name_vi"
    indicators = catalog.drop_duplicates(["index_code", "indicator_code"], keep="last").set_index(
        ["index_code", "indicator_code"])[label]
    return pd.DataFrame({
        t("index"): changed["index_code"], t("year"): changed["year"],
        t("province"): [names.get((e, c), c) for e, c in zip(changed["era"], changed["province_code"])],
        t("indicator"): [indicators.get((i, c), c) for i, c in zip(changed["index_code"], changed["indicator_code"])],
        t("old_value"): changed["old_value"], t("new_value"): changed["value"],
        t("sheet"): changed["sheet"], t("row"): changed["row"], t("column"): changed["column"]})


def show_plan(prepared, provinces: pd.DataFrame, catalog: pd.DataFrame) -> None:
    plan = prepared.plan
    names = provinces.set_index(["era", "code"])["name" if language() == "vi" else "name_en"]
    st.subheader(t("recognised"))
    for sheet in plan.sheets:
        if not sheet.year:
            continue
        count = plan.scores.loc[plan.scores["sheet"] == sheet.sheet, "province_code"].nunique()
        parts = [t("sheet_summary", index=sheet.index_code, year=sheet.year, n=count)]
        if sheet.summary_rows:
            parts.append(t("summary_rows", rows=", ".join(map(str, sheet.summary_rows))))
        if sheet.provinces_without_data:
            parts.append(t("without_data", names=", ".join(sheet.provinces_without_data)))
        st.markdown(f"- **{escape(sheet.sheet)}** — " + escape("; ".join(parts)))
        if sheet.near_matches:
            st.warning(escape(t("near_matches", pairs=", ".join(f"«{a}» → {b}" for a, b in sheet.near_matches))))
        if sheet.derived_totals:
            era_names = [names.get((sheet.era, code), code) for code in sheet.derived_totals]
            st.info(escape(t("derived", names=", ".join(era_names))))
    if plan.problems:
        st.subheader(t("problems", n=len(plan.problems)))
        st.dataframe(problems_table(plan.problems), hide_index=True)
    diff = prepared.preview
    if diff is None:
        return
    st.subheader(t("preview"))
    cols = st.columns(4)
    cols[0].metric(t("added"), len(diff.added))
    cols[1].metric(t("changed"), len(diff.changed))
    cols[2].metric(t("unchanged"), diff.unchanged)
    cols[3].metric(t("replaced_demo"), diff.replaced_demo)
    if diff.more_precise is not None and not diff.more_precise.empty:
        st.info(t("more_precise", n=len(diff.more_precise)))
    for repeat in (diff.repeats.itertuples() if diff.repeats is not None else []):
        st.warning(escape(t("repeats", column=repeat.column, sheet=repeat.sheet, code=repeat.indicator_code,
                              other=repeat.repeats_code, n=repeat.provinces)))
    if not diff.changed.empty:
        st.markdown("**" + t("changes_table") + "**")
        st.dataframe(named_changes(diff.changed, provinces, catalog), hide_index=True)
    if not diff.missing_provinces.empty:
        era = plan.scores["era"].iloc[0]
        missing = [names.get((era, code), code) for code in diff.missing_provinces["province_code"]]
        st.warning(t("missing_vs_previous", names=", ".join(missing)))


def upload_section(store_data, analyst: str) -> None:
    lang = language()
    uploaded = st.file_uploader(t("upload_label"), type=["xlsx", "xls"], key="upload")
    if uploaded is None:
        return
    indices = store_data["indices"]
    left, middle = st.columns(2)
    index_options = [""] + list(indices["index_code"])
    index_code = left.selectbox(t("index"), index_options, format_func=lambda c: c or t("auto"), key="import_index")
    year_options = [""] + [str(y) for y in range(date.today().year, 2010, -1)]
    year = middle.selectbox(t("year"), year_options, format_func=lambda y: y or t("auto"), key="import_year")
    overrides = st.session_state.setdefault("overrides", {})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        try:
            with Store.open(data.db_path(), read_only=True) as store:
                prepared = prepare_import(store, path, file_name=uploaded.name, index_code=index_code or None,
                                          year=int(year) if year else None, column_overrides=overrides)
        except UserError as error:
            st.error(escape(error.describe(lang)))
            return
        except Exception:  # noqa: BLE001 — never a stack trace or a library's English on this page
            st.error(t("unreadable"))
            return
        show_plan(prepared, store_data["provinces"], store_data["catalog"])
        new_overrides = mapping_editor(prepared, store_data["catalog"], lang)
        if new_overrides is not None:
            overrides.update(new_overrides)
            st.rerun()
        if prepared.already_imported:
            st.info(t("already_imported", batch=prepared.already_imported))
        replace = False
        if prepared.changes_official:
            replace = st.checkbox(t("confirm_replace", n=len(prepared.preview.changed)), key="confirm_replace")
        blocking = prepared.blocking(replace)
        if blocking:
            st.error(t("cannot_import"))
        if st.button(t("commit"), type="primary", disabled=bool(blocking), key="commit"):
            try:
                with Store.open(data.db_path()) as store:
                    batch = commit_import(store, prepared, imported_by=analyst, replace_official=replace)
            except UserError as error:
                st.error(escape(error.describe(lang)))
                return
            st.session_state.pop("overrides", None)
            if batch is None:
                st.info(t("nothing_to_do"))
            else:
                st.success(t("committed", batch=batch))


def history_section(may_write: bool, analyst: str | None) -> None:
    st.subheader(t("history"))
    with Store.open(data.db_path(), read_only=True) as store:
        batches = store.batches()
    shown = batches.sort_values("batch_id", ascending=False)
    st.dataframe(pd.DataFrame({
        t("batch"): shown["batch_id"], t("imported_at"): shown["imported_at"], t("imported_by"): shown["imported_by"],
        t("file"): shown["file_name"], "SHA-256": shown["sha256"].str.slice(0, 16) + "…",
        t("rows"): shown["row_count"], t("source"): shown["source_id"], t("rolled_back_at"): shown["rolled_back_at"],
        t("summary"): shown["summary"]}), hide_index=True)
    imports = batches[(batches["source_id"] == "import") & batches["rolled_back_at"].isna()]
    if may_write and not imports.empty:
        left, right = st.columns([3, 1])
        labels = {int(r.batch_id): f"#{r.batch_id} — {r.file_name} ({r.imported_at:%d/%m/%Y %H:%M})"
                  for r in imports.itertuples()}
        chosen = left.selectbox(t("rollback_label"), list(labels)[::-1], format_func=labels.get, key="rollback_batch")
        if right.button(t("rollback_button"), key="rollback"):
            st.session_state["rollback_pending"] = chosen
        pending = st.session_state.get("rollback_pending")
        if pending in labels:
            if confirmed("rollback_pending", escape(t("rollback_confirm", batch=pending, file=labels[pending])),
                         "rollback", t("rollback_yes"), t("rollback_no")):
                try:
                    with Store.open(data.db_path()) as store:
                        restored = store.rollback(pending, analyst or "?")
                    st.success(t("rolled_back", batch=pending, n=restored))
                except UserError as error:
                    st.error(escape(error.describe(language())))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_template(version: str, index_code: str, year: int) -> bytes:
    store = data.load()
    return template_workbook(store["catalog"], store["provinces"], index_code, year, store["indices"])


def templates_section(store_data) -> None:
    with st.expander(t("templates")):
        st.caption(t("templates_help"))
        year = st.number_input(t("year"), min_value=2011, max_value=date.today().year, value=date.today().year - 1,
                               key="template_year")
        cols = st.columns(len(store_data["indices"]))
        for col, index in zip(cols, store_data["indices"].itertuples()):
            content = cached_template(data.version(), index.index_code, int(year))
            col.download_button(t("download_template", index=index.short_name, year=int(year)), content,
                                file_name=f"mau_{index.index_code}_{int(year)}.xlsx", key=f"tpl_{index.index_code}",
                                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def main() -> None:
    st.title(t("import_title"))
    st.caption(t("import_caption"))
    store_data = data.load()
    analyst = current_analyst()
    if analyst is None:
        st.warning(t("read_only_note"))
        analyst = login_form()
    if not configured_analysts():
        st.info(t("single_user"), icon=":material/person:")
    elif analyst:
        left, right = st.columns([4, 1])
        left.caption(t("signed_in_as", name=analyst))
        if right.button(t("sign_out"), key="sign_out"):
            st.session_state.pop("analyst", None)
            st.rerun()
    if analyst:
        upload_section(store_data, analyst)
    history_section(bool(analyst), analyst)
    templates_section(store_data)


run_under_app()
main()
