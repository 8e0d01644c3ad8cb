"""How much room a figure's labels, ticks and legends take, so each figure sets margins that hold them.

When plotly has to grow a margin (automargin on tick labels, a legend outside the plot), it draws
the whole figure a second time (`Plots.doAutoMargin`), on every change of the page. Figures
therefore size their own margins from these estimates, generously. Axes whose labels vary keep
automargin on as the safety net (a label longer than the estimate costs one more draw, never a
clipped label); the ranking's names and values are text traces, which no margin grows, so their
estimate has to hold on its own (tests/test_charts.py checks it against a real font).
"""

from __future__ import annotations

import html
import re

NAME_FONT_SIZE = 13
TEXT_COLOUR = "#444444"  # plotly's own colour for axis labels
EM_PER_CHARACTER = 0.62  # a generous average width of a letter in ui.charts.FONT (bold included)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

LEGEND_ABOVE_PX = 42  # a one-row horizontal legend above the plot
TICKS_BELOW_PX = 36   # a row of x tick labels under the plot
AXIS_TITLE_PX = 22    # an axis title beside its tick labels
VALUE_TICKS_PX = 44   # score ticks such as "45,5"
RANK_TICKS_PX = 36    # rank ticks up to "63"
COLORBAR_PX = 60      # a colour bar and the gap before its labels
TICK_PAD_PX = 6       # between tick labels and the plot
DESKTOP_PLOT_PX = 740  # a full-width chart in a 1280-px window with the sidebar open (legends wrap to it)
LEGEND_ROW_PX = 24
LEGEND_SYMBOL_PX = 40  # a legend item's line sample and the gap after its name


def text_px(texts, font_size: int = NAME_FONT_SIZE) -> int:
    """Estimated pixel width of the longest line of `texts` (plotly markup such as <b> and <br>
    understood) in FONT at `font_size`: plotly measures text only by drawing it."""
    lines = (html.unescape(_TAG.sub("", line)) for text in texts for line in _LINE_BREAK.split(str(text)))
    longest = max((len(line) for line in lines), default=0)
    return round(longest * font_size * EM_PER_CHARACTER) + 8


def tick_labels_px(labels, font_size: int) -> int:
    """Room for a column of y tick labels beside the plot."""
    return text_px(labels, font_size) + TICK_PAD_PX


def legend_rows(names: list[str], font_size: int = 12, width_px: int = DESKTOP_PLOT_PX) -> int:
    """Rows a horizontal legend of `names` takes in a plot `width_px` wide: items are placed one
    after another and wrap whole, as plotly does."""
    rows, used = 1, 0
    for name in names:
        item = text_px([name], font_size) + LEGEND_SYMBOL_PX
        if used and used + item > width_px:
            rows, used = rows + 1, 0
        used += item
    return rows


def legend_above() -> dict:
    """A one-row horizontal legend on top of the plot (the figure's top margin: LEGEND_ABOVE_PX)."""
    return dict(orientation="h", yanchor="bottom", y=1.0, x=0, title=None)


def legend_below(names: list[str], height: int, top: int, font_size: int = 12) -> tuple[dict, int]:
    """A horizontal legend under the x tick labels, and the bottom margin that holds ticks and
    legend in as many rows as a desktop-wide chart needs (a narrower chart grows it: one more draw).
    The legend is placed in pixels under the plot: in paper units its place would move with the
    plot's height, which this very margin changes."""
    bottom = TICKS_BELOW_PX + LEGEND_ROW_PX * legend_rows(names, font_size) + 20
    plot_px = max(height - top - bottom, 1)
    return dict(orientation="h", yanchor="top", y=-TICKS_BELOW_PX / plot_px, x=0), bottom
