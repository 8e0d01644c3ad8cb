"""Print what the embedded data covers: per index-year, provinces × indicators at each level.

`python scripts/coverage_report.py` — the table in the final report of issue 10 and a quick check
after `extract_reference_scores.py`: the catalog's `coverage.csv` level must match the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import registry  # noqa: E402
from analytics.store import EMBEDDED_SOURCES  # noqa: E402

LEVEL_NAMES = {0: "total", 1: "dimensions", 2: "sub-dimensions", 3: "indicators"}


def coverage_table() -> pd.DataFrame:
    scores = pd.concat([registry.load_source_scores(s) for s in EMBEDDED_SOURCES], ignore_index=True)
    levels = registry.load_catalog().drop_duplicates(["index_code", "indicator_code"])
    scores = scores.merge(levels[["index_code", "indicator_code", "level"]], on=["index_code", "indicator_code"])
    cells = scores.groupby(["index_code", "year", "level"]).agg(
        provinces=("province_code", "nunique"), indicators=("indicator_code", "nunique"), figures=("value", "size"))
    table = cells.reset_index()
    table["cell"] = (table["provinces"].astype(str) + "×" + table["indicators"].astype(str)
                     + " (" + table["figures"].astype(str) + ")")
    wide = table.pivot_table(index=["index_code", "year"], columns="level", values="cell", aggfunc="first")
    wide.columns = [LEVEL_NAMES[c] for c in wide.columns]
    coverage = registry.load_coverage().set_index(["index_code", "year"])[["source_id", "level"]]
    return wide.join(coverage).fillna("—")


if __name__ == "__main__":
    with pd.option_context("display.width", 200, "display.max_rows", 100):
        print(coverage_table().to_string())
