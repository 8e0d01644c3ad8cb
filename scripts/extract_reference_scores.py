"""Rebuild data/scores/papi_2011_2016.csv and papi_2017_2024.csv from ../shared/data/papi.

Run once when the published files change: `python scripts/extract_reference_scores.py`.
Headers are matched to indicator codes through the catalog (names and aliases), provinces by
GSO code (workbook) or by name (CSV), so a catalog gap fails loudly instead of dropping data.
A province row with no dimension values (the workbook writes a total of 0 for 2014 Bắc Giang
and Đồng Tháp) is a province without data: it gets no rows.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import registry  # noqa: E402
from analytics.paths import DATA_DIR, REPO_ROOT  # noqa: E402

SHARED = REPO_ROOT.parent / "shared" / "data" / "papi"
COLUMNS = ["index_code", "year", "province_code", "indicator_code", "value"]


def extract_workbook(path: Path) -> pd.DataFrame:
    catalog = registry.load_catalog()
    matcher = registry.ProvinceMatcher(registry.load_provinces())
    workbook = openpyxl.load_workbook(path, data_only=True, read_only=True)
    rows = []
    for sheet in workbook.worksheets:
        year = int(re.search(r"(20\d\d)", sheet.title).group(1))
        cells = list(sheet.iter_rows(values_only=True))
        header_en = cells[0]
        codes = {}
        for position, label in enumerate(header_en[3:], start=3):
            code = registry.match_indicator(catalog, "PAPI", year, label)
            if code is None:
                raise SystemExit(f"{sheet.title}: header {label!r} matches no PAPI indicator")
            codes[position] = code
        for line in cells[2:]:
            province = matcher.find(line[0]) if line[0] is not None else None
            if province is None:  # summary rows ("Highest", 999) and blank lines
                continue
            values = {codes[p]: line[p] for p in codes if isinstance(line[p], (int, float))}
            if not any(v for c, v in values.items() if c != "TOTAL"):
                continue  # surveyed nowhere: no rows, never zeros
            rows += [("PAPI", year, province.code, code, float(value)) for code, value in values.items()]
    return pd.DataFrame(rows, columns=COLUMNS)


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
    print(f"{path.relative_to(REPO_ROOT)}: {len(frame)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    write(extract_workbook(args.shared / "PAPI_2011-2016.xlsx"), DATA_DIR / "scores" / "papi_2011_2016.csv")
    write(extract_dimensions_csv(args.shared / "papi_2017_2024_dimensions.csv"),
          DATA_DIR / "scores" / "papi_2017_2024.csv")


if __name__ == "__main__":
    main()
