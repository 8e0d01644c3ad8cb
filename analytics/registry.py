"""Reference data: provinces, the index catalog, comparability breaks and data sources.

All of it is read from the text files under `data/` (see data/README.md). The functions return
plain DataFrames; `ProvinceMatcher` turns any spelling real files use into `(era, code)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics.errors import UserError
from analytics.wording import N_
from analytics.paths import DATA_DIR
from analytics.text import fold, fold_province, nfc

LEGACY = "legacy"
ERA_2025 = "2025"
OPEN_END = 9999  # valid_to of an indicator still in force


def _read_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.map(lambda v: nfc(v.strip()) if isinstance(v, str) else v)


def _flag(series: pd.Series) -> pd.Series:
    return series.str.lower().isin(["true", "1", "yes", "x"])


@lru_cache(maxsize=4)
def load_provinces(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Both eras in one frame: era, code, name, name_en, region, successor_code, aliases."""
    legacy = _read_csv(data_dir / "provinces" / "legacy.csv").assign(era=LEGACY)
    new = _read_csv(data_dir / "provinces" / "new_2025.csv").assign(era=ERA_2025, successor_code="")
    columns = ["era", "code", "name", "name_en", "region", "successor_code", "aliases"]
    return pd.concat([legacy[columns], new[columns]], ignore_index=True)


