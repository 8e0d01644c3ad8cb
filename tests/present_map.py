"""Workbooks on the 34-province map (2025 on), built from the registry and the catalog.

Not a test module: tests/test_present_map.py and the browser tests import it.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from analytics import registry


def present_scores(year: int = 2025, seed: int = 7) -> dict[str, list[float]]:
    """code → the 8 PAPI dimension values (4 decimals) of each of the 34 provinces, deterministic."""
    provinces = registry.load_provinces()
    codes = sorted(provinces.loc[provinces["era"] == registry.ERA_2025, "code"])
    scores = {}
    for i, code in enumerate(codes):
        scores[code] = [round(3.5 + ((i * 7 + d * 13 + seed + year) % 40) / 10 + d * 0.0137, 4) for d in range(8)]
    return scores


def papi_present_workbook(path: Path, year: int = 2025, *, with_total: bool = True, by_code: bool = False) -> Path:
    """A PAPI workbook of `year` on the 34 provinces: title row, one header row with the catalog's
    dimension names, one row per province (name, or GSO code with `by_code`), and the unweighted
    total unless `with_total` is False (a dimensions-only file)."""
    catalog = registry.indicators_in_year(registry.load_catalog(), "PAPI", year)
    dimensions = catalog[catalog["level"] == 1]
    total_name = catalog.loc[catalog["indicator_code"] == "TOTAL", "name_vi"].iloc[0]
    names = registry.load_provinces().query("era == @registry.ERA_2025").set_index("code")["name"]
    book = Workbook()
    sheet = book.active
    sheet.title = f"PAPI {year}"
    sheet.append([f"Chỉ số PAPI năm {year} của 34 tỉnh, thành phố"])
    sheet.append(["STT", "Mã tỉnh" if by_code else "Tỉnh/thành phố", *dimensions["name_vi"],
                  *([total_name] if with_total else [])])
    for n, (code, values) in enumerate(present_scores(year).items(), start=1):
        total = [round(sum(values), 4)] if with_total else []
        sheet.append([n, int(code) if by_code else names[code], *values, *total])
    book.save(path)
    return path
