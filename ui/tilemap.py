"""Tile-grid map of Vietnam: one equal square per province, placed roughly by geography.

Pure functions of DataFrames (no Streamlit), like ui.charts. The grids are data, reviewed by hand:
data/provinces/tiles_legacy.csv (63 provinces, years up to 2024) and tiles_2025.csv (34 provinces,
2025 on), each `code,row,col` with row 0 at the top (north) and col 0 at the left (west).

Each tile is a rectangle shape in data coordinates (so it scales with the figure); a text trace
("labels") writes the tiles' labels, and a last scatter trace ("tiles") has one point per tile
with the hover text and the province code in `customdata` (customdata[0]) for a click handler.
Groups are told apart by colour (Okabe-Ito) and by a symbol in the label (▲ △ ▽ ▼), so colour is
never the only cue.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from analytics.scores.rules import GROUP_SYMBOLS as SYMBOLS_BY_NUMBER, GROUPS
from ui.charts import FONT, GROUP_COLOURS, GROUP_ORDER, label_demo
from ui.i18n import group_label, plotly_separators, translate

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "provinces"
TILE_FILES = {"legacy": "tiles_legacy.csv", "2025": "tiles_2025.csv"}

GROUP_SYMBOLS = {name: SYMBOLS_BY_NUMBER[n] for n, name in enumerate(GROUPS, start=1)}
# the same shapes as plotly marker symbols, for the legend when tiles are coloured by value
GROUP_MARKERS = {"Cao nhất": "triangle-up", "Trung bình cao": "triangle-up-open",
                 "Trung bình thấp": "triangle-down-open", "Thấp nhất": "triangle-down"}
NO_DATA_COLOUR = "#d9d9d9"
NO_DATA_TEXT = "#595959"
UNGROUPED_COLOUR = "#f2f2f2"  # has a value but no group (colour_by="group" on an index without groups)
VALUE_SCALE = "Cividis"  # sequential and colour-blind safe
SELECTED_LINE = "#000000"

# Abbreviations: the initials of the ASCII name ("Ha Noi" -> "HN", "Ba Ria - Vung Tau" -> "BRVT").
# Where two provinces share initials (Quảng Nam / Quảng Ninh / Quảng Ngãi, Lai Châu / Lào Cai, ...),
# the last word gives its first two letters instead ("QNa", "QNi", "QNg"); a few names keep the
# short form everybody uses, and single-word names are written out.
_SHARED_INITIALS = {"HN", "HG", "BD", "BT", "DN", "LC", "QN", "TN"}
_FIXED = {"Ha Noi": "HN", "Da Nang": "DN", "Ha Giang": "HG", "Hau Giang": "HauG",
          "Ho Chi Minh City": "HCM"}
_DROP_WORDS = {"city", "province", "tp"}


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def abbreviation(name_en: str) -> str:
    """Short label for a tile: "HN", "HCM", "TTH", "BRVT", "QNa"; "Hue" for a one-word name."""
    name = " ".join(_ascii(name_en).split())
    words = [w for w in re.split(r"[\s\-.]+", name) if w and w.lower() not in _DROP_WORDS]
    if not words:
        return name
    if name in _FIXED or " ".join(words) in _FIXED:
        return _FIXED.get(name) or _FIXED[" ".join(words)]
    if len(words) == 1:
        return words[0][:4].capitalize()
    initials = "".join(w[0].upper() for w in words)
    if initials in _SHARED_INITIALS:
        return initials[:-1] + words[-1][:2].capitalize()
    return initials


def tile_layout(era: str, data_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """The grid of one era ("legacy": 63 provinces, "2025": 34): code (str), row, col (int)."""
    if era not in TILE_FILES:
        raise ValueError(f"unknown era {era!r}: expected one of {sorted(TILE_FILES)}")
    tiles = pd.read_csv(Path(data_dir) / TILE_FILES[era], dtype={"code": str})
    tiles["row"] = tiles["row"].astype(int)
    tiles["col"] = tiles["col"].astype(int)
    return tiles[["code", "row", "col"]]


def _text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (WCAG relative luminance)."""
    fill = fill.strip()
    if fill.startswith("rgb"):
        r, g, b = (float(v) for v in re.findall(r"[\d.]+", fill)[:3])
    else:
        r, g, b = (int(fill.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))

    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _group(value) -> str | None:
    return value if isinstance(value, str) and value in GROUP_COLOURS else None


