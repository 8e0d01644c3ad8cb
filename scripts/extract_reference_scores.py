"""Rebuild data/scores/papi_2011_2016.csv and papi_2017_2024.csv from ../shared/data/papi.

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


def extract_workbook(path: Path) -> pd.DataFrame:
    """Every figure of the official workbook, read by the same importer analysts use."""
    from analytics.ingest import Reference, plan_import
    from analytics.workbook import read_workbook

    plan = plan_import(read_workbook(path), Reference.from_data(), file_name=path.name, sha256="")
    if plan.errors:
        raise SystemExit("\n".join(p.describe() for p in plan.errors))
    return plan.scores[COLUMNS]


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
