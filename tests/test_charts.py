"""Figures are built from DataFrames without Streamlit; check what a reader relies on."""

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.chart_margins import LEGEND_SYMBOL_PX, TICKS_BELOW_PX, legend_below, legend_rows, text_px
from ui.charts import GROUP_PATTERNS, RankPanel, rank_history_panels, ranking_bars

REPO = Path(__file__).resolve().parents[1]
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # among the widest fonts a browser falls back to


def drawn_px(text: str, size: int = 13) -> float:
    """The width `text` takes in DejaVu Sans Bold (scripts/install_fonts.sh installs it), markup removed."""
    from PIL import ImageFont
    import re
    return ImageFont.truetype(BOLD, size).getlength(re.sub(r"<[^>]*>", "", text))


def rows(n=8):
    groups = ["Cao nhất"] * 2 + ["Trung bình cao"] * 2 + ["Trung bình thấp"] * 2 + ["Thấp nhất"] * 2
    return pd.DataFrame({"province_label": [f"P{i}" for i in range(n)], "value": [40.0 - i for i in range(n)],
                         "value_text": [f"{40 - i},00" for i in range(n)], "change_text": ["▲ 1"] * n,
                         "group": groups[:n], "rank": list(range(1, n + 1))})


def test_groups_differ_by_pattern_as_well_as_colour():
    figure = ranking_bars(rows(), "vi", "Điểm")
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert [trace.name for trace in bars] == ["Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất"]
    assert len({trace.marker.pattern.shape for trace in bars}) == len(GROUP_PATTERNS)
    assert figure.layout.separators == ",."
    assert list(figure.layout.yaxis.categoryarray)[-1] == "P0"  # best province drawn on top


def name_words() -> list[str]:
    """Every word of the provinces' names, both eras and both languages (data/provinces)."""
    frames = [pd.read_csv(REPO / "data" / "provinces" / f, dtype=str) for f in ("legacy.csv", "new_2025.csv")]
    return sorted({word for frame in frames for name in (*frame["name"], *frame["name_en"]) for word in name.split()})


PLACE_NAMES = st.lists(st.sampled_from(name_words()), min_size=1, max_size=5).map(" ".join)  # names yet to come


@settings(max_examples=30, deadline=None)
@given(st.lists(PLACE_NAMES, min_size=1, max_size=8, unique=True), st.data())
def test_ranking_names_and_values_are_text_beside_the_bars_within_the_margins(names, data):
    """Names left of the bars and values right of them are two text traces (tick labels and bar
    text cost a forced layout each per redraw), in the figure's own margins, so plotly never
    grows a margin (a second draw); a highlighted province is bold with ▶ and outlined."""
    frame = rows(len(names)).assign(province_label=names, group="Cao nhất")
    marked = data.draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    figure = ranking_bars(frame, "en", "Score", highlight=marked)
    texts = {trace.name: trace for trace in figure.data if trace.type == "scatter"}
    assert set(texts) == {"names", "values"}
    assert not figure.layout.yaxis.showticklabels and figure.layout.yaxis.automargin is False
    assert all(trace.textposition is None for trace in figure.data if trace.type == "bar")  # no bar text
    shown = list(texts["names"].text)
    assert {label for label, text in zip(texts["names"].y, shown) if text.startswith("<b>▶ ")} == set(marked)
    outlined = [trace.y[0] for trace in figure.data if trace.type == "bar" and trace.marker.line.width]
    assert sorted(outlined) == sorted(marked)
    # the text traces stand in the margins, which nothing grows: the estimate must hold for a wide bold font
    assert all(drawn_px(text) <= figure.layout.margin.l for text in shown)
    assert all(drawn_px(text) <= figure.layout.margin.r for text in texts["values"].text)
    assert list(texts["values"].x) == list(frame.sort_values(["rank", "province_label"])["value"])


