"""From a workbook to an import plan: recognise the layout, match, parse, validate. No writes.

    sheets = read_workbook(path)                      # analytics.workbook
    plan = plan_import(sheets, reference, file_name=..., sha256=...)
    diff = preview(plan, store.scores_for(plan.index_years()))
    store.apply_import(plan, ...)                    # analytics.store, one transaction

Layouts recognised (each sheet on its own):
- title rows above the header; one or two header rows (Vietnamese and English), headers of
  merged cells (a group header spanning several columns is carried to the right);
- a province column found by its values (names in any spelling, see `text.fold_province`), or a
  GSO code column (`tinhid`, `Mã tỉnh`); when both exist they must agree;
- indicator columns matched by the catalog's Vietnamese and English names and aliases, of any
  methodology year; STT, rank, group and note columns are ignored; a column the catalog cannot
  match is reported (the analyst maps it or ignores it, and the mapping is remembered);
- summary rows ("Điểm cao nhất", "Highest", "Trung bình", "Cả nước", ...) are skipped; a province
  row whose cells are all empty (or all zero, as PAPI 2014 writes for Bắc Giang) has no data;
- values as numbers, numbers stored as text, decimal commas ("92,55"), percent strings ("88,5%"),
  Excel percent formats; "-", "n/a", "x" and blanks are missing, never zero.
The index and year come from the sheet name, the title rows or the headers, or from the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import registry
from analytics.registry import ERA_2025, LEGACY, ProvinceMatcher
from analytics.text import fold, fold_province
from analytics.workbook import Sheet, column_letter

IGNORE = "IGNORE"
SUM_TOLERANCE = 0.01  # points: published sub-scores are rounded, so sums may differ slightly
HEADER_SCAN_ROWS = 30

_SUMMARY = {fold_province(x) for x in [
    "Điểm cao nhất", "Điểm thấp nhất", "Cao nhất", "Thấp nhất", "Highest", "Lowest", "Maximum",
    "Minimum", "Max", "Min", "Trung bình", "Điểm trung bình", "Average", "Mean", "Trung vị", "Median",
    "Cả nước", "Toàn quốc", "Trung bình cả nước", "National", "National average", "Tổng", "Tổng cộng",
    "Total", "Sum", "Độ lệch chuẩn", "Standard deviation"]}
_IGNORED_HEADERS = {fold(x) for x in [
    "STT", "TT", "No", "No.", "Số TT", "Số thứ tự", "Xếp hạng", "Thứ hạng", "Hạng", "Rank", "Ranking",
    "Xếp hạng năm trước", "Nhóm", "Group", "Ghi chú", "Note", "Notes", "Vùng", "Khu vực", "Region",
    "Tăng/giảm", "Thay đổi", "Change"]}
_CODE_HEADERS = {fold(x) for x in ["tinhid", "Mã tỉnh", "Mã", "Mã GSO", "Mã đơn vị", "Code", "Province code",
                                   "ID", "provinceid", "matinh"]}
_MISSING = {fold(x) for x in ["", "-", "—", "–", "n/a", "na", "x", "..", "...", "#N/A", "không có dữ liệu",
                              "kcd", "không khảo sát", "chưa có", "no data", "null", "none"]}
_INDEX_WORDS = [("SIPAS", ["sipas", "hai long ve su phuc vu hanh chinh", "chi so hai long"]),
                ("PAR_INDEX", ["par index", "par_index", "parindex", "cai cach hanh chinh", "chi so cchc"]),
                ("PAPI", ["papi", "hieu qua quan tri va hanh chinh cong"])]
_YEAR = re.compile(r"(?<!\d)(20[0-9]{2})(?!\d)")


@dataclass
class Problem:
    """Something wrong in the file, where it is, and what to do. `error` blocks the import."""
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None
    severity: str = "error"  # "error" | "warning" | "info"

    def describe(self) -> str:
        where = ", ".join(p for p in [f"sheet «{self.sheet}»" if self.sheet else "",
                                      f"dòng {self.row}" if self.row else "",
                                      f"cột {self.column}" if self.column else ""] if p)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} {self.hint}" if self.hint else text


@dataclass
class ColumnMatch:
    sheet: str
    column: str              # letter
    header: str              # header texts joined with " / "
    header_key: str          # folded header, the key of remembered mappings
    indicator_code: str | None
    how: str                 # "name", "mapping", "manual", "ignored", "province", "code", "unmatched"


@dataclass
class SheetPlan:
    sheet: str
    index_code: str | None = None
    year: int | None = None
    era: str | None = None
    header_rows: list[int] = field(default_factory=list)
    columns: list[ColumnMatch] = field(default_factory=list)
    summary_rows: list[int] = field(default_factory=list)
    provinces_without_data: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    sheets: list[SheetPlan]
    scores: pd.DataFrame      # index_code, year, era, province_code, indicator_code, value, sheet, row, column
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.scores.empty

    def index_years(self) -> list[tuple[str, int]]:
        pairs = self.scores[["index_code", "year"]].drop_duplicates()
        return [(i, int(y)) for i, y in pairs.itertuples(index=False)]

    def unmatched(self) -> list[ColumnMatch]:
        return [c for s in self.sheets for c in s.columns if c.how == "unmatched"]


@dataclass(frozen=True)
class Reference:
    """What matching needs from the store: catalog, indices and provinces (DataFrames)."""
    catalog: pd.DataFrame
    indices: pd.DataFrame
    provinces: pd.DataFrame

    @classmethod
    def from_data(cls) -> "Reference":
        return cls(registry.load_catalog(), registry.load_indices(), registry.load_provinces())


SCORE_COLUMNS = ["index_code", "year", "era", "province_code", "indicator_code", "value", "sheet", "row", "column"]


# -- values -------------------------------------------------------------------------------------
def parse_value(raw: object, is_percent: bool = False) -> float | None:
    """A cell as a number: None when missing; raises ValueError for text that is not a number."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(str(raw))
    if isinstance(raw, (int, float)):
        value = float(raw)
        return value * 100 if is_percent else value
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if fold(text) in _MISSING:
        return None
    text = text.rstrip("%")  # "88,5%" is 88.5: scores in % are stored as percent numbers
    if "," in text and "." in text:  # the last mark is the decimal one: 1.234,5 or 1,234.5
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    else:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(str(raw))
    return float(text)


