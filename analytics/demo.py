"""Deterministic demo data for PAR INDEX and SIPAS, 2019-2024, on the 63 legacy provinces.

Not official figures. They exist so that every page has something to show before the analyst
imports the Ministry's tables; every view labels them "Dữ liệu minh họa", and an official import
of an index-year replaces them. Regenerate with `python -m analytics.demo` (same output every
time: a fixed seed, and provinces and indicators read in file order).

Shape of the figures: each province has a lasting "capacity" plus a slow drift, so ranks move a
few places a year as real ones do. PAR INDEX field points are a share of the field's maximum in
that year's methodology (from the catalog), and the total is their sum (the maxima add up to
100, so the sum is the % score). SIPAS elements are % around a province level; the 2022 method
change lowers the national level by about 7 points, as the real series did (87.16 → 80.08).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import registry
from analytics.paths import DATA_DIR

SEED = 20240401
YEARS = range(2019, 2025)
SIPAS_ELEMENTS = ["E1", "E2", "E3", "E4", "E5"]
COLUMNS = ["index_code", "year", "province_code", "indicator_code", "value"]
SIPAS_LEVEL = {2019: 85.5, 2020: 86.5, 2021: 87.2, 2022: 80.1, 2023: 81.5, 2024: 82.8}


def _province_paths(rng: np.random.Generator, n: int) -> np.ndarray:
    """A (years × provinces) matrix of standardised province performance over time."""
    capacity = rng.normal(0, 1, n)
    drift = rng.normal(0, 0.25, (len(YEARS), n)).cumsum(axis=0)
    return capacity + drift


def generate_par_index(rng: np.random.Generator, codes: list[str], catalog: pd.DataFrame) -> pd.DataFrame:
    paths = _province_paths(rng, len(codes))
    rows = []
    for y, year in enumerate(YEARS):
        fields = registry.indicators_in_year(catalog, "PAR_INDEX", year)
        fields = fields[fields["level"] == 1]
        for p, code in enumerate(codes):
            total = 0.0
            for field in fields.itertuples(index=False):
                share = np.clip(0.86 + 0.045 * paths[y, p] + rng.normal(0, 0.035), 0.55, 0.995)
                points = round(float(share * field.scale_max), 2)
                total += points
                rows.append(("PAR_INDEX", year, code, field.indicator_code, points))
            rows.append(("PAR_INDEX", year, code, "TOTAL", round(total, 2)))
    return pd.DataFrame(rows, columns=COLUMNS)


def generate_sipas(rng: np.random.Generator, codes: list[str], catalog: pd.DataFrame) -> pd.DataFrame:
    """The five service elements (E1-E5), their parent where the year's catalog has one
    (from 2022 they sit under the administrative-services aspect) and the total, as means."""
    paths = _province_paths(rng, len(codes))
    rows = []
    for y, year in enumerate(YEARS):
        in_force = registry.indicators_in_year(catalog, "SIPAS", year)
        elements = in_force[in_force["indicator_code"].isin(SIPAS_ELEMENTS)]
        parents = sorted(set(elements["parent_code"]) - {"TOTAL"})
        for p, code in enumerate(codes):
            level = SIPAS_LEVEL[year] + 3.2 * paths[y, p]
            values = [round(float(np.clip(level + rng.normal(0, 2.0), 60, 99.5)), 2) for _ in range(len(elements))]
            rows += [("SIPAS", year, code, e, v) for e, v in zip(elements["indicator_code"], values)]
            mean = round(float(np.mean(values)), 2)
            rows += [("SIPAS", year, code, parent, mean) for parent in parents]
            rows.append(("SIPAS", year, code, "TOTAL", mean))
    return pd.DataFrame(rows, columns=COLUMNS)


def generate_demo(provinces: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    codes = provinces.loc[provinces["era"] == registry.LEGACY, "code"].tolist()
    return pd.concat([generate_par_index(rng, codes, catalog), generate_sipas(rng, codes, catalog)],
                     ignore_index=True)


def main() -> None:
    demo = generate_demo(registry.load_provinces(), registry.load_catalog())
    path = DATA_DIR / "scores" / "demo.csv"
    demo.to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
    print(f"{path}: {len(demo)} rows")


if __name__ == "__main__":
    main()