def test_every_province_name_fits_its_estimate_in_a_wide_bold_font(built_db):
    from analytics.store import Store
    with Store.open(built_db, read_only=True) as store:
        provinces = store.provinces()
    for name in [*provinces["name"], *provinces["name_en"]]:
        assert drawn_px(f"▶ {name}\u00a0\u00a0") <= text_px([f"▶ {name}\u00a0\u00a0"]), name


def test_a_legend_wraps_whole_items_as_plotly_does():
    item = text_px(["a" * 30], 12) + LEGEND_SYMBOL_PX  # 231 + 40 px
    assert legend_rows(["a" * 30] * 3, width_px=3 * item) == 1
    assert legend_rows(["a" * 30] * 3, width_px=3 * item - 1) == 2  # the third item goes down whole
    assert legend_rows(["a" * 30] * 3, width_px=item) == 3
    assert legend_rows(["a" * 200], width_px=item) == 1  # an item wider than the plot still takes one row


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnop ", min_size=1, max_size=40), min_size=1, max_size=12),
       st.integers(260, 700))
def test_a_legend_below_sits_under_the_ticks_in_pixels_however_many_rows(names, height):
    legend, bottom = legend_below(names, height, top=30)
    assert bottom >= TICKS_BELOW_PX + 24 * legend_rows(names)
    plot_px = height - 30 - bottom
    assert plot_px > 0, "a legend of 12 items left no plot"
    assert math.isclose(-legend["y"] * plot_px, TICKS_BELOW_PX)


def test_text_px_reads_plotly_markup_and_grows_with_the_longest_line():
    assert text_px(["<b>▶ Hà Nội</b>"]) == text_px(["▶ Hà Nội"])
    assert text_px(["Công khai, minh bạch<br>trong việc"]) == text_px(["Công khai, minh bạch"])
    assert text_px(["Tỉnh <b>Bắc</b> Ninh"]) == text_px(["Tỉnh Bắc Ninh"])  # a tag inside a line is no break
    assert text_px(["A &amp; B"]) == text_px(["A & B"])
    assert text_px(["a" * 40], 12) > text_px(["a" * 20], 12) > text_px([], 12)


def test_demo_figures_carry_the_label_in_the_image():
    figure = ranking_bars(rows(), "vi", "Điểm", demo=True)
    assert any(a.text == "DỮ LIỆU MINH HỌA" for a in figure.layout.annotations)
    assert not ranking_bars(rows(), "vi", "Điểm").layout.annotations
    one = pd.DataFrame({"year": [2020], "rank": [3], "n_ranked": [63]})
    english = rank_history_panels([RankPanel("", one, [2020])], "en", demo=True)
    assert english.layout.annotations[0].text == "DEMO DATA"
    # on the overview only the demo panels say so: real ranks beside them stay unmarked
    mixed = rank_history_panels([RankPanel("PAPI", one, [2020]), RankPanel("SIPAS", one, [2020], demo=True)], "en")
    titles = [a.text for a in mixed.layout.annotations]
    assert titles[0] == "<b>PAPI</b>" and "DEMO DATA" in titles[1] and titles[1].startswith("<b>SIPAS</b>")


def test_rank_history_leaves_gaps_for_years_without_data():
    series = pd.DataFrame({"year": [2013, 2015], "rank": pd.array([5, 7], dtype="Int64"),
                           "n_ranked": pd.array([63, 63], dtype="Int64")})
    figure = rank_history_panels([RankPanel("", series, [2013, 2014, 2015])], "vi")
    ranks = list(figure.data[0].y)
    assert ranks[0] == 5 and math.isnan(ranks[1]) and ranks[2] == 7
    assert figure.data[0].connectgaps is False
    assert "không có dữ liệu" in figure.data[0].hovertext[1]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.sampled_from([1.0, 5.0, 10.0])), min_size=1, max_size=12))
