"""The result cards' HTML (ui/cards.py): every text comes back as it was given, in its place,
whatever it holds (names and reasons come from imported files), and a change's direction is
said by an arrow as well as a colour."""

from __future__ import annotations

from hypothesis import given, strategies as st

from tests.conftest import HtmlCards
from ui import cards

ALLOWED_TAGS = {"style", "div", "section", "h3", "p", "dl", "dt", "dd", "span", "b", "small", "details", "summary"}

# Any text a file could carry: markup, quotes, ampersands, Vietnamese, controls excluded (they are
# not text a reader sees).
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


def plain(value: str) -> str:
    return " ".join(value.split())


class Tags(HtmlCards):
    def __init__(self, markup: str):
        self.tags = set()
        super().__init__(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        super().handle_starttag(tag, attrs)


@given(title=text, caption=text, label=text, value=text, change=text, summary=text, fact=text, note=text,
       trend=st.integers(-3, 3))
def test_every_text_comes_back_in_its_place_and_adds_no_markup(title, caption, label, value, change, summary,
                                                                fact, note, trend):
    result = cards.Result((cards.Stat(label, value, change, trend),), ((label, fact),), note, demo=note)
    card = cards.Card(title, caption, (cards.Part(result), cards.Part(result, summary, open=True)), (note,))
    parsed = Tags(cards.cards_html([card]))
    assert parsed.tags <= ALLOWED_TAGS
    assert parsed.titles == [plain(title)]
    assert parsed.summaries == [plain(summary)]
    arrow = "▲ " if trend > 0 else "▼ " if trend < 0 else ""
    assert parsed.stats == [[plain(label), plain(value), plain(arrow + change)]] * 2
    for shown in (caption, fact, note):
        assert plain(shown) in parsed.text


def test_the_direction_is_an_arrow_and_a_colour_and_no_change_has_neither():
    up, down, same = (cards.stat_html(cards.Stat("Thứ hạng", "16/61", "6", trend)) for trend in (1, -1, 0))
    assert "gi-up" in up and "▲" in up and "▼" not in up
    assert "gi-down" in down and "▼" in down and "▲" not in down
    assert "gi-up" not in same and "gi-down" not in same and "▲" not in same and "▼" not in same
    assert "gi-change" not in cards.stat_html(cards.Stat("Điểm 2024", "44,69"))  # no previous year


def test_an_empty_card_says_so_and_shows_no_figure():
    parsed = HtmlCards(cards.cards_html([cards.Card("PAPI", empty="Không có dữ liệu PAPI của Huế.")]))
    assert parsed.titles == ["PAPI"] and parsed.stats == []
    assert "Không có dữ liệu PAPI của Huế." in parsed.text


def test_a_part_under_a_heading_is_open_only_when_asked():
    result = cards.Result((cards.Stat("Điểm 2024", "44,69"),))
    closed = cards.part_html(cards.Part(result, "Bắc Giang (tỉnh cũ) · 2024"))
    opened = cards.part_html(cards.Part(result, "Bắc Giang (tỉnh cũ) · 2024", open=True))
    assert closed.startswith("<details>") and opened.startswith("<details open>")
