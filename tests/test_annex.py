"""The plan annex: .xlsx read back with openpyxl, and the CSV parsed back."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import weak
from analytics.annex import annex_csv, annex_workbook, safe_cell
from analytics.registry import load_default_departments
from analytics.weak import Thresholds, flag_weak, follow_up

DEPTS = load_default_departments()

ANNEX_COLUMNS = ["STT", "Chỉ số", "Lĩnh vực / chỉ số nội dung", "Chỉ số thành phần", "Điểm",
                 "Điểm tối đa", "Điểm bị trừ", "Năm trước", "Tăng/giảm", "Thứ hạng",
                 "Thứ hạng năm trước", "Nhóm", "Lý do", "Cơ quan chủ trì", "Cơ quan phối hợp",
                 "Nhiệm vụ / giải pháp", "Thời hạn"]
CSV_HEADER = ("index,year,province_code,indicator_code,indicator,parent_indicator,value,max_value,"
              "points_lost,previous_value,change,rank,previous_rank,group,median,best_value,reasons,"
              "severity,lead_department,support_departments,tier")
NASTY = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+SUM(1,2)", "-2+3", "@cmd", "=1+1"]




@pytest.fixture(scope="module")
def papi(real):
    table, indices, sources = real
    return flag_weak(table, indices, "legacy:01", "PAPI", 2016, departments=DEPTS), sources


def workbook(flags, sources, index_name="PAPI", year=2016, **kw):
    data = annex_workbook(flags, province_name="Hà Nội", index_name=index_name, year=year,
                          thresholds=Thresholds(), sources=sources, **kw)
    return openpyxl.load_workbook(io.BytesIO(data))


def header_row(ws, first="STT") -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError("no table header")


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def texts(wb) -> str:
    return "\n".join(str(c.value) for c in all_cells(wb) if c.value is not None)


def test_xlsx_has_the_annex_columns_frozen_header_and_print_setup(papi):
    flags, sources = papi
    wb = workbook(flags, sources)
    assert wb.sheetnames == ["Phụ lục"]
    ws = wb["Phụ lục"]
    top = header_row(ws)
    assert [c.value for c in ws[top]][:17] == ANNEX_COLUMNS
    assert ws.max_column == 17
    assert ws.freeze_panes == f"A{top + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert str(top) in ws.print_title_rows
    assert ws.column_dimensions["M"].width >= 40 and ws.cell(top + 1, 13).alignment.wrap_text
    # Header rows: province, index, year, thresholds, data source.
    heading = "\n".join(str(ws.cell(r, 1).value) for r in range(1, top) if ws.cell(r, 1).value)
    for expected in ("Hà Nội", "PAPI", "2016", "Ngưỡng", "tụt từ 5 bậc", "30%", "Nguồn số liệu",
                     "CECODES"):
        assert expected in heading, expected
    assert "Dữ liệu minh họa" not in texts(wb)  # real PAPI figures


def test_xlsx_rows_match_the_flags(papi):
    flags, sources = papi
    ws = workbook(flags, sources)["Phụ lục"]
    top = header_row(ws)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=top + 1, max_row=ws.max_row)]
    assert len(rows) == len(flags)
    assert [r[0] for r in rows] == list(range(1, len(flags) + 1))
    for cells, flag in zip(rows, flags.itertuples()):
        assert cells[3] == flag.indicator and cells[2] == flag.parent_indicator
        assert cells[4] == pytest.approx(flag.value) and cells[5] == pytest.approx(flag.max_value)
        assert cells[9] == flag.rank and cells[13] == flag.lead_department
        assert cells[11].endswith(flag.group) and cells[11][0] in "▲△▽▼"  # symbol with the colour
        assert cells[15] is None and cells[16] is None                   # left to fill
    first = rows[0]
    assert first[12].startswith("• ")
    low_rows = [r for r, f in zip(rows, flags.itertuples()) if "LOW" in f.reasons.split(";")]
    assert low_rows and all("Thuộc nhóm Thấp nhất" in r[12] for r in low_rows)
    group_cell = ws.cell(top + 1, 12)
    assert group_cell.fill.fgColor.rgb.endswith("FFC7CE") and group_cell.value.startswith("▼")


def test_no_cell_holds_a_formula_even_with_hostile_text(papi):
    flags, sources = papi
    hostile = flags.copy()
    hostile.loc[0, "indicator"] = NASTY[0]
    hostile.loc[0, "parent_indicator"] = NASTY[1]
    hostile.loc[0, "lead_department"] = NASTY[2]
    hostile.loc[0, "support_departments"] = NASTY[3] + ";" + NASTY[4]
    hostile.loc[1, "reason_text"] = NASTY[4]
    hostile.loc[1, "indicator"] = NASTY[3]
    wb = workbook(hostile, "=cmd|' /C calc'!A0", index_name="+PAPI")
    cells = list(all_cells(wb))
    assert cells and all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells if isinstance(c.value, str)}
    for text in NASTY[:3] + [NASTY[3]]:
        assert text in values  # kept exactly, as text
    ws = wb["Phụ lục"]
    top = header_row(ws)
    assert ws.cell(top + 1, 4).value == NASTY[0] and ws.cell(top + 1, 4).data_type == "s"


def test_par_index_annex_is_labelled_as_demo_data(real):
    table, indices, sources = real
    flags = flag_weak(table, indices, "legacy:01", "PAR_INDEX", 2024, Thresholds(points_lost_share=0.1), departments=DEPTS)
    assert flags["is_demo"].all() and flags["reasons"].str.contains("POINTS_LOST").any()
    wb = workbook(flags, sources, index_name="PAR INDEX", year=2024)
    assert "Dữ liệu minh họa" in texts(wb)
    ws = wb["Phụ lục"]
    top = header_row(ws)
    assert [c.value for c in ws[top]][:17] == ANNEX_COLUMNS
    first = [c.value for c in ws[top + 1]]
    assert first[2] == flags["indicator"].iloc[0] and first[3] is None  # a field, no sub-indicator
    lost = [ws.cell(r, 7) for r in range(top + 1, ws.max_row + 1)]
    flagged = [c for c, f in zip(lost, flags.itertuples()) if "POINTS_LOST" in f.reasons.split(";")]
    assert flagged and all(c.number_format.startswith('"⚠') for c in flagged)
    assert all(c.data_type != "f" for c in all_cells(wb))


def test_empty_list_still_makes_a_workbook(papi):
    flags, sources = papi
    wb = workbook(flags.iloc[0:0], sources)
    assert "Không có chỉ số nào bị đánh dấu" in texts(wb)


def test_follow_up_goes_to_the_second_sheet(real):
    table, indices, sources = real
    earlier = flag_weak(table, indices, "legacy:01", "PAPI", 2015, departments=DEPTS)
    now = flag_weak(table, indices, "legacy:01", "PAPI", 2016, departments=DEPTS)
    moved = follow_up(earlier, table, 2016, indices=indices)
    wb = workbook(now, sources, follow_up=moved)
    assert wb.sheetnames == ["Phụ lục", "Theo dõi"]
    ws = wb["Theo dõi"]
    top = header_row(ws)
    assert ws.freeze_panes == f"A{top + 1}"
    results = [ws.cell(r, 12).value for r in range(top + 1, top + 1 + len(moved))]
    expected = [f"{weak.FOLLOW_UP_STATUS[s]}" for s in moved["status"]]
    assert [r.split(" ", 1)[1] for r in results] == expected
    body = texts(wb)
    assert "Tổng hợp theo cơ quan chủ trì" in body and "Tổng cộng" in body
    total_row = next(c.row for c in ws["B"] if c.value == "Tổng cộng")
    assert ws.cell(total_row, 5).value == len(moved)  # a number, not a formula
    assert all(c.data_type != "f" for c in all_cells(wb))


def test_csv_header_is_exact_and_parses_back(papi):
    flags, _ = papi
    text = annex_csv(flags)
    assert text.splitlines()[0] == CSV_HEADER
    parsed = pd.read_csv(io.StringIO(text), dtype={"province_code": str})
    assert len(parsed) == len(flags)
    assert parsed["value"].tolist() == pytest.approx(flags["value"].tolist())
    assert parsed["change"].dropna().tolist() == pytest.approx(flags["change"].dropna().tolist())
    assert set(";".join(parsed["reasons"]).split(";")) <= set(weak.REASON_CODES)
    assert parsed["province_code"].eq("01").all() and parsed["index"].eq("PAPI").all()
    # Dot decimals: no decimal comma inside a numeric field.
    for row in csv.DictReader(io.StringIO(text)):
        for column in ("value", "median", "change", "points_lost"):
            assert "," not in row[column]


def test_csv_guards_text_that_would_start_a_formula(papi):
    flags, _ = papi
    hostile = flags.copy()
    hostile.loc[0, "indicator"] = NASTY[0]
    hostile.loc[0, "lead_department"] = NASTY[2]
    hostile.loc[0, "support_departments"] = NASTY[3]
    rows = list(csv.DictReader(io.StringIO(annex_csv(hostile))))
    text_columns = ["index", "province_code", "indicator_code", "indicator", "parent_indicator",
                    "group", "reasons", "lead_department", "support_departments"]
    for row in rows:
        for column in text_columns:
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), (column, row[column])
    assert rows[0]["indicator"] == "'" + NASTY[0]
    assert rows[0]["lead_department"] == "'" + NASTY[2]
    # Negative numbers stay numbers.
    assert any(row["change"].startswith("-") for row in rows)


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-x") == "'-x" and safe_cell("+x") == "'+x" and safe_cell("@x") == "'@x"
    assert safe_cell("Sở Nội vụ") == "Sở Nội vụ"
    assert safe_cell(-1.5) == -1.5 and safe_cell(None) is None


def test_english_annex_has_english_headers_names_and_reasons(papi):
    flags, sources = papi
    data = annex_workbook(flags, province_name="Ha Noi", index_name="PAPI", year=2016,
                          thresholds=Thresholds(), sources=sources, lang="en")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Annex"]
    top = header_row(ws, "No.")
    headers = [c.value for c in ws[top]]
    assert headers[:4] == ["No.", "Index", "Field / dimension", "Sub-indicator"]
    assert "Lead department" in headers and "Reasons" in headers
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=top + 1) if r[0].value is not None]
    lead = headers.index("Lead department")
    leads = {r[lead] for r in rows if r[lead]}
    assert leads and all(not name.startswith(("Sở", "Văn phòng", "UBND")) for name in leads), leads
    assert "Department of Home Affairs" in leads or any(n.startswith("Department of") for n in leads)
    reasons = " ".join(str(r[headers.index("Reasons")]) for r in rows)
    assert "In the lowest group" in reasons and "Thuộc nhóm" not in reasons
    field = {r[2] for r in rows}
    assert "Transparency" in " ".join(map(str, field)) or not any("Công khai" in str(f) for f in field)


VIETNAMESE_LETTER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def test_english_annex_and_its_follow_up_have_no_vietnamese_letter(real):
    """Thresholds, data source, follow-up names and statuses: all English when the page is."""
    table, indices, sources = real
    earlier = flag_weak(table, indices, "legacy:01", "PAPI", 2015, departments=DEPTS)
    now = flag_weak(table, indices, "legacy:01", "PAPI", 2016, departments=DEPTS)
    moved = follow_up(earlier, table, 2016, indices=indices)
    wb = workbook(now, sources, follow_up=moved, lang="en")
    assert wb.sheetnames == ["Annex", "Follow-up"]
    cells = [(ws.title, c.coordinate, c.value.replace("Hà Nội", "")) for ws in wb.worksheets  # the name given
             for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    vietnamese = [cell for cell in cells if any(ch in VIETNAMESE_LETTER for ch in cell[2].lower())]
    assert not vietnamese, vietnamese[:10]
    assert any("Lowest (LOW)" in value for _, _, value in cells)


def test_file_names_are_ascii():
    from analytics.annex import annex_file_stem
    assert annex_file_stem("PAPI", "Bắc Ninh", 2025) == "phu-luc-bac-ninh-papi-2025"
    assert annex_file_stem("PAPI", "Đà Nẵng", 2025, "en") == "annex-da-nang-papi-2025"


def test_2018_annex_groups_indicators_under_their_sub_dimension(real):
    """An indicator-level list (PAPI 2018) is printed in blocks, one per sub-dimension: a bold
    heading naming it and its count, then its flagged indicators (column C the sub-dimension,
    D the indicator), numbered on across the blocks; every flag appears once."""
    from analytics.registry import load_catalog
    table, idx, sources = real
    flags = weak.flag_weak(table, idx, "legacy:01", "PAPI", 2018, all_indicators=True,
                           departments=load_default_departments())
    book = annex_workbook(flags, province_name="Hà Nội", index_name="PAPI", year=2018,
                          thresholds=Thresholds(), sources=sources)
    sheet = openpyxl.load_workbook(io.BytesIO(book)).worksheets[0]
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "STT")
    names = load_catalog().query("index_code == 'PAPI' and valid_from <= 2018 and valid_to >= 2018")
    names = names.set_index("indicator_code")["name_vi"]
    blocks, printed = [], []
    for r in range(header + 1, sheet.max_row + 1):
        first = sheet.cell(r, 1).value
        if isinstance(first, str) and " — số chỉ tiêu được đánh dấu: " in first:
            name, n = first.split(" — số chỉ tiêu được đánh dấu: ")
            assert sheet.cell(r, 1).font.bold
            blocks.append((name, int(n), []))
            continue
        assert blocks, "an indicator row before any sub-dimension heading"
        assert sheet.cell(r, 1).value == len(printed) + 1
        assert sheet.cell(r, 3).value == blocks[-1][0]
        blocks[-1][2].append(sheet.cell(r, 4).value)
        printed.append((sheet.cell(r, 3).value, sheet.cell(r, 4).value))
    assert [n for _, n, rows in blocks] == [len(rows) for _, _, rows in blocks]
    assert len({name for name, _, _ in blocks}) == len(blocks), "a sub-dimension printed in two blocks"
    expected = sorted((names[f.parent_code], names[f.indicator_code]) for f in flags.itertuples())
    assert sorted(printed) == expected and len(printed) >= 100


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", None]), st.sampled_from([2, 3])), min_size=1, max_size=30))
def test_annex_groups_keep_every_row_once_in_contiguous_blocks(rows):
    """Rows keep their severity order within a block; blocks come in the order of their most
    severe row; a list with no indicator-level row is one block without a heading."""
    from analytics.annex import annex_groups
    flags = pd.DataFrame({"indicator_code": [f"I{i}" for i in range(len(rows))],
                          "parent_code": [p for p, _ in rows], "level": [lv for _, lv in rows]})
    groups = annex_groups(flags)
    order = [code for _, block in groups for code in block["indicator_code"]]
    assert sorted(order) == sorted(flags["indicator_code"])
    if not (flags["level"] >= 3).any():
        assert len(groups) == 1 and groups[0][0] is None
        return
    firsts = [int(block.index[0]) for _, block in groups]
    assert firsts == sorted(firsts)
    for heading, block in groups:
        assert list(block.index) == sorted(block.index)
        assert heading["indicator_code"] == block.iloc[0]["indicator_code"]
        keys = block["parent_code"].fillna(block["indicator_code"])
        assert keys.nunique() == 1
