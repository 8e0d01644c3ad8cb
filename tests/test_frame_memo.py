"""analytics.frame_memo: a result is reused only for the very same frame object, same length,
same arguments; a new frame, even one at a recycled address, is computed afresh."""

import gc

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analytics import provinces as ids
from analytics.frame_memo import FrameMemo
from analytics.registry import load_provinces


def counting_memo():
    memo, calls = FrameMemo(), []

    def ask(frame, *args):
        return memo.get(frame, lambda: calls.append(args) or (len(frame), args), *args)
    return ask, calls


@given(rows=st.lists(st.integers(), min_size=1, max_size=20), langs=st.lists(st.sampled_from(["vi", "en"]), max_size=6))
def test_the_same_frame_and_arguments_compute_once(rows, langs):
    ask, calls = counting_memo()
    frame = pd.DataFrame({"a": rows})
    for lang in langs:
        assert ask(frame, lang) == (len(rows), (lang,))
    assert sorted(calls) == sorted({(lang,) for lang in langs})


def test_a_new_frame_or_a_longer_one_is_computed_afresh():
    ask, calls = counting_memo()
    frame = pd.DataFrame({"a": [1, 2]})
    ask(frame)
    ask(pd.DataFrame({"a": [1, 2]}))          # equal content, another object
    frame.loc[2] = [3]                         # grown in place
    assert ask(frame) == (3, ())
    assert len(calls) == 3


def test_a_recycled_address_never_returns_a_dead_frames_result():
    ask, calls = counting_memo()
    for n in range(50):                        # CPython reuses freed addresses quickly
        frame = pd.DataFrame({"a": range(n % 3 + 1)})
        assert ask(frame) == (n % 3 + 1, ())
        del frame
        gc.collect()
    assert len(calls) == 50


def test_province_identity_is_the_same_through_the_memo_and_without_it():
    provinces = load_provinces()
    first, again = ids.with_identity(provinces), ids.with_identity(provinces)
    fresh = ids.with_identity(provinces.copy())
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, fresh)
    assert first["province_id"].is_unique and len(first) == 97
