"""Plotly figures. Pure functions of DataFrames (no Streamlit), so tests can build them directly.

Groups use the Okabe-Ito colour-blind-safe palette and also a bar pattern, so status never
depends on colour alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.i18n import group_label, plotly_separators, translate

GROUP_ORDER = ["Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất"]
GROUP_COLOURS = {"Cao nhất": "#0072B2", "Trung bình cao": "#56B4E9",
                 "Trung bình thấp": "#E69F00", "Thấp nhất": "#D55E00"}
GROUP_PATTERNS = {"Cao nhất": "", "Trung bình cao": "/", "Trung bình thấp": ".", "Thấp nhất": "x"}
FONT = "Inter, 'Segoe UI', Roboto, Arial, sans-serif"


def label_demo(figure: go.Figure, lang: str) -> go.Figure:
    """Stamp "Dữ liệu minh họa" on the figure itself, so an exported PNG keeps the label."""
    figure.add_annotation(text=translate("demo_label", lang).upper(), xref="paper", yref="paper",
                          x=0.98, y=0.02, xanchor="right", yanchor="bottom", showarrow=False,
                          font=dict(size=16, color="rgba(150, 90, 0, 0.85)"),
                          bgcolor="rgba(255, 244, 214, 0.85)", bordercolor="rgba(150, 90, 0, 0.6)")
    return figure


def ranking_bars(rows: pd.DataFrame, lang: str, value_label: str, demo: bool = False) -> go.Figure:
    """Horizontal bars, best province on top, coloured and patterned by group.

    `rows` has: province_label, value, value_text (formatted), change_text (▲/▼), group, rank.
    """
    rows = rows.sort_values(["rank", "province_label"], ascending=[True, True])
    figure = go.Figure()
    for group in GROUP_ORDER:
        part = rows[rows["group"] == group]
        if part.empty:
            continue
        figure.add_trace(go.Bar(
            x=part["value"], y=part["province_label"], orientation="h",
            name=group_label(group, lang),
            marker=dict(color=GROUP_COLOURS[group], pattern=dict(shape=GROUP_PATTERNS[group], fillmode="overlay", fgcolor="white", size=6)),
            text=part["value_text"] + "  " + part["change_text"], textposition="outside",
            cliponaxis=False,
            customdata=part[["rank", "change_text"]].astype(str).to_numpy(),
            hovertemplate="<b>%{y}</b><br>" + value_label + ": %{x}<br>"
                          + translate("rank", lang) + ": %{customdata[0]} %{customdata[1]}<extra></extra>",
        ))
    low = float(rows["value"].min()) if not rows.empty else 0.0
    high = float(rows["value"].max()) if not rows.empty else 1.0
    span = max(high - low, 1e-9)
    figure.update_layout(
        height=max(320, 22 * len(rows) + 90), barmode="overlay",
        margin=dict(l=10, r=20, t=30, b=30), font=dict(family=FONT, size=13),
        separators=plotly_separators(lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title=None),
        xaxis=dict(title=value_label, range=[max(0.0, low - 0.35 * span), high + 0.28 * span]),
        yaxis=dict(categoryorder="array", categoryarray=list(rows["province_label"])[::-1],
                   title=None, automargin=True),
        plot_bgcolor="white",
    )
    figure.update_xaxes(showgrid=True, gridcolor="#e5e5e5")
    return label_demo(figure, lang) if demo else figure


def rank_history(series: pd.DataFrame, years: list[int], lang: str, demo: bool = False) -> go.Figure:
    """A small line of rank by year (1 on top); years without data stay gaps.

    `series` has year, rank, n_ranked; `years` is every year of the index, so missing years
    appear as breaks in the line instead of being bridged.
    """
    full = pd.DataFrame({"year": years}).merge(series, on="year", how="left")
    ranks = full["rank"].astype("Float64").astype(float)
    labels = [f"{translate('year', lang)} {y}: " + (f"{int(r)}/{int(n)}" if r == r else translate("no_data", lang))
              for y, r, n in zip(full["year"], ranks, full["n_ranked"].astype("Float64").fillna(0))]
    figure = go.Figure(go.Scatter(
        x=full["year"], y=ranks, mode="lines+markers+text", connectgaps=False,
        text=[str(int(r)) if r == r else "" for r in ranks], textposition="top center",
        hovertext=labels, hoverinfo="text", line=dict(color="#0072B2", width=2),
        marker=dict(size=7, color="#0072B2"), cliponaxis=False,
    ))
    worst = int(max(full["n_ranked"].astype("Float64").fillna(0).max(), 1))
    figure.update_layout(
        height=190, margin=dict(l=10, r=10, t=24, b=10), font=dict(family=FONT, size=11),
        showlegend=False, plot_bgcolor="white", separators=plotly_separators(lang),
        yaxis=dict(autorange=False, range=[worst + 3, -4], title=None, showgrid=True, gridcolor="#eee",
                   tickvals=[1, 16, 32, 48, worst]),
        xaxis=dict(tickmode="array", tickvals=years[::max(1, len(years) // 6)], tickformat="d",
                   tickangle=0, tickfont=dict(size=10), showgrid=False,
                   range=[min(years) - 0.5, max(years) + 0.5] if years else None),
    )
    return label_demo(figure, lang) if demo else figure


def gap_chart(rows: pd.DataFrame, lang: str, labels: dict[str, str], demo: bool = False) -> go.Figure:
    """Per flagged indicator: the province's value (●), the median (◆) and the best (★).

    `rows` has label, value, median, best_value; shapes as well as colours tell them apart.
    """
    rows = rows.iloc[::-1]
    figure = go.Figure()
    for column, symbol, colour, key in (("value", "circle", "#D55E00", "value"), ("median", "diamond", "#56B4E9", "median"),
                                         ("best_value", "star", "#0072B2", "best")):
        figure.add_trace(go.Scatter(x=rows[column], y=rows["label"], mode="markers", name=labels[key],
                                    marker=dict(symbol=symbol, size=12, color=colour, line=dict(width=1, color="white"))))
    for row in rows.itertuples():
        figure.add_shape(type="line", x0=row.value, x1=row.best_value, y0=row.label, y1=row.label,
                         line=dict(color="#bbbbbb", width=2), layer="below")
    figure.update_layout(height=max(260, 34 * len(rows) + 90), margin=dict(l=10, r=20, t=30, b=30),
                         font=dict(family=FONT, size=12), plot_bgcolor="white", separators=plotly_separators(lang),
                         legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
                         yaxis=dict(automargin=True, title=None), xaxis=dict(gridcolor="#eeeeee"))
    return label_demo(figure, lang) if demo else figure