@lru_cache(maxsize=4)
def load_former_provinces(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Provinces dissolved before the 63 (Hà Tây, 2008): name, aliases, last_year, merged_into,
    note_vi, note_en. Old files name them; their rows are skipped with a warning, never matched
    to another province."""
    return _read_csv(data_dir / "provinces" / "former.csv")


@lru_cache(maxsize=4)
def load_indices(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    indices = _read_csv(data_dir / "catalog" / "indices.csv")
    for column in ("survey_based", "official_rank", "weighted_total"):
        indices[column] = _flag(indices[column])
    for column in ("first_year", "new_provinces_from", "small_rank_change", "sort_order", "decimals"):
        indices[column] = indices[column].astype(int)
    for column in ("small_score_change", "points_lost_share"):
        indices[column] = indices[column].astype(float)
    return indices.sort_values("sort_order", ignore_index=True)


@lru_cache(maxsize=4)
def load_catalog(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every indicator of every index, one row per validity period (see data/README.md)."""
    indices = load_indices(data_dir)
    files = [data_dir / "catalog" / f"{code.lower()}.csv" for code in indices["index_code"]]
    catalog = pd.concat([_read_csv(path) for path in files], ignore_index=True)
    catalog["level"] = catalog["level"].astype(int)
    catalog["valid_from"] = catalog["valid_from"].astype(int)
    catalog["valid_to"] = catalog["valid_to"].replace("", str(OPEN_END)).astype(int)
    catalog["scale_min"] = catalog["scale_min"].astype(float)
    catalog["scale_max"] = catalog["scale_max"].astype(float)
    catalog["sort_order"] = catalog["sort_order"].astype(int)
    for column in ("higher_is_better", "sums_to_parent"):
        catalog[column] = _flag(catalog[column])
    return catalog


@lru_cache(maxsize=4)
def load_breaks(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    breaks = _read_csv(data_dir / "catalog" / "breaks.csv")
    breaks["year"] = breaks["year"].astype(int)
    return breaks


@lru_cache(maxsize=4)
def load_sources(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    return _read_csv(data_dir / "scores" / "sources.csv")


@lru_cache(maxsize=4)
def load_units(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """`data/catalog/units.csv`: each unit the catalog uses (its `unit` column), named in both
    languages: unit, name_vi, name_en."""
    return _read_csv(Path(data_dir) / "catalog" / "units.csv")


@lru_cache(maxsize=8)
def unit_names(lang: str, data_dir: Path = DATA_DIR) -> dict[str, str]:
    """unit → its name in `lang` (a unit the file does not name is shown as written)."""
    units = load_units(data_dir)
    return dict(zip(units["unit"], units["name_en" if lang == "en" else "name_vi"]))


COVERAGE_LEVELS = ("dimensions", "sub-dimensions", "indicators")  # most detailed level an index-year has


@lru_cache(maxsize=4)
def load_coverage(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """`data/catalog/coverage.csv`: per index-year, the embedded source and the most detailed
    level it carries (one of `COVERAGE_LEVELS`), with notes for the methodology page:
    index_code, year, source_id, level, note_vi, note_en."""
    coverage = _read_csv(Path(data_dir) / "catalog" / "coverage.csv")
    coverage["year"] = coverage["year"].astype(int)
    unknown = set(coverage["level"]) - set(COVERAGE_LEVELS)
    if unknown:
        raise ValueError(f"coverage.csv: unknown level {sorted(unknown)}")
    return coverage.sort_values(["index_code", "year"], ignore_index=True)


def load_source_scores(source_id: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The embedded scores of one source: index_code, year, province_code, indicator_code, value
    (and `official_rank` where the source carries the publisher's rank)."""
    scores = pd.read_csv(data_dir / "scores" / f"{source_id}.csv",
                         dtype={"index_code": str, "province_code": str, "indicator_code": str})
    if "official_rank" in scores:  # the publisher's rank, on TOTAL rows of indices that have one
        scores["official_rank"] = scores["official_rank"].astype("Int64")
    return scores.astype({"year": int, "value": float})


@lru_cache(maxsize=4)
def load_default_departments(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """`data/departments.csv`: index_code, indicator_code, lead_department, support_departments
    (names `;`-separated); the store copies it at the first init."""
    frame = _read_csv(Path(data_dir) / "departments.csv")
    frame["support_departments"] = frame["support_departments"].map(
        lambda v: ";".join(part.strip() for part in v.split(";") if part.strip()))
    return frame[["index_code", "indicator_code", "lead_department", "support_departments"]]


def index_aliases(indices: pd.DataFrame) -> dict[str, list[str]]:
    """The words that name each index in a file (its code, short name and `aliases`), folded."""
    return {row.index_code: list(dict.fromkeys(fold(w) for w in [row.index_code.replace("_", " "), row.short_name,
                                                                  *row.aliases.split(";")] if w.strip()))
            for row in indices.itertuples(index=False)}


def era_of_year(index_code: str, year: int, indices: pd.DataFrame) -> str:
    """Results from `new_provinces_from` (2025) on are published on the 34 provinces."""
    first_new = int(indices.loc[indices["index_code"] == index_code, "new_provinces_from"].iloc[0])
    return ERA_2025 if year >= first_new else LEGACY


def eras_of(scores: pd.DataFrame, indices: pd.DataFrame) -> pd.Series:
    """The province era of each score row (vectorised `era_of_year`)."""
    first_new = scores["index_code"].map(dict(zip(indices["index_code"], indices["new_provinces_from"])))
    return (scores["year"] >= first_new).map({True: ERA_2025, False: LEGACY})


def indicators_in_year(catalog: pd.DataFrame, index_code: str, year: int) -> pd.DataFrame:
    """The catalog rows of an index in force in `year`, in display order."""
    rows = catalog[(catalog["index_code"] == index_code)
                   & (catalog["valid_from"] <= year) & (catalog["valid_to"] >= year)]
    return rows.sort_values("sort_order", ignore_index=True)


def catalog_for_years(catalog: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """For each (index_code, indicator_code, year) in `keys`, the catalog row in force that year.

    Rows of `keys` whose indicator is not in force that year get no match (NaN columns).
    """
    merged = keys.merge(catalog, on=["index_code", "indicator_code"], how="left")
    in_force = (merged["valid_from"] <= merged["year"]) & (merged["valid_to"] >= merged["year"])
    matched = merged[in_force]
    return keys.merge(matched, on=list(keys.columns), how="left")


@dataclass(frozen=True)
class ProvinceMatch:
    era: str
    code: str
    name: str


class ProvinceMatcher:
    """Finds a province by GSO code or by any name real files use, within one era."""

    def __init__(self, provinces: pd.DataFrame):
        self._by_key: dict[tuple[str, str], ProvinceMatch] = {}
        for row in provinces.itertuples(index=False):
            match = ProvinceMatch(row.era, row.code, row.name)
            spellings = [row.name, row.name_en, *[a for a in row.aliases.split(";") if a]]
            for spelling in spellings:
                self._by_key.setdefault((row.era, fold_province(spelling)), match)
            self._by_key[(row.era, f"#{int(row.code)}")] = match

    def find(self, label: object, era: str = LEGACY) -> ProvinceMatch | None:
        """A code (1, "01", 1.0) or a name in any spelling; None when nothing matches."""
        if label is None:
            return None
        if isinstance(label, (int, float)) and float(label).is_integer():
            return self._by_key.get((era, f"#{int(label)}"))
        text = str(label).strip()
        if text.isdigit():
            return self._by_key.get((era, f"#{int(text)}"))
        return self._by_key.get((era, fold_province(text)))

    def require(self, label: object, era: str = LEGACY, **where) -> ProvinceMatch:
        match = self.find(label, era)
        if match is None:
            raise UserError.keyed("err_unknown_province", hint_key=N_("hint_check_spelling_or_code"), province=label,
                                  **where)
        return match


def match_indicator(catalog: pd.DataFrame, index_code: str, year: int, label: str) -> str | None:
    """The indicator code whose Vietnamese or English name (or alias) is `label` in `year`.

    Names of other years are accepted too (an indicator renamed keeps its code), but a name
    in force in `year` wins.
    """
    key = fold(label)
    rows = catalog[catalog["index_code"] == index_code]
    in_force = (rows["valid_from"] <= year) & (rows["valid_to"] >= year)
    for candidates in (rows[in_force], rows[~in_force]):
        for row in candidates.itertuples(index=False):
            names = [row.name_vi, row.name_en, row.indicator_code, *row.aliases.split(";")]
            if key in {fold(n) for n in names if n}:
                return row.indicator_code
    return None