# -- recognising the layout ---------------------------------------------------------------------
def _texts(sheet: Sheet, rows: range) -> list[str]:
    return [str(c.value) for r in rows if r <= len(sheet.rows) for c in sheet.rows[r - 1]
            if isinstance(c.value, str) and c.value.strip()]


def detect_index(words: list[str], indices: pd.DataFrame) -> str | None:
    text = " ".join(fold(w) for w in words)
    for code, keys in _INDEX_WORDS:
        if code in set(indices["index_code"]) and any(k in text for k in keys):
            return code
    return None


def detect_year(words: list[str]) -> int | None:
    for word in words:
        found = _YEAR.search(str(word))
        if found:
            return int(found.group(1))
    return None


def _indicator_matcher(catalog: pd.DataFrame, index_code: str):
    """fold(name) → code over every period of the index (names of earlier methodologies too)."""
    names: dict[str, str] = {}
    for row in catalog[catalog["index_code"] == index_code].sort_values("valid_from", ascending=False).itertuples():
        for name in [row.name_vi, row.name_en, row.indicator_code, *row.aliases.split(";")]:
            if name:
                names.setdefault(fold(name), row.indicator_code)
    return names


def _find_header_rows(sheet: Sheet, names: dict[str, str]) -> list[int]:
    """The header block: rows naming at least two indicators (or one, in a row of several
    labels), contiguous (a Vietnamese and an English row, or a group row and an indicator row)."""
    counts, labels = {}, {}
    for r in range(1, min(len(sheet.rows), HEADER_SCAN_ROWS) + 1):
        texts = [c.value for c in sheet.rows[r - 1] if isinstance(c.value, str) and c.value.strip()]
        counts[r] = sum(1 for t in texts if fold(t) in names)
        labels[r] = len(texts)
    rows = [r for r in counts if counts[r] >= 2 or (counts[r] == 1 and labels[r] >= 2)]
    if not rows:
        return []
    block = [rows[0]]
    for r in rows[1:]:
        if r == block[-1] + 1:
            block.append(r)
    return block


