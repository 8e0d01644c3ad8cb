"""Phương pháp: what each index measures, its scale, groups, comparability breaks, the source and
level of detail of each year, and the sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.numbers import format_short
from analytics.wording import N_
from ui import data, memo
from ui.i18n import unit_label
from ui.routing import run_under_app
from ui.state import language, t


def indicator_table(catalog: pd.DataFrame, index_code: str, lang: str) -> pd.DataFrame:
    rows = catalog[catalog["index_code"] == index_code].sort_values(["sort_order", "valid_from"])
    name = rows["name_en" if lang == "en" else "name_vi"]
    years = [f"{a}–{b}" if b < 9999 else t("from_year", year=a) for a, b in zip(rows["valid_from"], rows["valid_to"])]
    return pd.DataFrame({
        t("code"): rows["indicator_code"],
        t("indicator"): ["\u2003" * int(level) + n for level, n in zip(rows["level"], name)],
        t("method_scale"): [f"{format_short(lo, lang)}–{format_short(hi, lang)} {unit_label(u, lang)}".strip()
                            for lo, hi, u in zip(rows["scale_min"], rows["scale_max"], rows["unit"])],
        t("valid_years"): years,
        t("note"): in_language(rows, "note", lang),
    })


def in_language(rows: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """`column` (Vietnamese) or, in English, `column`_en where the data has it (a store built
    before the catalog had English notes, or a catalog row without one, falls back)."""
    vietnamese = rows[column].fillna("") if column in rows else pd.Series("", index=rows.index)
    english = f"{column}_en"
    if lang != "en" or english not in rows:
        return vietnamese
    return rows[english].where(rows[english].fillna("").astype(str).str.strip() != "", vietnamese)


LEVEL_KEYS = {"dimensions": N_("level_dimensions"), "sub-dimensions": N_("level_sub-dimensions"),
              "indicators": N_("level_indicators")}


def coverage_table(coverage: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each year of an index: its most detailed level, provinces, indicators, the sources of its
    figures (by name) and the catalog's note."""
    names = dict(zip(sources["source_id"], sources["name_en" if lang == "en" else "name_vi"]))
    names["import"] = t("imported_source")
    return pd.DataFrame({
        t("year"): coverage["year"].astype(str),
        t("heat_level"): [t(LEVEL_KEYS[level]) for level in coverage["level"]],
        t("provinces_count"): coverage["provinces"],
        t("indicators_count"): coverage["indicators"],
        t("source"): ["; ".join(names.get(s, s) for s in ids.split(";")) for ids in coverage["sources"]],
        t("note"): coverage["note_en" if lang == "en" else "note_vi"].fillna(""),
    })


def main() -> None:
    lang = language()
    store = data.load()
    indices, catalog, sources, breaks = store["indices"], store["catalog"], store["sources"], store["breaks"]
    st.title(t("method_title"))
    st.markdown(t("method_groups"))
    for index in indices.assign(publisher_shown=in_language(indices, "publisher", lang)).itertuples():
        with st.expander(f"{index.short_name} — {index.name_en if lang == 'en' else index.name_vi}", expanded=False):
            st.markdown(index.description_en if lang == "en" else index.description_vi)
            st.caption(f"{index.publisher_shown} · " + t("from_year", year=index.first_year))
            index_breaks = breaks[breaks["index_code"] == index.index_code]
            if not index_breaks.empty:
                st.markdown("**" + t("method_breaks") + "**")
                for row in index_breaks.itertuples():
                    target = "" if row.indicator_code == "*" else f" ({row.indicator_code})"
                    st.markdown(f"- **{row.year}**{target}: {row.reason_en if lang == 'en' else row.reason_vi}")
            st.markdown("**" + t("method_coverage") + "**")
            st.dataframe(coverage_table(memo.coverage(memo.key(), index.index_code), sources, lang), hide_index=True)
            st.markdown("**" + t("method_indicators") + "**")
            st.dataframe(indicator_table(catalog, index.index_code, lang), hide_index=True)
    st.subheader(t("method_sources"))
    sources = sources.assign(note_shown=in_language(sources, "note", lang))
    for source in sources.itertuples():
        label = source.name_en if lang == "en" else source.name_vi
        st.markdown(f"- **{label}** — {source.publisher}; {source.origin}. {source.note_shown}")


run_under_app()
main()
