"""Rebuild the level-3 rows (chỉ tiêu) of data/catalog/papi.csv from the official indicator tables.

Run when the published files change: `python scripts/build_papi_indicators.py` (then
`python scripts/extract_reference_scores.py` for the figures). Deterministic: the same files give
the same catalog, byte for byte.

- Sources: the Vietnamese sheet of `PAPI 2018 FULL vie.xlsx` and of
  `2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx` (one row per indicator, under its numbered
  sub-dimension; provinces in columns). The sub-dimension heading is matched to the catalog by the
  importer's own header rules (`headers.HeaderCatalog`), so a code is never chosen by number alone.
- Codes: `<sub-dimension code>_<NN>`, numbered in the order of first appearance (2018, then the
  indicators new in 2019). The same name under the same sub-dimension in both years keeps its code.
- English names: the column of the 2019 English sheet whose figures equal the indicator's, for
  every province (the two sheets carry the same figures under different labels and order); a name
  that would collide with a dimension's or sub-dimension's (the English sheet labels the first
  civic-knowledge indicator "Civic Knowledge") and the 2018-only indicators use `MANUAL_EN`.
- Scale and unit from "Thang điểm"; "(%)" indicators published as 0-1 fractions get unit
  `tỷ lệ` on 0-1, the one published on 0-100 gets `%`, the net change (negative values) -1..1.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import registry  # noqa: E402
from analytics.headers import HeaderCatalog, core_tokens  # noqa: E402
from analytics.paths import DATA_DIR, REPO_ROOT  # noqa: E402
from analytics.text import fold, nfc  # noqa: E402

OFFICIAL = REPO_ROOT.parent / "shared" / "data" / "papi" / "official"
SOURCES = {2018: ("PAPI 2018 FULL vie.xlsx", "ProvincialIndicators_VIE"),
           2019: ("2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx", "2019PAPI_Indicators_VIE")}
ENGLISH = ("2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx", "2019PAPI_Indicators_ENG (2)")
FRACTION, PERCENT = "tỷ lệ", "%"
STARRED = "Chỉ tiêu đánh dấu (*) trong tệp 2018: điều chỉnh năm 2018, so sánh qua các năm chỉ ở chỉ tiêu có dấu (*)"
LOWER = "Thấp hơn là tốt hơn"

# Typos of the published names, fixed for display; the published spelling stays an alias.
FIXES = [("biếtđã", "biết đã"), ("biếtkhông", "biết không"), ("đến đến", "đến"), ("hối lội", "hối lộ")]

# Indicators where a lower figure is the better one, by words of their Vietnamese name (folded):
# errors of the poverty list, bribes paid, bribe price before denouncing, reliance on non-court
# means, distance/time to school, unsafe water, crime victims.
LOWER_IS_BETTER = ["khong duoc dua vao danh sach ho ngheo", "khong ngheo nhung lai duoc dua vao",
                   "chung chi", "muc tien doi hoi lo", "bien phap phi toa an", "quang duong di bo",
                   "quang thoi gian toi truong", "nuoc chua hop ve sinh", "nan nhan cua mot trong 4 loai toi pham"]

MANUAL_EN = {  # English names the English sheet lacks or would make ambiguous
    "Hiểu biết về chính sách hiện hành (%)": "Knowledge of current policies",
    "Tỷ lệ người trả lời cho biết cuộc gặp với cán bộ HĐND xã/phường để giải quyết khúc mắc có kết quả tốt (%)":
        "Contact with People's Council successful",
    "Người bị vòi vĩnh đã tố cáo hành vi đòi hối lộ (%)": "Victims who denounced a bribe request",
    "Tỷ lệ người trả lời cho biết họ đã gửi khuyến nghị, tố giác, tố cáo, khiếu nại tới chính quyền địa phương (%)":
        "Actions taken by citizens",
    'Tỷ lệ người trả lời đã nhận được phúc đáp của chính quyền địa phương sau khi gửi câu hỏi qua mục "Hỏi-Đáp '
    'trực tuyến" (%)': "Received a response after asking a question on the online Q&A portal",
}
# Step for rounding the observed maximum up where the file gives no scale ("Tối thiểu - Tối đa").
OPEN_SCALE = {"km": 5.0, "phút": 30.0}


def clean(name: str) -> str:
    text = re.sub(r"\s+", " ", nfc(str(name))).strip().rstrip("*").strip()
    for wrong, right in FIXES:
        text = text.replace(wrong, right)
    return text


def read_table(path: Path, sheet: str) -> list[dict]:
    """Rows of a Vietnamese indicator table: label, scale text, {province code: value}."""
    rows = list(openpyxl.load_workbook(path, read_only=True, data_only=True)[sheet].iter_rows(values_only=True))
    matcher = registry.ProvinceMatcher(registry.load_provinces())
    header = next(r for r in rows if sum(1 for v in r[2:] if matcher.find(v)) > 30)
    codes = [matcher.find(v).code if matcher.find(v) else None for v in header]
    table = []
    for row in rows:
        if not isinstance(row[0], str) or row is header or not any(isinstance(v, (int, float)) for v in row[2:]):
            continue
        values = {c: float(v) for c, v in zip(codes, row) if c and isinstance(v, (int, float))}
        table.append({"label": nfc(row[0]).strip(), "scale": row[1], "values": values})
    return table


def english_columns(path: Path, sheet: str) -> list[tuple[str, dict]]:
    rows = list(openpyxl.load_workbook(path, read_only=True, data_only=True)[sheet].iter_rows(values_only=True))
    codes = [f"{int(v):02d}" if isinstance(v, (int, float)) else None for v in (r[0] for r in rows)]
    columns = []
    for j, label in enumerate(rows[0]):
        if isinstance(label, str) and j >= 2:
            columns.append((label.strip(), {c: r[j] for c, r in zip(codes, rows) if c and isinstance(r[j], (int, float))}))
    return columns


def indicators_of(year: int, table: list[dict], catalog: pd.DataFrame) -> list[dict]:
    """Each indicator row with its sub-dimension (the numbered heading above it)."""
    headers = HeaderCatalog(catalog, "PAPI", year)
    parent, found = None, []
    for row in table:
        # Headings are numbered ("2.1: …", "Chỉ số nội dung 2: …"); an indicator's words may
        # resemble a sub-dimension's (as the importer, never trust them for structure).
        if headers.is_numbered(row["label"]):
            guess = headers.guess(row["label"])
            parent = guess.code if headers.levels.get(guess.code) == 2 else None
        elif parent is not None and headers.guess(row["label"]).how not in ("weighted", "interval"):
            found.append({**row, "year": year, "parent": parent, "name": clean(row["label"])})
    return found


def scale_of(rows: list[dict]) -> tuple[float, float, str, str]:
    """(min, max, unit, note): the published scale, widened (with a note) where a published
    figure lies outside it, since figures are kept as published."""
    text = str(rows[0]["scale"] or "")
    values = [v for r in rows for v in r["values"].values()]
    low, high = min(values), max(values)
    if "%" in text:
        scale = (-1.0, 1.0, FRACTION) if low < 0 else (0.0, 100.0, PERCENT) if high > 2 else (0.0, 1.0, FRACTION)
    elif "VND" in text.upper():
        scale = 0.0, float(text.split("-")[1].upper().replace("VND", "").replace(",", "")), "nghìn đồng"
    elif re.match(r"\s*[\d.]+\s*-\s*[\d.]+", text):
        found = re.match(r"\s*([\d.]+)\s*-\s*([\d.]+)", text)
        scale = float(found.group(1)), float(found.group(2)), "điểm"
    else:
        unit = "km" if "KM" in rows[0]["label"] else "phút"
        return 0.0, math.ceil(high / OPEN_SCALE[unit] + 1) * OPEN_SCALE[unit], unit, f"Thang điểm trong tệp: {text}"
    if scale[0] <= low and high <= scale[1]:
        return *scale, ""
    wide = (min(scale[0], math.floor(low * 10) / 10), max(scale[1], math.ceil(high * 10) / 10))
    return *wide, scale[2], f"Thang mở rộng vì tệp công bố giá trị {low:g}–{high:g} (thang {text})"


def english_name(rows: list[dict], english: list[tuple[str, dict]], taken: set[tuple]) -> str:
    if rows[0]["name"] in MANUAL_EN:
        return MANUAL_EN[rows[0]["name"]]
    mine = next((r["values"] for r in rows if r["year"] == 2019), None)
    for label, values in english if mine else []:
        shared = set(mine) & set(values)
        if len(shared) >= 50 and all(abs(mine[c] - values[c]) < 1e-9 for c in shared) \
                and tuple(core_tokens(label, "PAPI")[0]) not in taken:
            return label
    return ""  # reported by `build`, all at once


def build(official: Path, catalog: pd.DataFrame) -> pd.DataFrame:
    base = catalog[catalog["level"] <= 2]
    found = [row for year, (file, sheet) in SOURCES.items()
             for row in indicators_of(year, read_table(official / file, sheet), base)]
    english = english_columns(official / ENGLISH[0], ENGLISH[1])
    taken = {tuple(core_tokens(n, "PAPI")[0]) for n in pd.concat([base["name_en"], base["name_vi"]])}
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in found:
        groups.setdefault((row["parent"], fold(row["name"])), []).append(row)
    order = base.set_index("indicator_code")["sort_order"].to_dict()
    counters: dict[str, int] = {}
    records = []
    for (parent, _), rows in groups.items():
        counters[parent] = counters.get(parent, 0) + 1
        years = sorted(r["year"] for r in rows)
        low, high, unit, scale_note = scale_of(rows)
        folded = fold(rows[0]["name"])
        lower = any(key in folded for key in LOWER_IS_BETTER)
        raw = sorted({re.sub(r"\s+", " ", r["label"]).strip().rstrip("*").strip() for r in rows} - {rows[0]["name"]})
        notes = [LOWER] if lower else []
        notes += [STARRED] if any(r["label"].rstrip().endswith("*") and r["year"] == 2018 for r in rows) else []
        notes += [scale_note] if scale_note else []
        notes += ["Tỷ lệ 0-1 (tệp ghi 0%-100%)"] if unit == FRACTION else []
        records.append({
            "index_code": "PAPI", "indicator_code": f"{parent}_{counters[parent]:02d}", "parent_code": parent,
            "level": 3, "valid_from": years[0], "valid_to": years[-1], "name_vi": rows[0]["name"],
            "name_en": english_name(rows, english, taken), "aliases": ";".join(raw), "scale_min": f"{low:g}",
            "scale_max": f"{high:g}", "unit": unit, "higher_is_better": str(not lower).lower(),
            "sums_to_parent": "false", "sort_order": order[parent] * 100 + counters[parent], "note": "; ".join(notes)})
    missing = [r["name_vi"] for r in records if not r["name_en"]]
    if missing:
        raise SystemExit("Thiếu tên tiếng Anh (thêm vào MANUAL_EN):\n" + "\n".join(missing))
    return pd.DataFrame(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--official", type=Path, default=OFFICIAL)
    args = parser.parse_args()
    path = DATA_DIR / "catalog" / "papi.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    kept = raw[raw["level"] != "3"]
    indicators = build(args.official, registry.load_catalog())
    indicators = indicators.astype(str)
    out = pd.concat([kept, indicators[raw.columns]], ignore_index=True)
    out.to_csv(path, index=False, lineterminator="\n")
    print(f"{path.relative_to(REPO_ROOT)}: {len(indicators)} indicator rows "
          f"({(indicators['higher_is_better'] == 'false').sum()} lower-is-better)")


if __name__ == "__main__":
    main()
