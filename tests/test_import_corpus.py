"""A generated corpus: workbooks that combine the layouts analysts receive, written from the real
PAPI 2011-2016 figures embedded in data/scores, each of which must import with the same figures
(or fail with a located message).

What varies (hypothesis draws one value of each): year; provinces in rows or in columns; 0-2
title rows; header rows (Vietnamese, English, both, a merged group row above); header style
(catalog names, numbered "N: name" / "Chỉ số nội dung N", names with units and the index name);
which indicators (dimensions, + total, + sub-dimensions); province spelling (as registered, ASCII,
English, "Tỉnh …" prefix, NFD, a dropped letter, GSO code column); number format (float, text
with a decimal comma, text with a dot, rounded to 4 decimals); summary rows and a source note
under the table; a province left blank; .xlsx (openpyxl) or .xls (xlwt); year in the sheet name
or in the title.
"""

from __future__ import annotations

import unicodedata

import openpyxl
import pandas as pd
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.ingest import Reference, plan_import
from analytics.registry import indicators_in_year, load_source_scores
from analytics.text import strip_diacritics
from analytics.workbook import ReadLimits, read_workbook

REFERENCE = Reference.from_data()
SCORES = load_source_scores("papi_2011_2019").query("year <= 2016").reset_index(drop=True)
LEGACY = REFERENCE.provinces.query("era == 'legacy'").set_index("code")


def ascii_name(name: str) -> str:
    return strip_diacritics(name)


SPELLINGS = {
    "registered": lambda code: LEGACY.loc[code, "name"],
    "ascii": lambda code: ascii_name(LEGACY.loc[code, "name"]),
    "english": lambda code: LEGACY.loc[code, "name_en"],
    "prefixed": lambda code: (LEGACY.loc[code, "name"] if LEGACY.loc[code, "name"].startswith("TP.")
                              else f"Tỉnh {LEGACY.loc[code, 'name']}"),
    "nfd": lambda code: unicodedata.normalize("NFD", LEGACY.loc[code, "name"]),
    "typo": lambda code: _typo(ascii_name(LEGACY.loc[code, "name"])),
}
NUMBERS = {
    "float": lambda v: v,
    "comma text": lambda v: f"{v:.6f}".replace(".", ","),
    "dot text": lambda v: f"{v:.6f}",
    "rounded": lambda v: round(v, 4),
}


