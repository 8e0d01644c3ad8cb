"""The one-page leader brief (PDF) of a province: each index's score, rank of N, group and change;
the three strongest and weakest areas; the plans' progress; a chart of the main index's
dimensions against the national median. Vietnamese, with DejaVu Sans embedded (fpdf2 subsets
the TrueType font into the file, so the diacritics print on any machine).

`brief_facts` computes the figures from the score table (pure pandas); `brief_pdf` draws them.
The font comes from `GOVINDEX_FONT_DIR`, else Debian's fonts-dejavu-core
(`scripts/install_fonts.sh`, called by `make run` and `make test`).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
from fpdf import FPDF

from analytics import plans
from analytics import provinces as province_ids
from analytics.errors import UserError
from analytics.wording import N_

FONT_DIRS = [os.environ.get("GOVINDEX_FONT_DIR", ""), "/usr/share/fonts/truetype/dejavu"]
BLUE, ORANGE, GREY = (0, 114, 178), (230, 159, 0), (90, 90, 90)  # colour-blind-safe (Okabe-Ito)
GROUP_MARKS = {1: "▲", 2: "△", 3: "▽", 4: "▼"}


def font_path(bold: bool = False) -> Path:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if folder and (Path(folder) / name).exists():
            return Path(folder) / name
    raise UserError.keyed("err_font_missing", hint_key=N_("hint_install_fonts"), font=name)


def _vn(value, digits: int = 2, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "—"
    return (f"{float(value):+.{digits}f}" if signed else f"{float(value):.{digits}f}").replace(".", ",")


def _lineage_rows(table: pd.DataFrame, pid: str) -> pd.DataFrame:
    lineage = table.loc[table["province_id"] == pid, "lineage_id"]
    key = lineage.iloc[0] if not lineage.empty else pid
    return table[(table["province_id"] == pid) | (table["lineage_id"] == key)]


def brief_facts(table: pd.DataFrame, indices: pd.DataFrame, pid: str, year: int | None = None) -> dict:
    """Per index (catalog order) the TOTAL row of the latest year with data for the province's
    lineage (or of `year`); the three best and worst detailed indicators by relative rank across
    indices in those years; the main index's dimensions against the median."""
    rows = _lineage_rows(table, pid)
    headline, leaves = [], []
    for index_code, short in zip(indices["index_code"], indices["short_name"]):
        mine = rows[rows["index_code"] == index_code]
        years = sorted(mine["year"].unique()) if year is None else [y for y in mine["year"].unique() if y == year]
        if not years:
            continue
        now = mine[mine["year"] == years[-1]]
        total = now[now["indicator_code"] == "TOTAL"]
        if not total.empty:
            headline.append({"index": short, "index_code": index_code, **total.iloc[0].to_dict()})
        detail = now[(now["level"] >= 1) & ~now["indicator_code"].isin(now["parent_code"])]
        leaves.append(detail.assign(index=short))
    if not headline:
        raise UserError.keyed("err_brief_no_data")
    areas = pd.concat(leaves, ignore_index=True) if leaves else pd.DataFrame()
    areas = areas[areas["n_ranked"] > 1].assign(position=lambda f: (f["rank"] - 1) / (f["n_ranked"] - 1))
    areas = areas.sort_values(["position", "sort_order"])
    main = headline[0]
    dims = rows[(rows["index_code"] == main["index_code"]) & (rows["year"] == main["year"]) & (rows["level"] == 1)]
    return {"headline": headline, "strongest": areas.head(3), "weakest": areas.tail(3).iloc[::-1],
            "chart": dims.sort_values("sort_order"), "demo": bool(pd.Series([h.get("is_demo") for h in headline]).fillna(False).any())}


class _Brief(FPDF):
    def setup(self) -> None:
        self.add_font("DejaVu", "", str(font_path()))
        self.add_font("DejaVu", "B", str(font_path(bold=True)))
        self.set_auto_page_break(False)
        self.set_margins(14, 12, 14)
        self.add_page()

    def line_text(self, text: str, size: float = 10, bold: bool = False, h: float = 5.2, color=(0, 0, 0)) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)