def _header_of(sheet: Sheet, header_rows: list[int], column: int) -> list[str]:
    """Header texts of a column, top to bottom; an empty cell in the first header row inherits
    the group header on its left (merged cells keep their text in the first cell only)."""
    texts = []
    for r in header_rows:
        value = sheet.value(r, column)
        if value is None and r == header_rows[0] and len(header_rows) > 1:
            for left in range(column - 1, 0, -1):
                if sheet.value(r, left) is not None:
                    value = sheet.value(r, left)
                    break
        if value is not None and str(value).strip() and str(value).strip() not in texts:
            texts.append(str(value).strip())
    return texts


# -- the plan ------------------------------------------------------------------------------------
def plan_import(sheets: list[Sheet], reference: Reference, *, file_name: str, sha256: str,
                index_code: str | None = None, year: int | None = None, sheet_name: str | None = None,
                mappings: dict[tuple[str, str], str] | None = None,
                column_overrides: dict[str, str] | None = None, today: date | None = None) -> ImportPlan:
    """Plan the import of a workbook's sheets.

    `mappings` are remembered choices: (index_code, header_key) → indicator code or IGNORE.
    `column_overrides`: column letter (or "Sheet!H") → indicator code or IGNORE, for this file.
    """
    today = today or date.today()
    problems: list[Problem] = []
    frames, plans = [], []
    chosen = [s for s in sheets if sheet_name is None or s.name == sheet_name]
    if sheet_name is not None and not chosen:
        problems.append(Problem(f"Không có sheet «{sheet_name}».",
                                hint=f"Các sheet: {', '.join(s.name for s in sheets)}."))
    for sheet in chosen:
        if not any(isinstance(c.value, (int, float)) or isinstance(c.value, str) for row in sheet.rows for c in row):
            continue  # an empty sheet is not a problem
        plan, frame, sheet_problems = _plan_sheet(sheet, reference, index_code, year, mappings or {},
                                                  column_overrides or {}, today)
        plans.append(plan)
        problems += sheet_problems
        if frame is not None:
            frames.append(frame)
    scores = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SCORE_COLUMNS)
    if not plans and not problems:
        problems.append(Problem("Tệp không có sheet nào có số liệu.", hint="Kiểm tra lại tệp."))
    elif scores.empty and not [p for p in problems if p.severity == "error"]:
        problems.append(Problem("Không tìm thấy số liệu nào để nhập.",
                                hint="Cần một cột tên tỉnh và các cột có tên chỉ số."))
    problems += _check_duplicates_across_sheets(scores)
    return ImportPlan(file_name, sha256, plans, scores, problems)


