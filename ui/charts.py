"""Plotly figures. Pure functions of DataFrames (no Streamlit), so tests can build them directly.

Groups use the Okabe-Ito colour-blind-safe palette and also a bar pattern, so status never
depends on colour alone.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analytics.scores.rules import GROUP_SYMBOLS, GROUPS
from ui.chart_margins import (AXIS_TITLE_PX, COLORBAR_PX, LEGEND_ABOVE_PX, NAME_FONT_SIZE, RANK_TICKS_PX,
                               TEXT_COLOUR, TICKS_BELOW_PX, VALUE_TICKS_PX, legend_above, legend_below, text_px,
                               tick_labels_px)
from ui.i18n import group_label, plotly_separators, translate

GROUP_ORDER = GROUPS
GROUP_COLOURS = {"Cao nhất": "#0072B2", "Trung bình cao": "#56B4E9",
                 "Trung bình thấp": "#E69F00", "Thấp nhất": "#D55E00"}
GROUP_PATTERNS = {"Cao nhất": "", "Trung bình cao": "/", "Trung bình thấp": ".", "Thấp nhất": "x"}
FONT = "Inter, 'Segoe UI', Roboto, Arial, sans-serif"


DEMO_TEXT = "rgb(150, 90, 0)"


def label_demo(figure: go.Figure, lang: str) -> go.Figure:
    """Stamp "Dữ liệu minh họa" on the figure itself, so an exported PNG keeps the label."""
    # Above the plot area (top right), so it never hides data points.
    figure.add_annotation(text=translate("demo_label", lang).upper(), xref="paper", yref="paper",
                          x=1.0, y=1.0, xanchor="right", yanchor="bottom", showarrow=False,
                          font=dict(size=12, color=DEMO_TEXT),
                          bgcolor="rgba(255, 244, 214, 0.95)", bordercolor="rgba(150, 90, 0, 0.6)")
    figure.update_layout(margin=dict(t=max(figure.layout.margin.t or 0, 34)))
    return figure


def ranking_bars(rows: pd.DataFrame, lang: str, value_label: str, demo: bool = False,
                 highlight: list[str] | None = None) -> go.Figure:
    """Horizontal bars, best province on top, coloured and patterned by group.

    `rows` has: province_label, value, value_text (formatted), change_text (▲/▼), group, rank.
    Provinces in `highlight` (labels) get a bold "▶ name" and an outlined bar.

    The province names and the values beside the bars are two text traces, not tick labels and
    bar text: plotly measures every tick label and bar text on every redraw, one forced layout of
    the whole page each (about 190 per change of index); a text trace is placed without measuring.
    """
    rows = rows.sort_values(["rank", "province_label"], ascending=[True, True])
    labels = rows["province_label"].tolist()
    marked = [label for label in (highlight or []) if label in set(labels)]
    traces = []  # plain dicts; the figure is made in one call (plotly validates once)
    for group in GROUP_ORDER:
        part = rows[rows["group"] == group]
        if part.empty:
            continue
        traces.append(dict(
            type="bar", x=part["value"].tolist(), y=part["province_label"].tolist(), orientation="h",
            name=group_label(group, lang),
            marker=dict(color=GROUP_COLOURS[group], pattern=dict(shape=GROUP_PATTERNS[group], fillmode="overlay", fgcolor="white", size=6)),
            customdata=part[["rank", "change_text"]].astype(str).to_numpy().tolist(),
            hovertemplate="<b>%{y}</b><br>" + value_label + ": %{x}<br>"
                          + translate("rank", lang) + ": %{customdata[0]} %{customdata[1]}<extra></extra>",
        ))
    for label in marked:
        value = float(rows.loc[rows["province_label"] == label, "value"].iloc[0])
        traces.append(dict(type="bar", x=[value], y=[label], orientation="h", showlegend=False, hoverinfo="skip",
                           marker=dict(color="rgba(0,0,0,0)", line=dict(color="#000000", width=2.5))))
    gap = "\u00a0\u00a0"  # kept by SVG, unlike plain spaces: the text never touches the bar
    shown = [f"▶ {label}{gap}" if label in marked else label + gap for label in labels]
    names = [f"<b>{name}</b>" if label in marked else name for name, label in zip(shown, labels)]
    text = dict(type="scatter", mode="text", y=labels, showlegend=False, hoverinfo="skip", cliponaxis=False,
                textfont=dict(size=NAME_FONT_SIZE, color=TEXT_COLOUR))
    traces.append({**text, "name": "names", "x": [0] * len(labels), "textposition": "middle left", "text": names})
    values = (gap + rows["value_text"] + "  " + rows["change_text"]).tolist()
    traces.append({**text, "name": "values", "x": rows["value"].tolist(), "textposition": "middle right",
                   "text": values})
    high = float(rows["value"].max()) if not rows.empty else 1.0
    figure = go.Figure(data=traces, layout=dict(
        height=max(320, 22 * len(rows) + 90), barmode="overlay",
        margin=dict(l=text_px(shown), r=text_px(values), t=LEGEND_ABOVE_PX, b=TICKS_BELOW_PX + AXIS_TITLE_PX),
        font=dict(family=FONT, size=NAME_FONT_SIZE),
        separators=plotly_separators(lang),
        legend=legend_above(),
        # Bars start at zero: a truncated axis would exaggerate differences (the sort shows the order).
        # The values of the longest bars stand in the right margin, so the axis ends near the top value.
        xaxis=dict(title=value_label, range=[0, high * 1.02], showgrid=True, gridcolor="#e5e5e5", automargin=False),
        yaxis=dict(categoryorder="array", categoryarray=labels[::-1], showticklabels=False, title=None, automargin=False),
        plot_bgcolor="white",
    ))
    return label_demo(figure, lang) if demo else figure


def short_label(text: str, width: int = 30, max_lines: int = 2) -> str:
    """A category label for a chart axis: wrapped at word boundaries into at most `max_lines`
    lines of about `width` characters (plotly's <br>), ending with "…" when cut; the full name
    stays in the hover and in the chart's numbers."""
    text = str(text)
    lines = textwrap.wrap(text, width=width) or [""]
    if len(lines) <= max_lines:
        return "<br>".join(lines)
    kept = lines[:max_lines]
    kept[-1] = kept[-1][: width - 1].rstrip() + "…"
    return "<br>".join(kept)


MAX_YEAR_TICKS = 4  # a card is about 150 px wide: four 4-digit years fit without touching
ALL_LABELS_UP_TO = 8  # more points than this: only the first, last, best and worst are labelled


def year_ticks(years: list[int]) -> list[int]:
    """At most MAX_YEAR_TICKS evenly spaced years, always ending on the latest."""
    if not years:
        return []
    step = max(1, -(-(len(years) - 1) // (MAX_YEAR_TICKS - 1)))
    return sorted(years[::-1][::step])


def point_labels(ranks: pd.Series) -> list[str]:
    """The rank written above each point; on a long series only the first, last, best and worst,
    so the numbers never overlap (every rank is in the hover and the chart's numbers)."""
    present = ranks.dropna()
    keep = set(present.index) if len(present) <= ALL_LABELS_UP_TO else (
        {present.index[0], present.index[-1], present.idxmin(), present.idxmax()} if not present.empty else set())
    return [str(int(r)) if i in keep else "" for i, r in ranks.items()]


@dataclass(frozen=True)
class RankPanel:
    """One index's rank lines in `rank_history_panels`: `lines` has year, rank, n_ranked and
    optionally `line` (one line per value: a merged province and each province it was made of);
    `years` is every year of the index (missing years stay gaps); `era_break` is the first year
    on the 34-province map (a dashed line: ranks of 63 before it, of 34 from it)."""
    title: str
    lines: pd.DataFrame
    years: list[int]
    era_break: int | None = None
    demo: bool = False  # its title says "Dữ liệu minh họa" (the figure's other panels may be real)


def _rank_traces(panel: RankPanel, axes: str, lang: str, colours: dict[str, int], shown: set[str]) -> list[dict]:
    """The panel's lines on axes x<axes>/y<axes>; a line's colour and dash follow its name across
    panels, and its legend entry appears once (`shown`)."""
    lines = panel.lines.assign(line=panel.lines["line"] if "line" in panel.lines else "")
    traces = []
    for name, part in lines.groupby("line", sort=False):
        by_year = {int(y): (int(r), int(n)) for y, r, n in zip(part["year"], part["rank"], part["n_ranked"])
                   if not pd.isna(r)}
        ranks = pd.Series([float(by_year[y][0]) if y in by_year else float("nan") for y in panel.years], dtype=float)
        hover = [(f"{name} — " if name else "") + (f"{panel.title} · " if panel.title else "")
                 + translate("year", lang) + f" {y}: "
                 + (f"{by_year[y][0]}/{by_year[y][1]}" if y in by_year else translate("no_data", lang))
                 for y in panel.years]
        i = colours.setdefault(name, len(colours))
        colour = line_style(i)["color"]
        traces.append(dict(
            type="scatter", x=list(panel.years), y=ranks.tolist(), mode="lines+markers+text", connectgaps=False,
            xaxis="x" + axes, yaxis="y" + axes, name=name or None, legendgroup=name or None,
            showlegend=bool(name) and name not in shown, text=point_labels(ranks), textposition="top center",
            hovertext=hover, hoverinfo="text", line=line_style(i),
            marker=dict(size=7, color=colour), cliponaxis=False,
        ))
        shown.add(name)
    return traces


PANEL_HEIGHT = 190  # pixels of one panel's plot area and ticks
PANEL_TITLE = 26    # pixels above a titled panel for its title


def rank_history_panels(panels: list[RankPanel], lang: str, demo: bool = False, columns: int = 2) -> go.Figure:
    """Rank by year (1 on top), one panel per index in a grid of `columns`, in ONE figure: a
    browser draws one plotly figure per page change instead of one per index (each costs about
    40 ms of the reader's machine on every change). A panel without data says so; a demo panel
    says so in its title, and `demo` stamps the whole figure."""
    cols = max(1, min(columns, len(panels)))
    n_rows = max(1, -(-len(panels) // cols))
    titled = any(panel.title for panel in panels)
    several = any("line" in panel.lines and panel.lines["line"].nunique() > 1 for panel in panels)
    row_px = PANEL_HEIGHT + (PANEL_TITLE if titled else 0)
    legend_px = 40 if several else 0
    plot_px = n_rows * row_px  # the paper's height inside the margins
    # Margins hold the rank ticks and the legend, and no axis grows them (automargin off): a
    # margin plotly has to grow is a second full draw of the figure on every change.
    margin = dict(l=RANK_TICKS_PX, r=10, t=24, b=10 + legend_px)
    traces, shapes, annotations, layout = [], [], [], {}
    colours: dict[str, int] = {}
    shown: set[str] = set()
    for k, panel in enumerate(panels):
        row, col = divmod(k, cols)
        axes = "" if k == 0 else str(k + 1)
        top = 1 - row * row_px / plot_px - (PANEL_TITLE / plot_px if titled else 0)
        bottom = 1 - (row + 1) * row_px / plot_px + 22 / plot_px  # room for the year ticks
        x_domain = [col / cols + (0.04 if col else 0), (col + 1) / cols - (0.04 if col < cols - 1 else 0)]
        traces += _rank_traces(panel, axes, lang, colours, shown)
        ranked = panel.lines["n_ranked"].astype("Float64").fillna(0) if not panel.lines.empty else pd.Series([1])
        worst = int(max(ranked.max(), 1))
        years = panel.years
        layout["xaxis" + axes] = dict(
            domain=x_domain, anchor="y" + axes, tickmode="array", tickvals=year_ticks(years), tickformat="d",
            tickangle=0, tickfont=dict(size=10), showgrid=False, automargin=False,
            range=[min(years) - 0.5, max(years) + 0.5] if years else None)
        layout["yaxis" + axes] = dict(
            domain=[max(bottom, 0.0), min(top, 1.0)], anchor="x" + axes, autorange=False, range=[worst + 3, -4],
            title=None, showgrid=True, gridcolor="#eee", automargin=False,
            tickvals=sorted({1, 16, 32, 48, worst} - ({48} if worst < 48 else set())))
        if panel.title:
            stamp = (f"  <span style='color:{DEMO_TEXT}'>{translate('demo_label', lang).upper()}</span>"
                     if panel.demo else "")
            annotations.append(dict(text=f"<b>{panel.title}</b>{stamp}", xref=f"x{axes} domain",
                                    yref=f"y{axes} domain", x=0, y=1, xanchor="left", yanchor="bottom", yshift=6,
                                    showarrow=False, font=dict(size=12)))
        if panel.lines.empty:  # no axes, only the sentence
            layout["xaxis" + axes]["visible"] = layout["yaxis" + axes]["visible"] = False
            no_data = translate("no_data", lang)
            annotations.append(dict(text=no_data[:1].upper() + no_data[1:], xref=f"x{axes} domain",
                                    yref=f"y{axes} domain", x=0.5, y=0.5, showarrow=False,
                                    font=dict(size=11, color="#595959")))
        if panel.era_break is not None and years and min(years) < panel.era_break <= max(years):
            shapes.append(dict(type="line", x0=panel.era_break - 0.5, x1=panel.era_break - 0.5, xref="x" + axes,
                               y0=0, y1=1, yref=f"y{axes} domain", line=dict(color="#888888", dash="dash", width=1)))
            annotations.append(dict(x=panel.era_break - 0.5, y=0, xref="x" + axes, yref=f"y{axes} domain",
                                    yanchor="bottom", showarrow=False, text=translate("era_break_short", lang),
                                    font=dict(size=9, color="#555555")))
    # One constructor call with the whole layout: update_layout/add_vline re-walk the figure each.
    figure = go.Figure(data=traces, layout=dict(
        shapes=shapes, annotations=annotations, height=plot_px + margin["t"] + margin["b"], margin=margin,
        font=dict(family=FONT, size=11), showlegend=several,
        legend=dict(orientation="h", yanchor="top", y=0, x=0, font=dict(size=10)),  # under the year ticks
        plot_bgcolor="white", separators=plotly_separators(lang), **layout))
    return label_demo(figure, lang) if demo else figure


GAP_POSITIONS = {"value": "x_value", "median": "x_median", "best_value": "x_best"}  # score column → its x


def gap_positions(rows: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The x positions of the gap chart: the scores themselves when every row shares one maximum,
    else each score as a percentage of its indicator's maximum (an indicator-level list mixes
    0-1 shares with 0-10 totals, and on one score axis the shares' gaps vanish).

    Returns (rows with x_value, x_median, x_best) and whether the positions are percentages."""
    maxima = pd.to_numeric(rows["max_value"], errors="coerce") if "max_value" in rows else pd.Series(dtype=float)
    share = maxima.notna().all() and maxima.gt(0).all() and maxima.nunique() > 1
    moved = {x: (pd.to_numeric(rows[c], errors="coerce") / maxima * 100 if share else rows[c])
             for c, x in GAP_POSITIONS.items()}
    return rows.assign(**moved), bool(share)


def gap_chart(rows: pd.DataFrame, lang: str, labels: dict[str, str], demo: bool = False) -> go.Figure:
    """Per flagged indicator: the province's value (●), the median (◆) and the best (★).

    `rows` has label, value, median, best_value (and max_value); shapes as well as colours tell
    them apart. Rows on different scales are drawn as % of their maximum (`gap_positions`); the
    hover always gives the score itself.
    """
    rows, share = gap_positions(rows.iloc[::-1])
    labels_y = rows["label"].tolist()
    # The grey bar from the score to the best, under the markers: one trace of segments (None
    # breaks them); a shape per row costs a layout validation each.
    xs = [x for a, b in zip(rows["x_value"], rows["x_best"]) for x in (a, b, None)]
    ys = [y for label in labels_y for y in (label, label, None)]
    traces = [dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color="#bbbbbb", width=2), hoverinfo="skip",
                   showlegend=False)]
    for column, symbol, colour, key in (("value", "circle", "#D55E00", "value"), ("median", "diamond", "#56B4E9", "median"),
                                         ("best_value", "star", "#0072B2", "best")):
        traces.append(dict(type="scatter", x=rows[GAP_POSITIONS[column]].tolist(), y=labels_y, mode="markers",
                           name=labels[key], customdata=pd.to_numeric(rows[column], errors="coerce").tolist(),
                           hovertemplate="%{y}<br>" + labels[key] + ": %{customdata:.2f}<extra></extra>",
                           marker=dict(symbol=symbol, size=12, color=colour, line=dict(width=1, color="white"))))
    axis = dict(gridcolor="#eeeeee")
    if share:
        axis.update(title=translate("gap_share_axis", lang), ticksuffix="%", range=[0, 105])
    # One constructor call with the whole layout (add_trace/update_layout re-validate each).
    figure = go.Figure(data=traces, layout=dict(
        height=max(260, 34 * len(rows) + 90),
        margin=dict(l=tick_labels_px(labels_y, 12), r=20, t=LEGEND_ABOVE_PX, b=TICKS_BELOW_PX + (AXIS_TITLE_PX if share else 0)),
        font=dict(family=FONT, size=12), plot_bgcolor="white", separators=plotly_separators(lang),
        legend=legend_above(), yaxis=dict(automargin=True, title=None), xaxis=axis))
    return label_demo(figure, lang) if demo else figure


LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
LINE_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]


def line_style(i: int) -> dict:
    """The i-th line of a chart: colour and dash both differ, so lines never depend on colour alone."""
    return dict(color=LINE_COLOURS[i % len(LINE_COLOURS)], dash=LINE_DASHES[i % len(LINE_DASHES)], width=2)


def bump_chart(history: pd.DataFrame, lang: str, demo: bool = False) -> go.Figure:
    """Rank over the years per indicator (1 on top); years without data stay gaps.

    `history` has year, indicator_code, name_vi, name_en, rank, n_ranked (one row per year and
    indicator, rank NA where there is no data). Lines differ by dash as well as colour.
    """
    name = "name_en" if lang == "en" else "name_vi"
    traces = []
    for i, (code, rows) in enumerate(history.groupby("indicator_code", sort=False)):
        rows = rows.sort_values("year")
        traces.append(dict(
            type="scatter", x=rows["year"].tolist(), y=rows["rank"].astype("Float64").astype(float).tolist(),
            mode="lines+markers", connectgaps=False, name=str(rows[name].iloc[0]),
            line=line_style(i),
            marker=dict(size=7), hovertemplate="%{fullData.name}<br>%{x}: %{y}<extra></extra>"))
    worst = int(history["n_ranked"].astype("Float64").fillna(0).max() or 63)
    height, top = 380, 30
    legend, bottom = legend_below([trace["name"] for trace in traces], height, top)
    # One constructor call with the whole layout (add_trace/update_layout re-validate each).
    figure = go.Figure(data=traces, layout=dict(
        height=height, margin=dict(l=RANK_TICKS_PX + AXIS_TITLE_PX + 10, r=10, t=top, b=bottom),
        font=dict(family=FONT, size=12), plot_bgcolor="white", separators=plotly_separators(lang), legend=legend,
        yaxis=dict(range=[worst + 2, 0], title=translate("rank", lang), gridcolor="#eeeeee"),
        xaxis=dict(tickformat="d", dtick=1)))
    return label_demo(figure, lang) if demo else figure


def group_heatmap(rows: pd.DataFrame, lang: str, demo: bool = False) -> go.Figure:
    """Indicators × years coloured by group, with the group's symbol and the rank in each cell,
    so the reading does not depend on colour. `rows`: year, label, group_no, group, rank."""
    labels = list(dict.fromkeys(rows["label"]))
    years = sorted(rows["year"].unique())
    grid = rows.pivot_table(index="label", columns="year", values="group_no", aggfunc="first").reindex(index=labels, columns=years)
    ranks = rows.pivot_table(index="label", columns="year", values="rank", aggfunc="first").reindex(index=labels, columns=years)
    text = [[("" if pd.isna(g) else f"{GROUP_SYMBOLS[int(g)]} {int(r)}") for g, r in zip(grid.loc[label], ranks.loc[label])]
            for label in labels]
    scale = [[0.0, GROUP_COLOURS["Cao nhất"]], [0.25, GROUP_COLOURS["Cao nhất"]],
             [0.25, GROUP_COLOURS["Trung bình cao"]], [0.5, GROUP_COLOURS["Trung bình cao"]],
             [0.5, GROUP_COLOURS["Trung bình thấp"]], [0.75, GROUP_COLOURS["Trung bình thấp"]],
             [0.75, GROUP_COLOURS["Thấp nhất"]], [1.0, GROUP_COLOURS["Thấp nhất"]]]
    heatmap = dict(
        type="heatmap", z=grid.to_numpy(dtype=float).tolist(), x=[str(y) for y in years], y=labels, text=text,
        texttemplate="%{text}", colorscale=scale, zmin=0.5, zmax=4.5, xgap=2, ygap=2, hoverongaps=False,
        colorbar=dict(tickvals=[1, 2, 3, 4], ticktext=[f"{GROUP_SYMBOLS[i]} {group_label(g, lang)}"
                                                         for i, g in enumerate(GROUP_ORDER, start=1)], title=None))
    figure = go.Figure(data=[heatmap], layout=dict(
        height=max(260, 26 * len(labels) + 80),
        margin=dict(l=tick_labels_px(labels, 11), r=text_px(heatmap["colorbar"]["ticktext"], 11) + COLORBAR_PX, t=20,
                    b=TICKS_BELOW_PX + 6),
        font=dict(family=FONT, size=11), plot_bgcolor="white",
        yaxis=dict(autorange="reversed", automargin=True), xaxis=dict(type="category")))
    return label_demo(figure, lang) if demo else figure


def profile_bars(profile: pd.DataFrame, lang: str, labels: dict[str, str], demo: bool = False) -> go.Figure:
    """Each dimension as the share of its scale reached: the province, the median and the best."""
    name = "name_en" if lang == "en" else "name_vi"
    span = (profile["scale_max"] - profile["scale_min"]).replace(0, 1)
    share = lambda column: ((profile[column] - profile["scale_min"]) / span * 100).round(1)
    names = [short_label(n, width=32) for n in profile[name]]  # two lines at most: room for bars on a phone
    traces = [dict(type="bar", x=share(column).tolist(), y=names, orientation="h", name=labels[key],
                   marker=dict(color=colour, pattern=dict(shape=pattern, fillmode="overlay", fgcolor="white")),
                   customdata=list(zip(profile[column].round(3), profile[name])),  # the full name in the hover
                   hovertemplate="%{customdata[1]}: %{customdata[0]} (%{x}%)<extra>" + labels[key] + "</extra>")
              for column, key, colour, pattern in (("value", "value", "#D55E00", ""), ("median", "median", "#56B4E9", "/"),
                                                   ("best_value", "best", "#0072B2", "."))]
    # One constructor call with the whole layout (add_trace/update_layout re-validate each).
    figure = go.Figure(data=traces, layout=dict(
        barmode="group", height=max(300, 70 * len(profile) + 80),
        margin=dict(l=tick_labels_px(names, 12), r=10, t=LEGEND_ABOVE_PX, b=TICKS_BELOW_PX),
        font=dict(family=FONT, size=12), plot_bgcolor="white", separators=plotly_separators(lang),
        legend=legend_above(),
        xaxis=dict(range=[0, 100], ticksuffix="%", gridcolor="#eeeeee"),
        yaxis=dict(autorange="reversed", automargin=True, title=None)))
    return label_demo(figure, lang) if demo else figure


def compare_lines(part: pd.DataFrame, province_col: str, title: str, lang: str, demo: bool = False) -> go.Figure:
    """One indicator over the years, a line per compared province (dash as well as colour);
    `part` has year, value, rank and `province_col`."""
    traces = [dict(type="scatter", x=series["year"].tolist(), y=series["value"].tolist(), mode="lines+markers",
                   name=province, connectgaps=False,
                   line=line_style(i),
                   customdata=series["rank"].astype("Float64").astype(float).tolist(),
                   hovertemplate="%{fullData.name} %{x}: %{y:.2f} (" + translate("rank", lang)
                                 + " %{customdata})<extra></extra>")
              for i, (province, series) in enumerate(part.groupby(province_col, sort=False))]
    height, top = 340, 40
    legend, bottom = legend_below([trace["name"] for trace in traces], height, top)
    figure = go.Figure(data=traces, layout=dict(
        title=title, height=height, margin=dict(l=VALUE_TICKS_PX, r=10, t=top, b=bottom), legend=legend,
        font=dict(family=FONT), plot_bgcolor="white", separators=plotly_separators(lang),
        xaxis=dict(tickformat="d", dtick=1), yaxis=dict(gridcolor="#eeeeee")))
    return label_demo(figure, lang) if demo else figure