def _headline_table(pdf: _Brief, headline: list[dict]) -> None:
    widths = [26, 14, 22, 24, 52, 44]
    pdf.set_font("DejaVu", "B", 9.5)
    pdf.set_fill_color(230, 230, 230)
    for w, title in zip(widths, ["Chỉ số", "Năm", "Điểm", "Thứ hạng", "Thay đổi", "Nhóm"]):
        pdf.cell(w, 6.5, title, border=1, fill=True, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 9.5)
    for h in headline:
        moved = "" if pd.isna(h.get("rank_change")) else f"{'▲' if h['rank_change'] > 0 else '▼' if h['rank_change'] < 0 else '●'} {abs(int(h['rank_change']))} bậc"
        small = "≈ " if h.get("within_noise") is True else ""
        change = f"{small}{_vn(h.get('score_change'), signed=True)} điểm; {moved}" if h.get("comparable") else "không so sánh được"
        group = f"{GROUP_MARKS.get(int(h['group_no']), '')} {h['group']}" if not pd.isna(h.get("group_no")) else "—"
        name = h["index"] + (" *" if h.get("is_demo") else "")
        for w, text in zip(widths, [name, str(int(h["year"])), _vn(h["value"]),
                                    f"{int(h['rank'])}/{int(h['n_ranked'])}", change, group]):
            pdf.cell(w, 6.5, text, border=1, align="C")
        pdf.ln()


def _areas(pdf: _Brief, title: str, rows: pd.DataFrame, mark: str) -> None:
    pdf.line_text(title, 10.5, bold=True, h=6)
    for _, r in rows.iterrows():
        pdf.line_text(f"{mark} {r['index']} {int(r['year'])} — {r['name_vi']}: {_vn(r['value'])} điểm, "
                      f"hạng {int(r['rank'])}/{int(r['n_ranked'])} ({r['group']})", 9.5)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _chart(pdf: _Brief, dims: pd.DataFrame, title: str) -> None:
    """Horizontal bars: the province's score (blue) and the national median (orange) per dimension."""
    pdf.line_text(title, 10.5, bold=True, h=6)
    top, label_w, bar_w, row_h = pdf.get_y() + 1, 68, 60, 7.2
    scale_max = float(dims["scale_max"].max()) if not dims.empty else 1.0
    for i, (_, d) in enumerate(dims.iterrows()):
        y = top + i * row_h
        pdf.set_font("DejaVu", "", 8.5)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w, row_h / 2, _fit(pdf, str(d["name_vi"]), label_w - 2))
        x0 = pdf.l_margin + label_w
        pdf.set_fill_color(*BLUE)
        pdf.rect(x0, y + 0.4, bar_w * float(d["value"]) / scale_max, 2.6, style="F")
        pdf.set_fill_color(*ORANGE)
        pdf.rect(x0, y + 3.3, bar_w * float(d["median"]) / scale_max, 2.6, style="F")
        pdf.set_xy(x0 + bar_w + 2, y)
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(50, row_h / 2, f"{_vn(d['value'])} | trung vị {_vn(d['median'])} | hạng {int(d['rank'])}/{int(d['n_ranked'])}")
    pdf.set_y(top + len(dims) * row_h + 1)
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_fill_color(*BLUE)
    pdf.rect(pdf.l_margin + label_w, pdf.get_y() + 1, 4, 3, style="F")
    pdf.set_x(pdf.l_margin + label_w + 5)
    pdf.cell(40, 5, "Điểm của tỉnh")
    pdf.set_fill_color(*ORANGE)
    pdf.rect(pdf.get_x(), pdf.get_y() + 1, 4, 3, style="F")
    pdf.set_x(pdf.get_x() + 5)
    pdf.cell(50, 5, "Trung vị cả nước", new_x="LMARGIN", new_y="NEXT")