def _plan_sheet(sheet: Sheet, ref: Reference, index_code, year, mappings, overrides, today):
    problems: list[Problem] = []
    plan = SheetPlan(sheet.name)
    if sheet.stopped_at:
        problems.append(Problem(f"Đã dừng đọc sau {sheet.stopped_at - len(sheet.rows)} dòng trống liên tiếp; "
                                "số liệu nằm dưới các dòng trống đó (nếu có) không được đọc.",
                                sheet=sheet.name, row=sheet.stopped_at, severity="warning",
                                hint="Xóa các dòng trống thừa trong sheet."))
    top_words = [sheet.name] + _texts(sheet, range(1, HEADER_SCAN_ROWS + 1))
    index_code = index_code or detect_index(top_words, ref.indices)
    if index_code is None:
        # No keyword: the index whose indicator names match most header cells.
        best = max(ref.indices["index_code"],
                   key=lambda code: max((sum(1 for c in row if isinstance(c.value, str)
                                             and fold(c.value) in _indicator_matcher(ref.catalog, code))
                                         for row in sheet.rows[:HEADER_SCAN_ROWS]), default=0))
        index_code = best
    plan.index_code = index_code
    names = _indicator_matcher(ref.catalog, index_code)
    plan.header_rows = _find_header_rows(sheet, names)
    if not plan.header_rows:
        problems.append(Problem(f"Không tìm thấy dòng tiêu đề có tên các chỉ số {index_code}.", sheet=sheet.name,
                                hint="Tiêu đề cột phải là tên chỉ số (tiếng Việt hoặc tiếng Anh); "
                                     "dùng mẫu nhập liệu nếu cần."))
        return plan, None, problems

    title_words = [sheet.name] + _texts(sheet, range(1, plan.header_rows[0]))
    header_words = _texts(sheet, range(plan.header_rows[0], plan.header_rows[-1] + 1))
    found_year = detect_year(title_words) or detect_year(header_words)
    if year is not None and found_year is not None and found_year != year:
        problems.append(Problem(f"Tệp ghi năm {found_year} nhưng đang nhập cho năm {year}.", sheet=sheet.name,
                                severity="warning", hint="Kiểm tra lại năm đã chọn."))
    plan.year = year or found_year
    if plan.year is None:
        problems.append(Problem("Không xác định được năm của số liệu.", sheet=sheet.name,
                                hint="Ghi năm vào tên sheet hoặc tiêu đề, hoặc chọn năm khi nhập (--year)."))
        return plan, None, problems
    index_row = ref.indices[ref.indices["index_code"] == index_code].iloc[0]
    if plan.year > today.year:
        problems.append(Problem(f"Năm {plan.year} chưa tới (hôm nay là năm {today.year}).", sheet=sheet.name,
                                hint="Kiểm tra lại năm trong tên sheet, tiêu đề hoặc tham số --year."))
        return plan, None, problems
    if plan.year < int(index_row["first_year"]):
        problems.append(Problem(f"{index_code} chỉ có từ năm {index_row['first_year']}, tệp ghi năm {plan.year}.",
                                sheet=sheet.name, hint="Kiểm tra lại năm hoặc chỉ số."))
        return plan, None, problems
    plan.era = ERA_2025 if plan.year >= int(index_row["new_provinces_from"]) else LEGACY

    first_data = plan.header_rows[-1] + 1
    columns, column_problems = _match_columns(sheet, plan, names, mappings, overrides, first_data, ref)
    plan.columns = columns
    problems += column_problems
    province_col, code_col, province_problems = _find_province_columns(sheet, plan, ref, first_data)
    problems += province_problems
    for column in plan.columns:
        if column.how == "unmatched":
            problems.append(Problem(
                f"Cột «{column.header or '(không có tiêu đề)'}» không khớp chỉ số nào của {plan.index_code}.",
                sheet=sheet.name, row=plan.header_rows[-1], column=column.column,
                hint=f"Chọn chỉ số cho cột này hoặc bỏ qua (dòng lệnh: --map {column.column}=MÃ "
                     f"hoặc --map {column.column}=IGNORE)."))
    if province_col is None and code_col is None:
        return plan, None, problems
    frame, row_problems = _read_rows(sheet, plan, ref, province_col, code_col, first_data)
    problems += row_problems
    problems += _validate(frame, plan, ref)
    return plan, frame, problems


