"""Interface text in Vietnamese (first) and English, and number formats for each language.

The words live in the gettext catalogs `locale/{vi,en}/LC_MESSAGES/messages.po` (read by
`analytics.wording`); numbers are formatted by `analytics.numbers` (Babel). Data labels (index,
indicator, province and department names) come from the reference data's `_vi` / `_en` columns.
"""

from __future__ import annotations

from analytics import numbers, registry, wording
from analytics.scores.rules import GROUPS, GROUPS_EN

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"

GROUP_LABELS_EN = dict(zip(GROUPS, GROUPS_EN))


# Keys picked at run time from a code; N_ lets `pybabel extract` see them.
TIER_KEYS = {"priority": wording.N_("tier_priority"), "watch": wording.N_("tier_watch"),
             "keep": wording.N_("tier_keep"), "all": wording.N_("tier_all")}

def unit_label(unit: str, lang: str) -> str:
    """A catalog unit ("điểm", "tỷ lệ") in `lang`, named by data/catalog/units.csv."""
    return registry.unit_names(lang).get(unit, unit)


def translate(key: str, lang: str, **values) -> str:
    return wording.say(lang, key, **values)


def translate_n(key: str, n: int, lang: str, **values) -> str:
    return wording.say_n(lang, key, n, **values)


def format_number(value, lang: str, decimals: int = 2, signed: bool = False) -> str:
    """92.55 → "92,55" in Vietnamese, "92.55" in English; "—" when missing (`analytics.numbers`)."""
    return numbers.format_number(value, lang, decimals, signed)


CHANGE_ARROWS = {1: "▲", -1: "▼", 0: "●"}  # up (better), down (worse), no change: every page's marks


def direction(change: int) -> int:
    """+1, −1 or 0."""
    return (change > 0) - (change < 0)


def signed_direction(text: str) -> int:
    """The direction of a change as `format_number(..., signed=True)` wrote it ("+0,37", "−0,88",
    "±0,00"): read from the shown text, so an arrow never disagrees with the number beside it."""
    return {"+": 1, numbers.MINUS: -1}.get(text[:1], 0)


def rank_change_label(change, comparable: bool = True) -> str:
    """▲ 3 (moved up three places), ▼ 2, ● 0; ⚠ where the years are not comparable."""
    if change is None or change != change:  # None or NaN/NA
        return "—"
    try:
        change = int(change)
    except (TypeError, ValueError):
        return "—"
    if not comparable:
        return "⚠"
    return f"{CHANGE_ARROWS[direction(change)]} {abs(change)}"


def group_label(group: str | None, lang: str) -> str:
    if not group:
        return "—"
    return GROUP_LABELS_EN.get(group, group) if lang == "en" else group


def plotly_separators(lang: str) -> str:
    """Plotly's `separators`: decimal mark then thousands mark."""
    return ",." if lang == "vi" else ".,"
