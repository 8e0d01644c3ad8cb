"""The result cards' HTML (ui/cards.py): every text comes back as it was given, in its place,
whatever it holds (names and reasons come from imported files), and a change's direction is
said by an arrow as well as a colour."""

from __future__ import annotations

from hypothesis import example, given, strategies as st

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


HOSTILE = ["</style><img src=x onerror=alert(1)>", '" onmouseover="alert(1)', "&amp; &lt;b&gt;", "<b>đậm</b>",
           "</dd></dl><script>alert(1)</script>", "Sở Nội vụ & Sở Tài chính <Hà Nội>"]
any_text = text | st.sampled_from(HOSTILE)
FIELDS = ("title", "caption", "label", "value", "change", "summary", "fact_label", "fact", "note", "demo", "card_note",
          "spoken")


@given(title=any_text, caption=any_text, label=any_text, value=any_text, change=any_text, summary=any_text,
       fact_label=any_text, fact=any_text, note=any_text, demo=any_text, card_note=any_text, spoken=any_text,
       trend=st.integers(-3, 3))
@example(**dict.fromkeys(FIELDS, "</style><img src=x onerror=alert(1)>"), trend=1)
def test_every_text_comes_back_in_its_place_and_adds_no_markup(title, caption, label, value, change, summary,
                                                                fact_label, fact, note, demo, card_note, spoken,
                                                                trend):
    result = cards.Result((cards.Stat(label, value, change, trend), cards.Stat(label, value, change, trend, spoken)),
                          ((fact_label, fact),), note, demo=demo)
    card = cards.Card(title, caption, (cards.Part(result), cards.Part(result, summary, open=True)), (card_note,))
    parsed = Tags(cards.cards_html([card]))
    assert parsed.tags <= ALLOWED_TAGS
    assert parsed.titles == [plain(title)]
    assert parsed.summaries == [plain(summary)]
    arrow = "▲" if trend > 0 else "▼" if trend < 0 else "●"
    assert parsed.stats == [[plain(label), plain(value), plain(f"{arrow} {change}")]] * 4
    assert parsed.spoken == [spoken] * 2  # heard, not seen
    for shown in (caption, f"{fact_label}: {fact}", note, demo, card_note):
        assert plain(shown) in parsed.text


def test_the_direction_is_an_arrow_and_a_colour_and_words_for_a_screen_reader():
    up, down, same = (HtmlCards(cards.stat_html(cards.Stat("Thứ hạng", "16/61", "6", trend, spoken)))
                      for trend, spoken in ((1, "Lên 6 bậc"), (-1, "Xuống 6 bậc"), (0, "Giữ nguyên thứ hạng")))
    assert [up.stats[0][2], down.stats[0][2], same.stats[0][2]] == ["▲ 6", "▼ 6", "● 6"]
    assert [up.spoken, down.spoken, same.spoken] == [["Lên 6 bậc"], ["Xuống 6 bậc"], ["Giữ nguyên thứ hạng"]]
    colours = [cards.stat_html(cards.Stat("Điểm", "44,69", "+0,37", trend)) for trend in (1, -1, 0)]
    assert "gi-up" in colours[0] and "gi-down" in colours[1]
    assert "gi-up" not in colours[2] and "gi-down" not in colours[2]
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