def _match_columns(sheet, plan, names, mappings, overrides, first_data, ref):
    problems, columns = [], []
    seen: dict[str, str] = {}
    valid = set(registry.indicators_in_year(ref.catalog, plan.index_code, plan.year)["indicator_code"])
    for c in range(1, sheet.width + 1):
        letter = column_letter(c)
        texts = _header_of(sheet, plan.header_rows, c)
        header = " / ".join(texts)
        key = fold(header)
        numeric = sum(1 for r in range(first_data, len(sheet.rows) + 1)
                      if isinstance(sheet.value(r, c), (int, float)) or _looks_numeric(sheet.value(r, c)))
        override = overrides.get(f"{sheet.name}!{letter}") or overrides.get(letter)
        code, how = None, "unmatched"
        if override:
            code, how = (None, "ignored") if override == IGNORE else (override, "manual")
        elif (plan.index_code, key) in mappings:
            mapped = mappings[(plan.index_code, key)]
            code, how = (None, "ignored") if mapped == IGNORE else (mapped, "mapping")
        else:
            for text in reversed(texts):  # the most specific header row first
                if fold(text) in names:
                    code, how = names[fold(text)], "name"
                    break
            if code is None and (not texts or any(fold(t) in _IGNORED_HEADERS for t in texts) or numeric == 0):
                how = "ignored"
        if code is not None:
            if code not in valid:
                problems.append(Problem(f"Chỉ số «{header}» ({code}) không có trong {plan.index_code} năm {plan.year}.",
                                        sheet=sheet.name, row=plan.header_rows[-1], column=letter,
                                        hint="Bỏ qua cột này hoặc kiểm tra lại năm."))
            if code in seen:
                problems.append(Problem(f"Hai cột cùng là chỉ số {code}: cột {seen[code]} và cột {letter}.",
                                        sheet=sheet.name, row=plan.header_rows[-1], column=letter,
                                        hint="Bỏ qua một trong hai cột."))
            seen[code] = letter
        columns.append(ColumnMatch(sheet.name, letter, header, key, code, how))
    return columns, problems


