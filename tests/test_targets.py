"""Targets: stored per province, index and year; progress checked against actual results."""

import pandas as pd
import pytest

from analytics.errors import UserError
from analytics.store import Store
from analytics.targets import MET, NOT_MET, PENDING, target_progress


def table(rows):
    return pd.DataFrame(rows, columns=["era", "province_code", "index_code", "year", "indicator_code", "value",
                                       "rank", "n_ranked", "rank_change", "comparable", "is_demo"])


def targets(rows):
    return pd.DataFrame(rows, columns=["era", "province_code", "index_code", "year", "target_score",
                                       "strictly_above", "target_rank", "min_rank_gain", "note", "set_at", "set_by"])


def test_score_rank_and_gain_targets():
    scores = table([("legacy", "01", "PAR_INDEX", 2024, "TOTAL", 92.55, 10, 63, 2, True, False),
                    ("legacy", "01", "SIPAS", 2024, "TOTAL", 88.0, 20, 63, -1, True, False)])
    goals = targets([("legacy", "01", "PAR_INDEX", 2024, 92.55, False, None, 1, "", None, "a"),   # ≥ 92,55 and +1
                     ("legacy", "01", "SIPAS", 2024, 88.0, True, None, None, "", None, "a"),      # > 88% : not met
                     ("legacy", "01", "PAPI", 2024, None, False, 15, None, "", None, "a"),         # no result
                     ("legacy", "01", "PAR_INDEX", 2025, 93.0, False, None, None, "", None, "a")])
    progress = target_progress(goals, scores).set_index(["index_code", "year"])
    assert progress.loc[("PAR_INDEX", 2024), "status"] == MET
    assert progress.loc[("SIPAS", 2024), "status"] == NOT_MET
    assert progress.loc[("PAPI", 2024), "status"] == PENDING
    assert progress.loc[("PAR_INDEX", 2025), "status"] == PENDING
    assert progress.loc[("PAR_INDEX", 2024), "rank_ok"] is None


def test_targets_are_stored_and_replaced(built_db, tmp_path):
    import shutil
    path = tmp_path / "t.duckdb"
    shutil.copy(built_db, path)
    with Store.open(path) as store:
        store.save_target(era="legacy", province_code="01", index_code="PAR_INDEX", year=2024, target_score=92.55,
                          strictly_above=False, target_rank=None, min_rank_gain=2, note="KH 123/KH-UBND", set_by="lan")
        store.save_target(era="legacy", province_code="01", index_code="PAR_INDEX", year=2024, target_score=93.0,
                          strictly_above=False, target_rank=None, min_rank_gain=None, note="sửa", set_by="lan")
        saved = store.targets()
        assert len(saved) == 1 and saved["target_score"].item() == 93.0
        with pytest.raises(UserError):
            store.save_target(era="legacy", province_code="01", index_code="PAPI", year=2024, target_score=None,
                              strictly_above=False, target_rank=None, min_rank_gain=None, note="", set_by="lan")
        store.delete_target("legacy", "01", "PAR_INDEX", 2024)
        assert store.targets().empty
