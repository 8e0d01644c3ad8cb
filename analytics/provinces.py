"""Province identity across the two maps: 63 legacy provinces (to 30 June 2025) and 34 from
1 July 2025 (Nghị quyết 202/2025/QH15).

A code alone never identifies a province: seven merged provinces kept a former province's code
(the new Bắc Ninh has 24, which was Bắc Giang's). A province is identified by its *id*,
`"<era>:<code>"`: `legacy:24` is Bắc Giang, `2025:24` the new Bắc Ninh.

A *lineage* is the continuous series a province belongs to: an unchanged province (Hà Nội,
Huế, … 11 of them: the only legacy province of its 2025 successor) is one lineage across both
eras, keyed by its 2025 id; every other province is a lineage of its own. Changes over the years
follow lineages; a merged province's history is its predecessors' histories, side by side.

Pure pandas; the frame is `registry.load_provinces()` / `Store.provinces()`.
"""

from __future__ import annotations

import pandas as pd

from analytics.errors import UserError
from analytics.frame_memo import FrameMemo
from analytics.wording import N_
from analytics.registry import ERA_2025, LEGACY
from analytics.text import fold_province

ERAS = (LEGACY, ERA_2025)
SEPARATOR = ":"


def province_id(era: str, code: str) -> str:
    """The identity of one province: `legacy:24`, `2025:24`."""
    return f"{era}{SEPARATOR}{code}"


def ids_of(eras: pd.Series, codes: pd.Series) -> pd.Series:
    """Vectorised `province_id`."""
    return eras.astype(str) + SEPARATOR + codes.astype(str)


def split_id(pid: str) -> tuple[str, str]:
    """`"legacy:24"` → `("legacy", "24")`; raises ValueError on anything else."""
    era, sep, code = str(pid).partition(SEPARATOR)
    if not sep or era not in ERAS or not code:
        raise ValueError(f"not a province id: {pid!r}")
    return era, code


def era_of_id(pid: str) -> str:
    return split_id(pid)[0]


_IDENTITIES: dict[int, pd.DataFrame] = {}  # content hash → identity frame (a few province tables at most)


def with_identity(provinces: pd.DataFrame) -> pd.DataFrame:
    """The provinces frame with `province_id`, `successor_id` (legacy rows), `lineage_id` and
    `unchanged` (a legacy province that alone became its 2025 province, and that 2025 province).

    Pages ask for it several times a run (names, lineages, predecessors): it is built once per
    content of the frame (hashing 97 rows costs a quarter of building), and the same frame
    object asked again skips even the hash. Callers get a shallow copy: under copy-on-write,
    changing it never changes the memo."""
    return _BY_OBJECT.get(provinces, lambda: _by_content(provinces)).copy(deep=False)


_BY_OBJECT = FrameMemo()


def _by_content(provinces: pd.DataFrame) -> pd.DataFrame:
    key = int(pd.util.hash_pandas_object(provinces, index=True).sum()) ^ hash(tuple(provinces.columns))
    found = _IDENTITIES.get(key)
    if found is None:
        if len(_IDENTITIES) >= 8:
            _IDENTITIES.pop(next(iter(_IDENTITIES)))
        found = _IDENTITIES[key] = _identity(provinces)
    return found


def _identity(provinces: pd.DataFrame) -> pd.DataFrame:
    """`with_identity`, computed."""
    out = provinces.copy()
    if "successor_code" not in out:
        out["successor_code"] = ""
    out["province_id"] = ids_of(out["era"], out["code"])
    legacy = out["era"] == LEGACY
    successor = out["successor_code"].fillna("").astype(str)
    out["successor_id"] = (ERA_2025 + SEPARATOR + successor).where(legacy & (successor != ""), None)
    members = out.loc[legacy, "successor_id"].value_counts()
    sole = set(members[members == 1].index)
    out["unchanged"] = (legacy & out["successor_id"].isin(sole)) | (~legacy & out["province_id"].isin(sole))
    out["lineage_id"] = out["successor_id"].where(legacy & out["unchanged"], out["province_id"])
    return out


def lineage_map(provinces: pd.DataFrame) -> dict[str, str]:
    """province_id → lineage_id for every province of both eras."""
    ident = with_identity(provinces)
    return dict(zip(ident["province_id"], ident["lineage_id"]))


