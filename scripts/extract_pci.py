"""Rebuild data/scores/pci_2005_2019.csv from VCCI's workbooks in ../shared/data/pci.

Run when the published files change: `python scripts/extract_pci.py`. Every workbook goes
through the importer (analytics.ingest), as an analyst's import would: the summary sheets are
read (the per-sub-index sheets hold the component indicators, which the catalog does not carry).
The 2014-2016 workbooks keep a copy of the 2013 summary ("PCI 2013" headers): the importer
files it under 2013, and it must equal the 2013 workbook's figures, else the script stops.
Hà Tây (2005-2008 files) is not one of the 63 provinces: the importer skips its rows
(data/provinces/former.csv). The output is sorted and written with repr floats, so a re-run
is byte-identical.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.paths import DATA_DIR, REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "data" / "pci"
OUTPUT = DATA_DIR / "scores" / "pci_2005_2019.csv"
COLUMNS = ["index_code", "year", "province_code", "indicator_code", "value", "official_rank"]
KEYS = ["index_code", "year", "province_code", "indicator_code"]
# The summary and ranking sheets, as VCCI names them over the years.
SUMMARY = re.compile(r"^(xếp hạng theo|bảng tóm tắt|pci tóm tắt|tóm tắt|tổng hợp|tong hop|summary_vn$|summary$)",
                     re.IGNORECASE)
# The analyst's answer to the importer's question about PCI 2005's three "traditional conditions"
# columns (human resources, infrastructure, distance to market): not PCI sub-indices, not imported.
ANSWERS = {"Bảng tóm tắt chỉ số!C": "IGNORE", "Bảng tóm tắt chỉ số!D": "IGNORE", "Bảng tóm tắt chỉ số!E": "IGNORE"}


def workbooks(shared: Path) -> list[Path]:
    return sorted(p for p in shared.iterdir() if re.fullmatch(r"PCI \d{4}\.xlsx?", p.name))


def extract_file(path: Path) -> pd.DataFrame:
    """The summary sheets of one workbook, read by the importer; an import error stops the script."""
    from analytics.ingest import Reference, plan_import
    from analytics.workbook import read_workbook

    sheets = read_workbook(path)
    frames = []
    for sheet in sheets:
        if not SUMMARY.match(sheet.name.strip()) or not sheet.rows:
            continue
        plan = plan_import(sheets, Reference.from_data(), file_name=path.name, sha256="", sheet_name=sheet.name,
                           column_overrides=ANSWERS)
        if plan.errors:
            raise SystemExit(f"{path.name}: " + "\n".join(p.describe() for p in plan.errors))
        frames.append(plan.scores)
    return combine(frames, path.name)


def combine(frames: list[pd.DataFrame], where: str) -> pd.DataFrame:
    """One row per key: a figure given on several sheets must be the same everywhere; the
    official rank is taken from whichever sheet gives it."""
    scores = pd.concat(frames, ignore_index=True)
    spread = scores.groupby(KEYS)["value"].agg(lambda v: v.max() - v.min())
    if (spread > 1e-9).any():
        raise SystemExit(f"{where}: different figures for {list(spread[spread > 1e-9].index[:5])}")
    ranks = scores.dropna(subset=["official_rank"]).groupby(KEYS)["official_rank"].agg(set)
    if (ranks.map(len) > 1).any():
        raise SystemExit(f"{where}: two official ranks for {list(ranks[ranks.map(len) > 1].index[:5])}")
    first = scores.drop_duplicates(KEYS).drop(columns="official_rank")
    rank = scores.dropna(subset=["official_rank"]).drop_duplicates(KEYS)[KEYS + ["official_rank"]]
    return first.merge(rank, on=KEYS, how="left")


def extract(shared: Path) -> pd.DataFrame:
    frame = combine([extract_file(path) for path in workbooks(shared)], str(shared))
    frame["official_rank"] = frame["official_rank"].astype("Int64")
    frame = frame.sort_values(["index_code", "year", "indicator_code", "province_code"], ignore_index=True)
    return frame[COLUMNS]


def write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")  # repr floats: exact round trip
    print(f"{path}: {len(frame)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    write(extract(args.shared), args.output)


if __name__ == "__main__":
    main()