def _typo(name: str) -> str:
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 9:
        return name
    i = letters[len(letters) // 2]
    return name[:i] + name[i + 1:]


def header_of(row, style: str, language: str, number: str) -> str:
    name = row.name_en if language == "en" else row.name_vi
    if style == "numbered" and number:
        return f"{number}: {name}" if "." in number else (
            f"Dimension {number}: {name}" if language == "en" else f"Chỉ số nội dung {number}: {name}")
    if style == "units" and row.indicator_code != "TOTAL":
        return f"{name} (điểm)" if language == "vi" else f"{name} (points)"
    if row.indicator_code == "TOTAL":
        return {"names": name, "numbered": f"PAPI {row.valid_from} (unweighted)" if language == "en" else "Tổng điểm PAPI",
                "units": "Chỉ số PAPI (không có trọng số)"}[style]
    return name


@st.composite
def layouts(draw):
    return {
        "year": draw(st.integers(2011, 2016)),
        "transposed": draw(st.booleans()),
        "titles": draw(st.integers(0, 2)),
        "headers": draw(st.sampled_from(["vi", "en", "vi+en", "group+vi"])),
        "style": draw(st.sampled_from(["names", "numbered", "units"])),
        "indicators": draw(st.sampled_from(["dimensions", "dimensions+total", "all"])),
        "spelling": draw(st.sampled_from(sorted(SPELLINGS) + ["code"])),
        "number": draw(st.sampled_from(sorted(NUMBERS))),
        "summary": draw(st.booleans()),
        "blank": draw(st.booleans()),
        "format": draw(st.sampled_from(["xlsx", "xls"])),
        "year_in": draw(st.sampled_from(["sheet", "title"])),
        "provinces": draw(st.integers(3, 12)),
        "seed": draw(st.integers(0, 10_000)),
    }


def chosen_indicators(layout) -> pd.DataFrame:
    rows = indicators_in_year(REFERENCE.catalog, "PAPI", layout["year"])
    keep = rows["level"].eq(1) | (rows["level"].eq(0) & (layout["indicators"] != "dimensions")) \
        | (rows["level"].eq(2) & (layout["indicators"] == "all"))
    rows = rows[keep].copy()
    places, dimension, sub = [], 0, 0
    for row in rows.itertuples():
        if row.level == 1:
            dimension, sub = dimension + 1, 0
            places.append(str(dimension))
        elif row.level == 2:
            sub += 1
            places.append(f"{dimension}.{sub}")
        else:
            places.append("")
    return rows.assign(place=places)


def build_grid(layout):
    """(rows of cells, the figures expected: province_code, indicator_code → value)."""
    year = layout["year"]
    figures = SCORES[SCORES["year"] == year].pivot_table(index="province_code", columns="indicator_code", values="value")
    codes = list(figures.sample(n=layout["provinces"], random_state=layout["seed"]).index)
    indicators = chosen_indicators(layout)
    label = "Mã tỉnh" if layout["spelling"] == "code" else "Tỉnh, thành phố"
    languages = {"vi": ["vi"], "en": ["en"], "vi+en": ["vi", "en"], "group+vi": ["vi"]}[layout["headers"]]
    header_rows = [[label if lang == "vi" else ("Province code" if layout["spelling"] == "code" else "Province")]
                   + [header_of(r, layout["style"], lang, r.place) for r in indicators.itertuples()] for lang in languages]
    if layout["headers"] == "group+vi":
        header_rows.insert(0, [None, "Các chỉ số"] + [None] * (len(indicators) - 1))
    body, expected = [], {}
    for i, code in enumerate(codes):
        blank = layout["blank"] and i == 0
        who = int(code) if layout["spelling"] == "code" else SPELLINGS[layout["spelling"]](code)
        values = [None if blank else NUMBERS[layout["number"]](float(figures.loc[code, r.indicator_code]))
                  for r in indicators.itertuples()]
        body.append([who] + values)
        if not blank:
            expected.update({(code, r.indicator_code): float(figures.loc[code, r.indicator_code])
                             for r in indicators.itertuples()})
    if layout["summary"]:
        body.append(["Giá trị trung bình"] + [1.0] * len(indicators))
        body.append(["Toàn quốc"] + [1.0] * len(indicators))
    grid = header_rows + body
    if layout["transposed"]:
        width = max(len(r) for r in grid)
        grid = [[r[c] if c < len(r) else None for r in grid] for c in range(width)]
    titles = [[f"Chỉ số PAPI năm {year}" if layout["year_in"] == "title" and t == 0 else "Bảng số liệu cấp tỉnh"]
              for t in range(layout["titles"] or (1 if layout["year_in"] == "title" else 0))]
    notes = [["Nguồn: CECODES, VFF-CRT, RTA và UNDP."]] if layout["summary"] and not layout["transposed"] else []
    return titles + grid + notes, expected


def write(path, grid, layout) -> None:
    sheet = f"PAPI {layout['year']}" if layout["year_in"] == "sheet" else "Sheet1"
    if layout["format"] == "xls":
        book = xlwt.Workbook()
        ws = book.add_sheet(sheet)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        book.save(str(path))
        return
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in grid:
        ws.append(row)
    book.save(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(layout=layouts())
def test_generated_workbook_imports_the_same_figures_or_fails_with_a_located_message(tmp_path, layout):
    grid, expected = build_grid(layout)
    path = tmp_path / f"corpus.{layout['format']}"
    write(path, grid, layout)
    plan = plan_import(read_workbook(path, ReadLimits(isolate=False)), REFERENCE, file_name=path.name, sha256="-")
    if plan.errors:
        assert all(p.sheet and p.row for p in plan.errors), [p.describe() for p in plan.errors]
        assert layout["spelling"] == "typo", [p.describe() for p in plan.errors]  # only an ambiguous typo may fail
        return
    given_rows = plan.scores[~plan.scores["derived"]]
    got = {(r.province_code, r.indicator_code): r.value for r in given_rows.itertuples()}
    assert set(got) == set(expected), (sorted(set(expected) - set(got))[:5], sorted(set(got) - set(expected))[:5])
    tolerance = 5e-5 + 1e-9 if layout["number"] == "rounded" else 1e-6
    assert all(abs(got[k] - expected[k]) <= tolerance for k in expected)
    assert set(plan.scores["year"]) == {layout["year"]}
    derived = plan.scores[plan.scores["derived"]]
    if layout["indicators"] == "dimensions" and not derived.empty:
        official = SCORES[(SCORES["year"] == layout["year"]) & (SCORES["indicator_code"] == "TOTAL")]
        totals = official.set_index("province_code")["value"]
        assert ((derived.set_index("province_code")["value"] - totals.reindex(derived["province_code"]).values).abs()
                < 1e-3).all()


def test_the_corpus_generator_writes_both_formats_and_orientations(tmp_path):
    layout = {"year": 2016, "transposed": True, "titles": 1, "headers": "vi+en", "style": "numbered",
              "indicators": "all", "spelling": "typo", "number": "comma text", "summary": True, "blank": True,
              "format": "xls", "year_in": "title", "provinces": 5, "seed": 1}
    grid, expected = build_grid(layout)
    path = tmp_path / "one.xls"
    write(path, grid, layout)
    plan = plan_import(read_workbook(path), REFERENCE, file_name=path.name, sha256="-")
    assert plan.sheets[0].transposed and not plan.errors, [p.describe() for p in plan.errors]
    assert len(plan.scores) == len(expected)
    with pytest.raises(KeyError):
        SPELLINGS["unknown"]
