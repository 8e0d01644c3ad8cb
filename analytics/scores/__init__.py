"""The score table: its contract (`contract`), its rules (`rules`) and how it is built (`build`)."""

from analytics.scores.build import build_score_table
from analytics.scores.contract import COLUMNS, ComparabilityCode, ScoreTable

__all__ = ["COLUMNS", "ComparabilityCode", "ScoreTable", "build_score_table"]