def test_gap_chart_draws_mixed_scales_as_shares_and_hovers_the_scores(rows):
    """Indicators on different maxima are placed at % of their maximum (0-100), one scale at the
    scores themselves; either way the hover carries the score, not the position."""
    from ui.charts import gap_chart, gap_positions
    frame = pd.DataFrame({"label": [f"i{n}" for n in range(len(rows))],
                          "value": [v * m for v, _, m in rows], "median": [md * m for _, md, m in rows],
                          "best_value": [m for _, _, m in rows], "max_value": [m for _, _, m in rows]})
    placed, share = gap_positions(frame)
    assert share == (frame["max_value"].nunique() > 1)
    if share:
        assert placed["x_best"].round(9).eq(100).all() and placed["x_value"].between(0, 100 + 1e-9).all()
    else:
        assert placed["x_value"].equals(frame["value"])
    figure = gap_chart(frame, "en", {"value": "Score", "median": "Median", "best": "Best"})
    assert list(figure.data[1].customdata) == list(frame["value"].iloc[::-1])  # data[0]: the grey segments
    assert (figure.layout.xaxis.ticksuffix == "%") == share


def test_rank_history_panels_put_every_index_in_one_figure():
    """One panel per index: a line keeps its colour and legend entry across panels, a panel
    without data says so, and the 2025 break is drawn only where that index crosses it."""
    merged = pd.DataFrame({"year": [2023, 2024, 2025, 2023, 2024], "rank": [5, 6, 3, 40, 41],
                           "n_ranked": [63, 63, 34, 63, 63], "line": ["Bắc Ninh"] * 3 + ["Bắc Giang (cũ)"] * 2})
    panels = [RankPanel("PAPI", merged, [2023, 2024, 2025], era_break=2025),
              RankPanel("PCI", merged[merged["year"] < 2025], [2023, 2024], era_break=2025),
              RankPanel("SIPAS", merged.iloc[0:0], [2023, 2024], era_break=2025)]
    figure = rank_history_panels(panels, "vi")
    assert {trace.xaxis for trace in figure.data} == {"x", "x2"}  # the empty panel has no line
    assert [trace.name for trace in figure.data if trace.showlegend] == ["Bắc Ninh", "Bắc Giang (cũ)"]
    colours = {}
    for trace in figure.data:
        assert colours.setdefault(trace.name, trace.line.color) == trace.line.color
    texts = [a.text for a in figure.layout.annotations]
    assert texts.count("Không có dữ liệu") == 1 and "<b>SIPAS</b>" in texts
    assert figure.layout.xaxis3.visible is False and figure.layout.yaxis3.visible is False  # no empty axes
    assert [shape.xref for shape in figure.layout.shapes] == ["x"]  # only PAPI reaches 2025
    assert figure.layout.yaxis.range[0] > 63 and figure.layout.yaxis3.domain[1] < figure.layout.yaxis.domain[0]


@pytest.mark.parametrize("count", [1, 2, 4, 5])
def test_rank_history_panels_never_overlap(count):
    """Panels sit in a grid inside the figure: domains within [0, 1], side by side panels apart,
    rows stacked without touching."""
    lines = pd.DataFrame({"year": [2020, 2021], "rank": [3, 4], "n_ranked": [63, 63]})
    figure = rank_history_panels([RankPanel(f"I{i}", lines, [2020, 2021]) for i in range(count)], "vi")
    boxes = []
    for k in range(count):
        suffix = "" if k == 0 else str(k + 1)
        x, y = figure.layout["xaxis" + suffix].domain, figure.layout["yaxis" + suffix].domain
        assert 0 <= x[0] < x[1] <= 1 and 0 <= y[0] < y[1] <= 1
        boxes.append((x, y))
    for a in range(count):
        for b in range(a + 1, count):
            (ax, ay), (bx, by) = boxes[a], boxes[b]
            assert ax[1] <= bx[0] or bx[1] <= ax[0] or ay[1] <= by[0] or by[1] <= ay[0]
