"""What an import plan would change in the store, before anything is written.

- A figure equal to the stored one at the precision its source publishes (the catalog's
  `decimals` of the index: PAPI 4, the others 2) is unchanged; where the file gives more digits of the same figure the
  more precise one is written ("more_precise"), where the store has more digits it is kept.
- A column whose figures repeat exactly the stored figures of ANOTHER indicator of that year is
  reported (a label naming one indicator over another's values), never silently filed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics import registry
from analytics.plan import ImportPlan

DEFAULT_PRECISION = 2  # an index the catalog does not know


def precision() -> dict[str, int]:
    """Decimals each publisher gives (indices.csv `decimals`)."""
    indices = registry.load_indices()
    return dict(zip(indices["index_code"], indices["decimals"].astype(int)))
KEYS = ["index_code", "year", "era", "province_code", "indicator_code"]


@dataclass
class Preview:
    added: pd.DataFrame            # new figures (including those replacing demo data)
    changed: pd.DataFrame          # existing official figures with another value: old → new
    unchanged: int
    replaced_demo: int             # demo rows of the same index-years that the import removes
    missing_provinces: pd.DataFrame  # had data the previous year, absent from the file
    missing_indicators: pd.DataFrame
    more_precise: pd.DataFrame = None   # same figure at the published precision, more digits in the file
    repeats: pd.DataFrame = None        # (sheet, column, indicator_code, repeats_code, provinces)
    to_write: pd.DataFrame = None       # the rows the commit writes

    @property
    def nothing_to_do(self) -> bool:
        return (self.added.empty and self.changed.empty and self.replaced_demo == 0
                and (self.more_precise is None or self.more_precise.empty))


def _decimals(index_codes: pd.Series) -> pd.Series:
    return index_codes.map(precision()).fillna(DEFAULT_PRECISION).astype(int)


def same_at_precision(new: pd.Series, old: pd.Series, decimals: pd.Series) -> pd.Series:
    return (new - old).abs() < 0.5 * 10.0 ** (-decimals) + 1e-12


def _digits(values: pd.Series) -> pd.Series:
    """Decimals a value carries (up to 12)."""
    return values.map(lambda v: len(f"{v:.12f}".rstrip("0").split(".")[1]) if pd.notna(v) else 0)


def preview(plan: ImportPlan, existing: pd.DataFrame, previous: pd.DataFrame) -> Preview:
    """Compare the plan with what is stored.

    `existing`: stored rows of the plan's index-years (with `is_demo`); `previous`: stored rows
    of the same indices the year before each planned year.
    """
    incoming = plan.scores
    official = existing[~existing["is_demo"]] if not existing.empty else existing
    demo = existing[existing["is_demo"]] if not existing.empty else existing
    merged = incoming.merge(official[KEYS + ["value"]].rename(columns={"value": "old_value"}), on=KEYS, how="left")
    is_new = merged["old_value"].isna()
    decimals = _decimals(merged["index_code"])
    same = ~is_new & same_at_precision(merged["value"], merged["old_value"], decimals)
    derived = merged["derived"].astype(bool) if "derived" in merged else pd.Series(False, index=merged.index)
    more = same & ~derived & (_digits(merged["value"]) > _digits(merged["old_value"]))
    differs = ~is_new & ~same & ~derived     # a derived total never replaces a stored one
    missing_provinces, missing_indicators = _missing_against_previous(incoming, previous)
    write = is_new | differs | more
    return Preview(added=merged[is_new].drop(columns="old_value"), changed=merged[differs],
                   unchanged=int((~is_new & ~differs & ~more).sum()), replaced_demo=len(demo),
                   missing_provinces=missing_provinces, missing_indicators=missing_indicators,
                   more_precise=merged[more], repeats=_repeats(incoming, official),
                   to_write=merged[write].drop(columns="old_value"))


def _repeats(incoming: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """Columns whose values equal (at the published precision) the stored values of another
    indicator for every province they share (at least 5)."""
    columns = ["sheet", "column", "indicator_code", "repeats_code", "provinces"]
    if incoming.empty or official.empty:
        return pd.DataFrame(columns=columns)
    found = []
    stored = official.pivot_table(index=["index_code", "year", "province_code"], columns="indicator_code", values="value")
    for (index_code, year, sheet, column, code), rows in incoming[~incoming["derived"].astype(bool)].groupby(
            ["index_code", "year", "sheet", "column", "indicator_code"]):
        keys = [(index_code, year, p) for p in rows["province_code"]]
        here = stored.reindex(keys)
        values = rows["value"].to_numpy()
        decimals = precision().get(index_code, DEFAULT_PRECISION)
        for other in here.columns:
            if other == code or here[other].isna().sum() > len(keys) - 5:
                continue
            shared = here[other].notna().to_numpy()
            if (abs(here[other].to_numpy()[shared] - values[shared]) < 0.5 * 10.0 ** -decimals).all():
                own = here[code].to_numpy() if code in here.columns else None
                if own is None or not (abs(own[shared] - values[shared]) < 0.5 * 10.0 ** -decimals).all():
                    found.append((sheet, column, code, other, int(shared.sum())))
    return pd.DataFrame(found, columns=columns)


def _missing_against_previous(incoming: pd.DataFrame, previous: pd.DataFrame):
    empty = pd.DataFrame(columns=["index_code", "year", "province_code"]), pd.DataFrame(columns=["index_code", "year", "indicator_code"])
    if previous.empty or incoming.empty:
        return empty
    provinces, indicators = [], []
    for (index_code, year), rows in incoming.groupby(["index_code", "year"]):
        before = previous[(previous["index_code"] == index_code) & (previous["year"] == year - 1)
                          & (previous["era"] == rows["era"].iloc[0])]
        for code in sorted(set(before["province_code"]) - set(rows["province_code"])):
            provinces.append((index_code, year, code))
        for code in sorted(set(before["indicator_code"]) - set(rows["indicator_code"])):
            indicators.append((index_code, year, code))
    return (pd.DataFrame(provinces, columns=["index_code", "year", "province_code"]),
            pd.DataFrame(indicators, columns=["index_code", "year", "indicator_code"]))