def predecessors(provinces: pd.DataFrame, pid: str) -> list[str]:
    """The legacy provinces a 2025 province was made of (by name); [] for a legacy id."""
    ident = with_identity(provinces)
    rows = ident[ident["successor_id"] == pid].sort_values("name")
    return rows["province_id"].tolist()


def successor(provinces: pd.DataFrame, pid: str) -> str | None:
    """The 2025 province a legacy province became part of; None for a 2025 id."""
    ident = with_identity(provinces).set_index("province_id")
    if pid not in ident.index:
        return None
    value = ident.loc[pid, "successor_id"]
    return value if isinstance(value, str) else None


def in_era(provinces: pd.DataFrame, pid: str, era: str) -> list[str]:
    """The province(s) standing for `pid` on the map of `era`: itself in its own era, its
    predecessors (a 2025 id, legacy era) or its successor (a legacy id, 2025 era)."""
    if era_of_id(pid) == era:
        return [pid]
    if era == LEGACY:
        return predecessors(provinces, pid)
    found = successor(provinces, pid)
    return [found] if found else []


def names(provinces: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """province_id → the province's name in the interface language (English names in `name_en`)."""
    ident = with_identity(provinces)
    return dict(zip(ident["province_id"], ident["name_en" if lang == "en" else "name"]))


def from_url(provinces: pd.DataFrame, code: str | None, era: str | None) -> str | None:
    """The URL contract: `province=<code>` is the province of the present map (the 34);
    `&era=legacy` selects a pre-2025 province. A legacy code with no 2025 province of that code
    (an old link to Hà Giang, 02) still resolves to its legacy province; an unchanged legacy
    province resolves to its lineage (the same place). None when nothing matches."""
    if not code:
        return None
    code = str(code).strip()
    if code.isdigit():
        code = code.zfill(2)
    ident = with_identity(provinces).set_index("province_id")
    present, legacy = province_id(ERA_2025, code), province_id(LEGACY, code)
    if era == LEGACY:
        if legacy in ident.index:
            return ident.loc[legacy, "lineage_id"]
        return None
    if present in ident.index:
        return present
    if legacy in ident.index:
        return ident.loc[legacy, "lineage_id"]
    return None


def to_url(pid: str) -> dict[str, str]:
    """The query parameters of a province: `{"province": code}` plus `era=legacy` for a legacy id."""
    era, code = split_id(pid)
    return {"province": code, "era": LEGACY} if era == LEGACY else {"province": code}


def resolve(provinces: pd.DataFrame, label: str, era: str) -> tuple[str, str | None]:
    """A province given on the command line (code or name, either era) as the id to use for a
    year of `era`, and a note when it was mapped across eras.

    A name or code of `era` wins; a legacy name in a 2025 year resolves to its successor, a 2025
    name in a legacy year to the legacy province of the same name when there is one (else an
    error naming its predecessors). Raises UserError when nothing matches.
    """
    ident = with_identity(provinces)
    text = str(label).strip()
    key = fold_province(text)

    def matches(rows: pd.DataFrame) -> pd.DataFrame:
        if text.isdigit():
            return rows[rows["code"] == text.zfill(2)]
        spellings = rows.apply(lambda r: {fold_province(s) for s in [r["name"], r["name_en"],
                                                                      *str(r["aliases"]).split(";")] if s}, axis=1)
        return rows[[key in s for s in spellings]] if len(rows) else rows

    own = matches(ident[ident["era"] == era])
    if not own.empty:
        return own["province_id"].iloc[0], None
    other = matches(ident[ident["era"] != era])
    if other.empty:
        raise UserError.keyed("err_unknown_province", hint_key=N_("hint_province_name_or_code"), province=label)
    row = other.iloc[0]
    if era == ERA_2025:
        target = row["successor_id"]
        new_name = ident.set_index("province_id").loc[target, "name"]
        return target, f"«{row['name']}» đã hợp nhất vào {new_name} từ 1/7/2025; dùng số liệu của {new_name}."
    before = ident[ident["successor_id"] == row["province_id"]]
    if len(before) == 1:
        return before["province_id"].iloc[0], None
    listed = ", ".join(before["name"])
    raise UserError.keyed("err_new_province_old_year", hint_key=N_("hint_pick_old_province"), province=row["name"],
                          listed=listed)
