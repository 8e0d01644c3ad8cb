"""Result cards: a row of cards (one per index), each with headline figures, drawn as ONE
`st.html` element for the whole row.

Why not `st.columns` of bordered containers holding `st.subheader`, `st.metric` and
`st.markdown`: that is about 28 elements for four cards, and the browser re-renders each of them
on every change of province. Measured on Tổng quan (`bench/ab_change.py "/?province=01"`), the
same cards as one HTML element made a change 0.70× as long (0.188 s → 0.132 s).

Every text passed in is escaped here (names and reasons come from imported files); the caller
passes plain text, never markup. The page's light theme is fixed (.streamlit/config.toml), so
the colours below are chosen for it: every text has a contrast of at least 4.5:1 on white, an
arrow (ui.i18n.CHANGE_ARROWS, as on every page) says the direction without colour, and words say
it to a screen reader.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from ui.i18n import CHANGE_ARROWS, direction


@dataclass(frozen=True)
class Stat:
    """One headline figure: "Điểm 2024" 44,69, changed by "+0,37" (trend +1 better, −1 worse,
    0 neither: the change's colour and arrow). `spoken` is the change in words for a screen
    reader ("lên 6 bậc"), read in place of the arrow and the number, which say it by sight."""
    label: str
    value: str
    change: str | None = None
    trend: int = 0
    spoken: str | None = None


@dataclass(frozen=True)
class Result:
    """One province-year's figures, then facts ("Nhóm", "Cao nhất") and a small note under them;
    `demo` is the demo-data label when the figures are not published ones."""
    stats: tuple[Stat, ...]
    facts: tuple[tuple[str, str], ...] = ()
    note: str = ""
    demo: str | None = None


@dataclass(frozen=True)
class Part:
    """A result under a heading that opens and closes (a predecessor of a merged province), or,
    without `summary`, shown as it is."""
    result: Result
    summary: str | None = None
    open: bool = False


@dataclass(frozen=True)
class Card:
    title: str
    caption: str = ""
    parts: tuple[Part, ...] = ()
    notes: tuple[str, ...] = ()          # small print under the results
    empty: str | None = None             # said in place of any result when there is none


STYLE = """<style>
.gi-cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem;margin:.25rem 0 1rem}
.gi-card{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:1rem;min-width:0}
.gi-card h3{font-size:1.5rem;font-weight:700;margin:0;padding:0;line-height:1.3}
.gi-caption,.gi-card small{color:rgba(49,51,63,.75);font-size:.875rem;margin:.25rem 0 .5rem;display:block}
.gi-card dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(7rem,1fr));gap:.25rem 1rem;
  margin:.5rem 0;padding:0}
.gi-card dt,.gi-card dd{margin:0;padding:0}
.gi-stat dt{font-size:.875rem;font-weight:400}
.gi-value{font-size:2rem;line-height:1.25;overflow-wrap:anywhere}
.gi-card .gi-change{display:inline-block;font-size:.875rem;border-radius:1rem;padding:0 .5rem;
  color:rgba(49,51,63,.75);background:rgba(49,51,63,.06)}
.gi-card .gi-change.gi-up{color:#14733a;background:rgba(33,195,84,.12)}
.gi-card .gi-change.gi-down{color:#b3261e;background:rgba(255,43,43,.09)}
.gi-card p{margin:.25rem 0}
.gi-demo{color:#7a5a00;background:rgba(255,193,7,.16);border-radius:.5rem;padding:.375rem .75rem}
.gi-empty{color:#0b4f80;background:rgba(28,131,225,.1);border-radius:.5rem;padding:.5rem .75rem}
.gi-card details{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:.375rem .75rem;margin:.5rem 0}
.gi-card summary{cursor:pointer;font-size:.875rem}
.gi-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
</style>"""


def _text(value) -> str:
    return html.escape(str(value), quote=True)


TREND_CLASSES = {1: "gi-up", -1: "gi-down", 0: ""}  # the change's colour


def stat_html(stat: Stat) -> str:
    trend = direction(stat.trend)
    change = ""
    if stat.change:
        arrow = CHANGE_ARROWS[trend]
        if stat.spoken:  # words for a screen reader; the arrow and the number for the eye
            shown = (f'<span aria-hidden="true">{arrow} {_text(stat.change)}</span>'
                     f'<span class="gi-sr">{_text(stat.spoken)}</span>')
        else:  # the signed number says it; the arrow is for the eye
            shown = f'<span aria-hidden="true">{arrow} </span>{_text(stat.change)}'
        change = f'<dd class="gi-change {TREND_CLASSES[trend]}">{shown}</dd>'
    return (f'<div class="gi-stat"><dt>{_text(stat.label)}</dt>'
            f'<dd class="gi-value">{_text(stat.value)}</dd>{change}</div>')


def result_html(result: Result) -> str:
    demo = f'<p class="gi-demo" role="note">{_text(result.demo)}</p>' if result.demo else ""
    stats = "".join(stat_html(stat) for stat in result.stats)
    facts = "".join(f"<p><b>{_text(label)}:</b> {_text(value)}</p>" for label, value in result.facts)
    note = f"<small>{_text(result.note)}</small>" if result.note else ""
    return f'<div class="gi-result">{demo}<dl>{stats}</dl>{facts}{note}</div>'


def part_html(part: Part) -> str:
    if part.summary is None:
        return result_html(part.result)
    opened = " open" if part.open else ""
    return f"<details{opened}><summary>{_text(part.summary)}</summary>{result_html(part.result)}</details>"


def card_html(card: Card) -> str:
    caption = f'<p class="gi-caption">{_text(card.caption)}</p>' if card.caption else ""
    body = (f'<p class="gi-empty" role="note">{_text(card.empty)}</p>' if card.empty is not None
            else "".join(part_html(part) for part in card.parts))
    notes = "".join(f"<small>{_text(note)}</small>" for note in card.notes)
    return f'<section class="gi-card"><h3>{_text(card.title)}</h3>{caption}{body}{notes}</section>'


def cards_html(cards: list[Card]) -> str:
    """The row of cards as one HTML fragment, its style included."""
    return STYLE + '<div class="gi-cards">' + "".join(card_html(card) for card in cards) + "</div>"


def show_cards(cards: list[Card]) -> None:
    st.html(cards_html(cards))