def _progress(pdf: _Brief, view: pd.DataFrame | None, quarter: str) -> None:
    pdf.line_text(f"Tiến độ kế hoạch cải thiện ({plans.quarter_label(quarter)})", 10.5, bold=True, h=6)
    if view is None or view.empty:
        pdf.line_text("Chưa có kế hoạch nào được lập trong phần mềm.", 9.5)
        return
    counts = view["status"].value_counts()
    pdf.line_text(f"{len(view)} nhiệm vụ: hoàn thành {int(counts.get('done', 0))}; đang thực hiện "
                  f"{int(counts.get('in_progress', 0))}; chưa bắt đầu {int(counts.get('not_started', 0))}; "
                  f"quá hạn {int(view['overdue'].sum())}.", 9.5)
    m = view["movement"].value_counts() if "movement" in view else pd.Series(dtype=int)
    if m.reindex(["improved", "unchanged", "worse"]).fillna(0).sum():
        pdf.line_text(f"Kết quả chỉ số sau kế hoạch: ▲ cải thiện {int(m.get('improved', 0))}; ● giữ nguyên "
                      f"{int(m.get('unchanged', 0))}; ▼ xấu đi {int(m.get('worse', 0))} (ngoài ngưỡng sai số).", 9.5)
    else:
        pdf.line_text("Chưa có kết quả chỉ số mới so sánh được với năm của kế hoạch.", 9.5)
    summary = plans.progress_summary(view).sort_values("n", ascending=False).head(8)
    widths = [70, 22, 26, 30, 30]
    pdf.set_font("DejaVu", "B", 9)
    for w, title in zip(widths, ["Cơ quan chủ trì", "Nhiệm vụ", "Hoàn thành", "Đang thực hiện", "Quá hạn"]):
        pdf.cell(w, 6, title, border=1, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 9)
    for r in summary.itertuples(index=False):
        for w, text in zip(widths, [_fit(pdf, r.lead_department, 68), r.n, r.done, r.in_progress, r.overdue]):
            pdf.cell(w, 6, str(text), border=1, align="L" if w == 70 else "C")
        pdf.ln()


def brief_pdf(facts: dict, *, province_name: str, view: pd.DataFrame | None = None,
              quarter: str | None = None, today: date | None = None) -> bytes:
    """One A4 page as PDF bytes; `view` is the plans' item view (with movement) for `quarter`."""
    today = today or date.today()
    quarter = quarter or plans.quarter_of(today)
    pdf = _Brief(format="A4")
    pdf.setup()
    pdf.line_text(f"BẢN TÓM TẮT CHỈ SỐ QUẢN TRỊ — {province_name.upper()}", 15, bold=True, h=8)
    pdf.line_text(f"Dành cho lãnh đạo UBND tỉnh · lập ngày {today.day}/{today.month}/{today.year}", 9, color=GREY)
    pdf.ln(2)
    _headline_table(pdf, facts["headline"])
    if facts["demo"]:
        pdf.line_text("* Dữ liệu minh họa, không phải số liệu chính thức.", 8.5, color=(192, 0, 0))
    pdf.ln(2)
    _areas(pdf, "Ba lĩnh vực mạnh nhất", facts["strongest"], "▲")
    _areas(pdf, "Ba lĩnh vực yếu nhất", facts["weakest"], "▼")
    pdf.ln(1)
    main = facts["headline"][0]
    _chart(pdf, facts["chart"], f"{main['index']} {int(main['year'])}: điểm từng chỉ số nội dung so với trung vị")
    pdf.ln(1)
    _progress(pdf, view, quarter)
    pdf.set_y(-16)
    pdf.line_text("Thứ hạng: 1 = cao nhất trong các tỉnh có số liệu năm đó. ≈ thay đổi trong ngưỡng sai số khảo sát. Nhóm theo tứ phân vị (▲ Cao nhất … "
                  "▼ Thấp nhất). Nguồn: PAPI (CECODES, RTA, UNDP); PAR INDEX, SIPAS (Bộ Nội vụ).", 7.5, color=GREY, h=3.6)
    pdf.set_title(f"Bản tóm tắt — {province_name}")
    return bytes(pdf.output())


def province_name(provinces: pd.DataFrame, pid: str) -> str:
    return province_ids.names(provinces)[pid]