def _looks_numeric(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return parse_value(value) is not None
    except ValueError:
        return False


def _find_province_columns(sheet, plan, ref, first_data):
    """The column of province names (found by its values) and the column of GSO codes."""
    matcher = ProvinceMatcher(ref.provinces)
    free = [c for c in plan.columns if c.indicator_code is None]
    best, best_hits = None, 0
    for column in free:
        c = _column_number(column.column)
        # Either era counts here, so that a 2025 file written with pre-merger names is found
        # and each such name gets its own explanation.
        hits = sum(1 for r in range(first_data, len(sheet.rows) + 1)
                   if isinstance(sheet.value(r, c), str)
                   and (matcher.find(sheet.value(r, c), LEGACY) or matcher.find(sheet.value(r, c), ERA_2025)))
        if hits > best_hits:
            best, best_hits = column, hits
    code_column = next((c for c in free if c.header and any(fold(t) in _CODE_HEADERS for t in c.header.split(" / "))), None)
    name_column = best if best_hits >= 1 else None
    for column in (name_column, code_column):
        if column is not None:
            column.how = "province" if column is name_column else "code"
    problems = []
    if name_column is None and code_column is None:
        problems.append(Problem("Không tìm thấy cột tên tỉnh/thành phố hoặc mã tỉnh.", sheet=sheet.name,
                                row=plan.header_rows[-1],
                                hint="Cần một cột ghi tên tỉnh (có dấu hoặc không) hoặc mã tỉnh (mã GSO)."))
    return name_column, code_column, problems


def _column_number(letter: str) -> int:
    from openpyxl.utils import column_index_from_string
    return column_index_from_string(letter)


def _read_rows(sheet, plan, ref, name_col, code_col, first_data):
    matcher = ProvinceMatcher(ref.provinces)
    indicator_columns = [c for c in plan.columns if c.indicator_code and c.how in ("name", "mapping", "manual")]
    problems, records, seen = [], [], {}
    for r in range(first_data, len(sheet.rows) + 1):
        name = sheet.value(r, _column_number(name_col.column)) if name_col else None
        code = sheet.value(r, _column_number(code_col.column)) if code_col else None
        label = name if name not in (None, "") else code
        cells = [(c, sheet.rows[r - 1][_column_number(c.column) - 1] if _column_number(c.column) <= len(sheet.rows[r - 1]) else None)
                 for c in indicator_columns]
        if label in (None, "") and all(cell is None or cell.value in (None, "") for _, cell in cells):
            continue  # blank line
        if isinstance(name, str) and fold_province(name) in _SUMMARY:
            plan.summary_rows.append(r)
            continue
        where = dict(sheet=sheet.name, row=r,
                     column=(name_col or code_col).column)
        match = None
        if code_col is not None and code not in (None, ""):
            match = matcher.find(code, plan.era)
            if match is None and not (isinstance(name, str) and name.strip()):
                problems.append(Problem(f"Mã tỉnh «{code}» không có trong danh mục {('63 tỉnh' if plan.era == LEGACY else '34 tỉnh từ 2025')}.",
                                        **where, hint="Kiểm tra lại mã (mã GSO)."))
                continue
        if name_col is not None and isinstance(name, str) and name.strip():
            by_name = matcher.find(name, plan.era)
            if by_name is None:
                problems.append(_unknown_province(name, plan, ref, where))
                continue
            if match is not None and match.code != by_name.code:
                problems.append(Problem(f"Mã {code} là {match.name} nhưng tên ghi «{name}».", **where,
                                        hint="Sửa mã hoặc tên cho khớp nhau."))
                continue
            match = by_name
        if match is None:
            problems.append(Problem("Dòng có số liệu nhưng không có tên hoặc mã tỉnh.", **where,
                                    hint="Điền tên tỉnh hoặc xóa dòng."))
            continue
        values = []
        for column, cell in cells:
            try:
                value = parse_value(cell.value if cell else None, bool(cell and cell.is_percent))
            except ValueError:
                problems.append(Problem(f"Giá trị «{cell.value}» không phải số.", sheet=sheet.name, row=r,
                                        column=column.column, hint="Sửa thành số (ví dụ 92,55 hoặc 88,5%) hoặc để trống."))
                continue
            if cell is not None and cell.formula_without_value:
                problems.append(Problem("Ô có công thức nhưng chưa có giá trị tính sẵn.", sheet=sheet.name, row=r,
                                        column=column.column, hint="Mở tệp bằng Excel, lưu lại rồi nhập lại."))
                continue
            values.append((column, value))
        present = [(c, v) for c, v in values if v is not None]
        if not present or all(v == 0 for _, v in present):
            plan.provinces_without_data.append(match.name)
            continue
        if match.code in seen:
            problems.append(Problem(f"{match.name} xuất hiện hai lần (dòng {seen[match.code]} và dòng {r}).", **where,
                                    hint="Xóa dòng trùng."))
            continue
        seen[match.code] = r
        records += [(plan.index_code, plan.year, plan.era, match.code, c.indicator_code, v, sheet.name, r, c.column)
                    for c, v in present]
    return pd.DataFrame(records, columns=SCORE_COLUMNS), problems


def _unknown_province(name, plan, ref, where) -> Problem:
    other_era = LEGACY if plan.era == ERA_2025 else ERA_2025
    other = ProvinceMatcher(ref.provinces).find(name, other_era)
    if other is not None and plan.era == ERA_2025:
        row = ref.provinces[(ref.provinces["era"] == LEGACY) & (ref.provinces["code"] == other.code)]
        successor = ref.provinces[(ref.provinces["era"] == ERA_2025) & (ref.provinces["code"] == row["successor_code"].iloc[0])]
        return Problem(f"«{name}» không còn là tỉnh từ 1/7/2025 (đã hợp nhất vào {successor['name'].iloc[0]}); "
                       f"số liệu năm {plan.year} tính theo 34 tỉnh, thành phố mới.", **where,
                       hint="Dùng tên tỉnh mới, hoặc kiểm tra lại năm.")
    if other is not None:
        return Problem(f"«{name}» là tên tỉnh sau sáp nhập 2025, nhưng số liệu năm {plan.year} tính theo 63 tỉnh cũ.",
                       **where, hint="Dùng tên tỉnh trước sáp nhập, hoặc kiểm tra lại năm.")
    return Problem(f"Không nhận ra tỉnh/thành phố «{name}».", **where,
                   hint="Kiểm tra chính tả; có thể dùng tên có dấu, không dấu hoặc mã tỉnh.")


def _validate(frame: pd.DataFrame, plan: SheetPlan, ref: Reference) -> list[Problem]:
    """Scale of every value, and sub-indicators adding up to their parent where they should."""
    problems = []
    if frame.empty:
        return problems
    in_force = registry.indicators_in_year(ref.catalog, plan.index_code, plan.year).set_index("indicator_code")
    scaled = frame.join(in_force[["scale_min", "scale_max", "name_vi", "unit"]], on="indicator_code", how="inner")
    outside = scaled[(scaled["value"] < scaled["scale_min"] - 1e-9) | (scaled["value"] > scaled["scale_max"] + 1e-9)]
    for row in outside.itertuples(index=False):
        problems.append(Problem(
            f"{row.value:g} nằm ngoài thang điểm của «{row.name_vi}» ({row.scale_min:g}–{row.scale_max:g} {row.unit}).",
            sheet=row.sheet, row=row.row, column=row.column, hint="Kiểm tra lại số liệu (dấu thập phân, đơn vị %)."))
    wide = frame.pivot_table(index=["province_code", "row"], columns="indicator_code", values="value")
    children = in_force[in_force["sums_to_parent"] & (in_force["parent_code"] != "")]
    for parent, group in children.groupby("parent_code"):
        kids = [k for k in group.index if k in wide.columns]
        if parent not in wide.columns or len(kids) != len(group):
            continue  # only check a parent whose every child is in the file
        complete = wide.dropna(subset=kids + [parent])
        gaps = (complete[kids].sum(axis=1) - complete[parent]).abs()
        for (province_code, row), gap in gaps[gaps > SUM_TOLERANCE].items():
            column = frame[(frame["row"] == row) & (frame["indicator_code"] == parent)]["column"].iloc[0]
            problems.append(Problem(
                f"Tổng các chỉ số thành phần của {parent} ({complete.loc[(province_code, row), kids].sum():.4f}) "
                f"khác giá trị {parent} ({complete.loc[(province_code, row), parent]:.4f}) quá {SUM_TOLERANCE}.",
                sheet=plan.sheet, row=int(row), column=column,
                hint="Kiểm tra lại các điểm thành phần hoặc điểm tổng."))
    return problems


def _check_duplicates_across_sheets(scores: pd.DataFrame) -> list[Problem]:
    keys = ["index_code", "year", "province_code", "indicator_code"]
    duplicated = scores[scores.duplicated(keys, keep=False)]
    problems = []
    for _, rows in duplicated.groupby(keys):
        first, second = rows.iloc[0], rows.iloc[1]
        problems.append(Problem(f"{first['indicator_code']} năm {first['year']} của cùng một tỉnh có ở hai nơi "
                                f"(sheet «{first['sheet']}» dòng {first['row']} và sheet «{second['sheet']}» dòng {second['row']}).",
                                sheet=second["sheet"], row=int(second["row"]), column=second["column"],
                                hint="Chỉ nhập một sheet (--sheet) hoặc xóa phần trùng."))
    return problems


# -- preview ------------------------------------------------------------------------------------
@dataclass
class Preview:
    added: pd.DataFrame            # new figures (including those replacing demo data)
    changed: pd.DataFrame          # existing official figures with another value: old → new
    unchanged: int
    replaced_demo: int             # demo rows of the same index-years that the import removes
    missing_provinces: pd.DataFrame  # had data the previous year, absent from the file
    missing_indicators: pd.DataFrame

    @property
    def nothing_to_do(self) -> bool:
        return self.added.empty and self.changed.empty and self.replaced_demo == 0


def preview(plan: ImportPlan, existing: pd.DataFrame, previous: pd.DataFrame) -> Preview:
    """Compare the plan with what is stored.

    `existing`: stored rows of the plan's index-years (with `is_demo`); `previous`: stored rows
    of the same indices the year before each planned year.
    """
    keys = ["index_code", "year", "era", "province_code", "indicator_code"]
    incoming = plan.scores
    official = existing[~existing["is_demo"]] if not existing.empty else existing
    demo = existing[existing["is_demo"]] if not existing.empty else existing
    merged = incoming.merge(official[keys + ["value"]].rename(columns={"value": "old_value"}), on=keys, how="left")
    is_new = merged["old_value"].isna()
    differs = ~is_new & (merged["value"] - merged["old_value"]).abs().gt(1e-9)
    missing_provinces, missing_indicators = _missing_against_previous(incoming, previous)
    return Preview(added=merged[is_new].drop(columns="old_value"), changed=merged[differs],
                   unchanged=int((~is_new & ~differs).sum()), replaced_demo=len(demo),
                   missing_provinces=missing_provinces, missing_indicators=missing_indicators)


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
