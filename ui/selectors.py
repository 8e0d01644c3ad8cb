"""The selections pages share (province, index, year) and the demo-data notice, in one place.

Province URL contract: `?province=<code>` is the province of the present map (the 34 since
1 July 2025); `&era=legacy` selects a pre-2025 province (`?province=24&era=legacy` is Bắc
Giang, `?province=24` the new Bắc Ninh). An old link to a province that no longer exists
(`?province=02`, Hà Giang) still opens it; an unchanged province is one place on both maps.
Inside the app a province is its id (`analytics.provinces`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import provinces as ids
from analytics.frame_memo import FrameMemo
from analytics.registry import LEGACY
from ui.state import language, set_link, t, unknown_link_value, url_select

DEFAULT_PROVINCE = "2025:01"  # Hà Nội


def province_options(provinces: pd.DataFrame) -> dict[str, str]:
    """id → unique label: the 34 present provinces by name, then the former provinces that were
    merged (an unchanged province is listed once, as the present one). Remembered per provinces
    table and language: every page asks for it on every run."""
    lang = language()
    return dict(_OPTIONS.get(provinces, lambda: _province_options(provinces, lang), lang))


_OPTIONS = FrameMemo()


def _province_options(provinces: pd.DataFrame, lang: str) -> dict[str, str]:
    ident = ids.with_identity(provinces)
    name = "name_en" if lang == "en" else "name"
    present = ident[ident["era"] != LEGACY].sort_values(name)
    former = ident[(ident["era"] == LEGACY) & ~ident["unchanged"]].sort_values(name)
    labels = dict(zip(present["province_id"], present[name]))
    labels.update({pid: f"{n} (" + t("legacy_suffix") + ")" for pid, n in zip(former["province_id"], former[name])})
    return labels


def province_link(pid: str) -> dict[str, str | None]:
    """The link's province keys: `province` (and `era=legacy` for a former province); None, left
    out of the link, for Hà Nội (the default) and for the era of a 2025 province."""
    wanted = {} if pid == DEFAULT_PROVINCE else ids.to_url(pid)
    return {key: wanted.get(key) for key in ("province", "era")}


def _publish_province(pid: str) -> None:
    """Remember the province and put it in the link."""
    st.session_state["_chosen_province_id"] = pid
    for key, value in province_link(pid).items():
        set_link(key, value)


def province_select(provinces: pd.DataFrame, container=None) -> tuple[str, dict[str, str]]:
    """A province of either map (see the module docstring); returns its id and the id → label
    mapping of every province in the interface language (former ones marked as such)."""
    labels = province_options(provinces)
    every = {**{pid: f"{n} (" + t("legacy_suffix") + ")" for pid, n in ids.names(provinces, language()).items()
                if pid.startswith(LEGACY)}, **labels}
    options = list(labels)
    from_url = ids.from_url(provinces, st.query_params.get("province"), st.query_params.get("era"))
    if st.query_params.get("province") and from_url is None:
        unknown_link_value("province", st.query_params.get("province"))
    # This session's last choice (kept across pages), else the link's, else Hà Nội.
    chosen = next((c for c in (st.session_state.get("_chosen_province_id"), from_url, DEFAULT_PROVINCE)
                   if c in labels), options[0])
    value = (container or st).selectbox(t("province"), options, index=options.index(chosen), key="province_id",
                                        format_func=labels.get)
    _publish_province(value)
    return value, every


def plain_names(provinces: pd.DataFrame) -> dict[str, str]:
    """id → name in the interface language, without the era mark (titles, charts)."""
    return ids.names(provinces, language())


def index_select(indices: pd.DataFrame, container=None) -> tuple[str, dict[str, str]]:
    names = dict(zip(indices["index_code"], indices["short_name"]))
    return url_select(t("index"), list(indices["index_code"]), "index", names.get, "PAPI", container), names


def year_select(scores: pd.DataFrame, index_code: str, container=None, extra: tuple[int, ...] = ()) -> int:
    """A year of the index with data (newest first; the default is the latest with data,
    whatever its map), plus any `extra` years."""
    with_data = sorted(scores.loc[scores["index_code"] == index_code, "year"].unique(), reverse=True)
    years = sorted(set(with_data) | set(extra), reverse=True)
    default = str(with_data[0]) if len(with_data) else str(years[0])
    return int(url_select(t("year"), [str(y) for y in years], "year", str, default, container))


def in_year(provinces: pd.DataFrame, pid: str, era: str | None, year: int, names: dict[str, str],
            container=None) -> str | None:
    """The province that stands for `pid` on the map of `year` (`era`): itself; for a 2025
    province in a legacy year, one of the provinces it was made of (a choice, named); for a
    former province in a 2025 year, the province it became part of (said so)."""
    if era is None:
        return pid
    found = ids.in_era(provinces, pid, era)
    if not found:
        return None
    if len(found) == 1:
        if found[0] != pid and ids.era_of_id(pid) == LEGACY:
            st.caption(t("successor_shown", year=year, province=names.get(found[0], found[0]),
                         old=names.get(pid, pid)))
        return found[0]
    plain = plain_names(provinces)
    return (container or st).radio(t("predecessor_pick", year=year), found, format_func=plain.get,
                                   horizontal=True, key=f"predecessor_{pid}")


def no_data_offer(table, index_code: str, year: int, province_label: str, index_name: str) -> None:
    """Say the selection has no data and offer the nearest year that has."""
    nearest = table.nearest_year(index_code, year) if hasattr(table, "nearest_year") else None
    if nearest is None or nearest == year:
        st.info(t("no_data_province", province=province_label, index=index_name, year=year))
        return
    st.info(t("no_data_nearest", province=province_label, index=index_name, year=year, nearest=nearest))
    if st.button(t("go_to_year", year=nearest), key=f"nearest_{year}"):
        st.session_state["_chosen_year"] = str(nearest)  # the next run's year selector writes the link
        st.rerun()


def demo_notice(rows: pd.DataFrame) -> bool:
    """Show the "Dữ liệu minh họa" notice when `rows` hold demo data; returns whether they do."""
    demo = bool(rows["is_demo"].fillna(False).astype(bool).any()) if "is_demo" in rows and not rows.empty else False
    if demo:
        st.warning(t("demo_explain"), icon=":material/info:")
    return demo


def merger_caption(provinces: pd.DataFrame, pid: str) -> None:
    """How the province relates to the 2025 merger: a former province says which 2025 province
    it belongs to and with whom; a merged 2025 province lists the provinces it was made of."""
    ident = ids.with_identity(provinces).set_index("province_id")
    if pid not in ident.index:
        return
    name = "name_en" if language() == "en" else "name"
    row = ident.loc[pid]
    if row["era"] == LEGACY:
        successor = row["successor_id"]
        if not isinstance(successor, str) or successor not in ident.index:
            return
        members = ident[ident["successor_id"] == successor][name].tolist()
        new_name = ident.loc[successor, name]
        st.caption(t("unchanged_2025", province=new_name) if len(members) == 1
                   else t("merged_into", province=new_name, members=", ".join(members)))
        return
    before = ident[ident["successor_id"] == pid]
    if len(before) == 1:
        st.caption(t("unchanged_2025", province=row[name]))
    elif len(before) > 1:
        st.caption(t("present_caption", members=", ".join(before[name])))
