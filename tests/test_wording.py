"""The wording catalogs (locale/*/messages.po) against the code, and how messages are built."""

import shutil

import pytest

from analytics import wording
from scripts.check_wording import catalog_texts, problems, used_keys
from scripts.po_tools import load, save


def test_catalogs_match_the_code():
    assert problems() == []


def test_extraction_sees_keys_marked_for_run_time_choice():
    used = used_keys()
    assert {"tier_priority", "status_pending", "places_up", "severity_error"} <= set(used)


@pytest.fixture
def copy_of_locale(tmp_path):
    target = tmp_path / "locale"
    shutil.copytree(wording.LOCALE_DIR, target)
    return target


def test_checker_fails_on_a_key_missing_in_one_language(copy_of_locale):
    catalog = load("en", copy_of_locale)
    del catalog["province"]
    save(catalog, "en", copy_of_locale)
    found = problems(copy_of_locale, used_keys())
    assert found == ["province: missing in en"]


def test_checker_fails_on_empty_unused_unknown_and_placeholders(copy_of_locale):
    vi = load("vi", copy_of_locale)
    vi["year"].string = ""
    vi.add("never_used", "x")
    vi["overview_title"].string = "Tổng quan: {tinh}"
    save(vi, "vi", copy_of_locale)
    used = {**used_keys(), "only_in_code": "pages/x.py:1"}
    found = problems(copy_of_locale, used)
    assert "year: empty in vi" in found
    assert "never_used: missing in en" in found
    assert "never_used: in the catalog but not used in the code" in found
    assert "only_in_code: used at pages/x.py:1 but not in the catalog" in found
    assert any(line.startswith("overview_title: placeholders differ") for line in found)


def test_both_languages_have_the_same_keys():
    texts = catalog_texts()
    assert set(texts["vi"]) == set(texts["en"])


def test_say_fills_placeholders_in_each_language():
    assert wording.say("vi", "overview_title", province="Huế") == "Tổng quan: Huế"
    assert wording.say("en", "overview_title", province="Hue") == "Overview: Hue"
    with pytest.raises(KeyError):
        wording.say("en", "no_such_key")


def test_counted_messages_use_plural_forms():
    assert wording.say_n("en", "places_up", 1) == "Up 1 place"
    assert wording.say_n("en", "places_up", 3) == "Up 3 places"
    assert wording.say_n("vi", "places_up", 1) == "Lên 1 bậc"
    assert wording.say_n("vi", "places_up", 3) == "Lên 3 bậc"


def test_unknown_language_falls_back_to_vietnamese():
    assert wording.say("fr", "province") == wording.say("vi", "province")
