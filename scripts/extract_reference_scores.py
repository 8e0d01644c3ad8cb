"""Rebuild the embedded PAPI figures (data/scores/papi_*.csv) from ../shared/data/papi.

- papi_2011_2019.csv: every figure of `official/PAPI 2011-2019.xlsx` (dimensions and
  sub-dimensions 2011-2019 at full precision, totals 2011-2017); its 2011-2016 figures are those
  of `PAPI_2011-2016.xlsx`, checked here. The 2018-2019 sheets have no total column: the
  importer derives one, which is left out (the published total is in the next file).
- papi_2018_2019_indicators.csv: from the official indicator tables (`PAPI 2018 FULL vie.xlsx`,
  `2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx`): the published unweighted totals, the 2019
  weighted total and the chỉ tiêu (level 3); their dimensions and sub-dimensions repeat the
  workbook's (to float32 precision) and are left to it.
- papi_2020_2024.csv: dimensions and totals 2020-2024 from `papi_2017_2024_dimensions.csv`
  (4 decimals, as published); its 2017-2019 rows are superseded by the two files above.

Run once when the published files change: `python scripts/extract_reference_scores.py`.
The workbook goes through the importer (analytics.ingest), so the embedded figures and an
analyst's import of the same file are the same by construction; a catalog gap fails loudly.
A province row with no values (the workbook writes a total of 0 for 2014 Bắc Giang and Đồng
Tháp) is a province without data: it gets no rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import registry  # noqa: E402
from analytics.paths import DATA_DIR, REPO_ROOT  # noqa: E402

SHARED = REPO_ROOT.parent / "shared" / "data" / "papi"
COLUMNS = ["index_code", "year", "province_code", "indicator_code", "value"]
INDICATOR_TABLES = ["PAPI 2018 FULL vie.xlsx", "2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx"]


def extract_workbook(path: Path, keep_derived: bool = True) -> pd.DataFrame:
    """Every figure of the official workbook, read by the same importer analysts use
    (without the totals the importer derives from the dimensions, unless `keep_derived`)."""
    from analytics.ingest import Reference, plan_import
    from analytics.workbook import read_workbook

    plan = plan_import(read_workbook(path), Reference.from_data(), file_name=path.name, sha256="")
    if plan.errors:
        raise SystemExit("\n".join(p.describe() for p in plan.errors))
    scores = plan.scores if keep_derived else without_derived(plan.scores)
    return scores[COLUMNS]


def extract_dimensions_csv(path: Path) -> pd.DataFrame:
    matcher = registry.ProvinceMatcher(registry.load_provinces())
    published = pd.read_csv(path)
    codes = [matcher.require(name).code for name in published["province"]]
    frame = pd.DataFrame({"index_code": "PAPI", "year": published["year"], "province_code": codes,
                          "indicator_code": published["code"], "value": published["value"]})
    return frame.dropna(subset=["value"])


def write(frame: pd.DataFrame, path: Path) -> None:
    frame = frame.sort_values(["index_code", "year", "indicator_code", "province_code"])
    frame.to_csv(path, index=False, lineterminator="\n")  # repr floats: exact round trip
    print(f"{path}: {len(frame)} rows")


def without_derived(plan_scores: pd.DataFrame) -> pd.DataFrame:
    return plan_scores[~plan_scores["derived"].astype(bool)]


def extract_indicator_tables(official: Path, catalog: pd.DataFrame) -> pd.DataFrame:
    """Totals, the weighted total and the chỉ tiêu of the official indicator tables."""
    levels = catalog.drop_duplicates("indicator_code").set_index("indicator_code")["level"]
    frames = []
    for name in INDICATOR_TABLES:
        scores = extract_workbook(official / name, keep_derived=False)
        keep = scores["indicator_code"].map(levels).isin([0, 3])
        frames.append(scores[keep])
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=DATA_DIR / "scores", help="folder to write to")
    args = parser.parse_args()
    official = args.shared / "official"
    workbook = extract_workbook(official / "PAPI 2011-2019.xlsx", keep_derived=False)
    earlier = extract_workbook(args.shared / "PAPI_2011-2016.xlsx")
    check_same(workbook[workbook["year"] <= 2016], earlier)
    write(workbook, args.out / "papi_2011_2019.csv")
    write(extract_indicator_tables(official, registry.load_catalog()),
          args.out / "papi_2018_2019_indicators.csv")
    published = extract_dimensions_csv(args.shared / "papi_2017_2024_dimensions.csv")
    write(published[published["year"] >= 2020], args.out / "papi_2020_2024.csv")


def check_same(one: pd.DataFrame, other: pd.DataFrame) -> None:
    keys = ["index_code", "year", "province_code", "indicator_code"]
    merged = one.merge(other, on=keys, how="outer", indicator=True)
    if (merged["_merge"] != "both").any() or (merged["value_x"] != merged["value_y"]).any():
        raise SystemExit("PAPI 2011-2019.xlsx và PAPI_2011-2016.xlsx khác nhau ở 2011-2016: kiểm tra lại.")


if __name__ == "__main__":
    main()
