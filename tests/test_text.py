"""Province names in every spelling DOMAIN.md lists resolve to one province."""

import unicodedata

import pytest

from analytics.registry import ERA_2025, LEGACY, ProvinceMatcher, load_provinces
from analytics.text import fold, fold_province


@pytest.fixture(scope="module")
def matcher():
    return ProvinceMatcher(load_provinces())


@pytest.mark.parametrize("spellings, code", [
    (["Hà Nội", "Ha Noi", "TP. Hà Nội", "Thành phố Hà Nội", "HA NOI", "Hanoi"], "01"),
    (["TP. Hồ Chí Minh", "Hồ Chí Minh", "HCMC", "TP.HCM", "Thành phố Hồ Chí Minh", "Ho Chi Minh City"], "79"),
    (["Thừa Thiên Huế", "Thừa Thiên-Huế", "Thua Thien-Hue", "Thua Thien - Hue", "Huế"], "46"),
    (["Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "BR-VT", "Ba Ria-Vung Tau", "Tỉnh Bà Rịa - Vũng Tàu"], "77"),
    (["Đắk Lắk", "Đăk Lăk", "Dak Lak", "Tỉnh Đắk Lắk"], "66"),
    (["Hòa Bình", "Hoà Bình", unicodedata.normalize("NFD", "Hòa Bình"), "Hoa Binh"], "17"),
    ([1, "1", "01", 1.0], "01"),
    ([96, "96"], "96"),
])
def test_spellings_of_one_province(matcher, spellings, code):
    for spelling in spellings:
        match = matcher.find(spelling, LEGACY)
        assert match is not None, spelling
        assert match.code == code, spelling


def test_summary_rows_are_not_provinces(matcher):
    for label in ["Highest", "Điểm cao nhất", "Trung bình", "Cả nước", "", None, 999]:
        assert matcher.find(label, LEGACY) is None, label


def test_post_merger_names_resolve_in_the_2025_era(matcher):
    assert matcher.find("Huế", ERA_2025).code == "46"
    assert matcher.find("Thành phố Hồ Chí Minh", ERA_2025).code == "79"
    # Code 24 was Bắc Giang and is Bắc Ninh since 2025: the era decides.
    assert matcher.find(24, LEGACY).name == "Bắc Giang"
    assert matcher.find(24, ERA_2025).name == "Bắc Ninh"
    assert matcher.find("Hà Giang", ERA_2025) is None  # merged into Tuyên Quang


def test_fold_ignores_case_marks_and_spacing():
    assert fold("  Công khai,  minh bạch ") == fold("cong khai, minh bach")
    assert fold_province("Thừa Thiên - Huế") == fold_province("thua thien-hue")