def tile_map(tiles: pd.DataFrame, provinces: pd.DataFrame, values: pd.DataFrame, *, lang: str,
             colour_by: str = "group", value_label: str = "", demo: bool = False,
             selected: str | list[str] | None = None) -> go.Figure:
    """Tile map of one era.

    tiles: code, row, col; provinces: code, name, name_en (the same era); values: province_code,
    value, group, rank, n_ranked — a province missing from `values` (or with no value) is grey,
    labelled "—" and "no data" in its hover. colour_by is "group" (Okabe-Ito by PAPI-style group)
    or "value" (sequential Cividis); "group" on values without any group (PAR INDEX, SIPAS) colours
    by value. `selected` is a province code (or codes: a merged province's predecessors) to outline.
    Tiles are `layout.shapes` named by code, the trace "labels" writes each tile's label (its
    customdata is the code), and the last trace holds one point per tile.
    """
    if colour_by not in ("group", "value"):
        raise ValueError("colour_by must be 'group' or 'value'")
    if colour_by == "group" and not any(_group(g) for g in values.get("group", [])):
        colour_by = "value"  # an index without groups (PAR INDEX, SIPAS): colour by the score instead
    frame = tiles[["code", "row", "col"]].copy()
    frame["code"] = frame["code"].astype(str)
    names = provinces[["code", "name", "name_en"]].copy()
    names["code"] = names["code"].astype(str)
    frame = frame.merge(names.drop_duplicates("code"), on="code", how="left")
    data = values.copy()
    for column in ("value", "group", "rank", "n_ranked"):
        if column not in data.columns:
            data[column] = None
    data["province_code"] = data["province_code"].astype(str)
    data = data[["province_code", "value", "group", "rank", "n_ranked"]].drop_duplicates("province_code")
    frame = frame.merge(data, left_on="code", right_on="province_code", how="left")
    frame = frame.sort_values(["row", "col"]).reset_index(drop=True)

    numbers = [_number(v) for v in frame["value"]]
    present = [v for v in numbers if v is not None]
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    value_name = value_label or translate("score", lang)

    fills, text_colours, labels, hovers, customdata = [], [], [], [], []
    for row, number in zip(frame.itertuples(index=False), numbers):
        full_name = (row.name_en if lang == "en" else row.name) if isinstance(row.name, str) else row.code
        short = abbreviation(row.name_en) if isinstance(row.name_en, str) else row.code
        group = _group(row.group)
        rank, n_ranked = _number(row.rank), _number(row.n_ranked)
        if number is None:
            fill = NO_DATA_COLOUR
            labels.append(f"<b>{short}</b><br>—")
            hovers.append(f"<b>{full_name}</b><br>" + translate("no_data", lang) + "<extra></extra>")
        else:
            if colour_by == "group":
                fill = GROUP_COLOURS[group] if group else UNGROUPED_COLOUR
            else:
                share = 0.5 if high == low else (number - low) / (high - low)
                fill = sample_colorscale(VALUE_SCALE, [share])[0]
            symbol = GROUP_SYMBOLS[group] + " " if group else ""
            rank_text = str(int(rank)) if rank is not None else "—"
            labels.append(f"<b>{short}</b><br>{symbol}{rank_text}")
            rank_of = (translate("rank_of", lang, rank=int(rank), n=int(n_ranked)) if rank is not None
                       and n_ranked is not None else rank_text)
            group_text = (symbol + group_label(group, lang)) if group else "—"
            hovers.append(f"<b>{full_name}</b><br>{value_name}: %{{customdata[1]:.2f}}"
                          "<br>" + translate("rank", lang) + f": {rank_of}"
                          "<br>" + translate("group", lang) + f": {group_text}<extra></extra>")
        fills.append(fill)
        text_colours.append(NO_DATA_TEXT if fill == NO_DATA_COLOUR else _text_colour(fill))
        customdata.append([row.code, number])

    n_rows = int(frame["row"].max()) + 1 if len(frame) else 1
    n_cols = int(frame["col"].max()) + 1 if len(frame) else 1
    cell = 36 if n_rows > 16 else 46  # pixels per tile at the figure's height
    top, bottom = (70 if colour_by == "value" else 56), 12
    height = int(round((n_rows + 0.3) * cell)) + top + bottom

    traces = []  # plain dicts, and the figure made in one call at the end (plotly validates once)
    half = 0.46
    # Shapes are collected as plain dicts and set once: plotly validates the whole list on every
    # add_shape, which made 63 tiles take most of a second.
    shapes = [dict(type="rect", name=row.code, layer="below", xref="x", yref="y",
                   x0=row.col - half, x1=row.col + half, y0=row.row - half, y1=row.row + half,
                   fillcolor=fill, line=dict(width=0))
              for row, fill in zip(frame.itertuples(index=False), fills)]
    wanted = [selected] if isinstance(selected, str) else list(selected or [])
    for row in frame[frame["code"].isin([str(code) for code in wanted])].itertuples(index=False):
        shapes.append(dict(type="rect", name="selected", layer="above", xref="x", yref="y",
                           x0=row.col - half - 0.03, x1=row.col + half + 0.03,
                           y0=row.row - half - 0.03, y1=row.row + half + 0.03,
                           fillcolor="rgba(0,0,0,0)", line=dict(color=SELECTED_LINE, width=3)))

    # legend: one entry per group, with its colour (group mode) or its symbol (value mode)
    for group in GROUP_ORDER if colour_by == "group" or any(_group(g) for g in frame["group"]) else []:
        marker = (dict(symbol="square", size=14, color=GROUP_COLOURS[group]) if colour_by == "group"
                  else dict(symbol=GROUP_MARKERS[group], size=12, color="#333333", line=dict(width=1.5, color="#333333")))
        traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", marker=marker, hoverinfo="skip",
                           name=(f"{GROUP_SYMBOLS[group]} " if colour_by == "group" else "") + group_label(group, lang),
                           legendgroup=group))
    if any(fill == NO_DATA_COLOUR for fill in fills):
        traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", hoverinfo="skip",
                           marker=dict(symbol="square", size=14, color=NO_DATA_COLOUR),
                           name="— " + translate("no_data", lang)))
    if colour_by == "value" and present:
        traces.append(dict(
            type="scatter", x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
            marker=dict(colorscale=VALUE_SCALE, cmin=low, cmax=high, color=[low], showscale=True,
                        colorbar=dict(orientation="h", x=0.5, xanchor="center", y=1.0, yanchor="bottom",
                                      len=240, lenmode="pixels", thickness=12, title=dict(text=value_name, side="top"),
                                      tickformat=".1f")),
        ))

    # The labels are one text trace, not 63 annotations: plotly lays out every annotation on its
    # own and measures its text in the page (a forced layout of the whole Streamlit page each), which
    # made the labels the slowest part of redrawing the map after a change.
    traces.append(dict(
        type="scatter", x=frame["col"].tolist(), y=frame["row"].tolist(), mode="text", name="labels",
        showlegend=False, hoverinfo="skip", text=labels, customdata=frame["code"].tolist(), cliponaxis=False,
        textfont=dict(family=FONT, size=10 if cell < 40 else 12, color=text_colours),
    ))
    # one point per tile, at its centre, drawn last (on top): hover, click (customdata[0] is the
    # code); the marker is transparent (the shape is the tile). A click selects one of these points;
    # the labels (hoverinfo "skip") keep their colour (checked by a real click in Chromium).
    traces.append(dict(
        type="scatter", x=frame["col"].tolist(), y=frame["row"].tolist(), mode="markers", name="tiles",
        showlegend=False, marker=dict(symbol="square", size=cell * 0.9, color="rgba(0,0,0,0)"),
        customdata=customdata, hovertemplate=hovers,
    ))

    layout = dict(
        shapes=shapes,
        height=height, margin=dict(l=8, r=8, t=top, b=bottom), font=dict(family=FONT, size=12),
        separators=plotly_separators(lang), plot_bgcolor="white", paper_bgcolor="white",
        showlegend=True,
        legend=dict(orientation="h", x=0.5, xanchor="center", y=1.0, yanchor="bottom",
                    itemclick=False, itemdoubleclick=False, font=dict(size=11),
                    entrywidthmode="pixels"),
        hovermode="closest", dragmode=False, clickmode="event+select",
        xaxis=dict(visible=False, range=[-0.6, n_cols - 0.4], fixedrange=True, constrain="domain"),
        yaxis=dict(visible=False, range=[n_rows - 0.4, -0.6], fixedrange=True, scaleanchor="x",
                   scaleratio=1, constrain="domain"),
    )
    if colour_by == "value":
        # the colour bar sits above the map, the symbol legend below it
        layout["legend"].update(y=0.0, yanchor="top")
        layout["margin"].update(b=bottom + 40)
        layout["height"] = height + 40
    figure = go.Figure(data=traces, layout=layout)
    return label_demo(figure, lang) if demo else figure
