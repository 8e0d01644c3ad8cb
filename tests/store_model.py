"""A full dump of a store and a reference model of what imports and rollbacks should leave.

Batch ids depend on the order concurrent writers got their turn (and a killed import may use up
a sequence number), so the dump names each batch by its label: the embedded source id, or the
file name of an import (unique per test file). Not a test module.
"""

from __future__ import annotations

import pandas as pd

from analytics.store import Store
from analytics.store_api import incoming_scores
from analytics.store_sql import KEYS

KEY_LIST = list(KEYS)
SCORE_COLUMNS = KEY_LIST + ["value", "derived", "batch"]
BATCH_COLUMNS = ["batch", "row_count", "source_id", "rolled_back"]
HISTORY_COLUMNS = ["batch"] + KEY_LIST + ["old_value", "old_batch", "new_value", "old_derived", "new_derived"]


def _sorted(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame[columns].copy()
    for column in ("value", "old_value", "new_value"):
        if column in frame:
            frame[column] = frame[column].astype(float).round(9)
    for column in ("old_derived", "new_derived"):
        if column in frame:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    frame = frame.astype({c: object for c in frame.columns})
    frame = frame.where(frame.notna(), None)
    return frame.sort_values(columns, key=lambda s: s.astype(str)).reset_index(drop=True)


def dump(target) -> dict[str, pd.DataFrame]:
    """scores, batches and score_history of the store, batch ids replaced by labels."""
    store = Store.open(target, read_only=True)
    with store.reading():
        batches, scores = store.batches(), store.scores()
        history = store._query("SELECT * FROM score_history")
    labels = dict(zip(batches["batch_id"], batches["source_id"].where(batches["source_id"] != "import",
                                                                      batches["file_name"])))
    scores = scores.assign(batch=scores["batch_id"].map(labels), value=scores["value"].astype(float),
                           derived=scores["derived"].astype(bool))
    history = history.assign(batch=history["batch_id"].map(labels),
                             old_batch=history["old_batch_id"].map(lambda b: labels.get(b) if pd.notna(b) else None))
    batches = batches.assign(batch=batches["batch_id"].map(labels), rolled_back=batches["rolled_back_at"].notna())
    return {"scores": _sorted(scores, SCORE_COLUMNS), "batches": _sorted(batches, BATCH_COLUMNS),
            "history": _sorted(history, HISTORY_COLUMNS)}


def assert_same_dump(actual: dict, expected: dict) -> None:
    for table in ("scores", "batches", "history"):
        pd.testing.assert_frame_equal(actual[table], expected[table], obj=table, check_dtype=False)


def same_dump(actual: dict, expected: dict) -> bool:
    try:
        assert_same_dump(actual, expected)
    except AssertionError:
        return False
    return True


class Model:
    """What the store should hold: cells → (value, derived, batch label), batches, history."""

    def __init__(self, start: dict[str, pd.DataFrame]):
        self.cells = {tuple(r[k] for k in KEY_LIST): (r["value"], r["derived"], r["batch"])
                      for r in start["scores"].to_dict("records")}
        self.batches = {r["batch"]: dict(r) for r in start["batches"].to_dict("records")}
        self.history = start["history"].to_dict("records")
        self.demo = {label for label, row in self.batches.items() if row["source_id"] == "demo"}

    def apply_import(self, label: str, scores: pd.DataFrame) -> None:
        incoming = {tuple(r[k] for k in KEY_LIST): (float(r["value"]), bool(r["derived"]))
                    for r in incoming_scores(scores).to_dict("records")}
        index_years = {(key[0], key[1]) for key in incoming}
        for key, (value, derived, batch) in list(self.cells.items()):
            new = incoming.get(key)
            if new is not None or ((key[0], key[1]) in index_years and batch in self.demo):
                self._remember(label, key, value, batch, derived, new)
                del self.cells[key]
        for key, new in incoming.items():
            if not any(h["batch"] == label and tuple(h[k] for k in KEY_LIST) == key for h in self.history):
                self._remember(label, key, None, None, None, new)
            self.cells[key] = (new[0], new[1], label)
        self.batches[label] = {"batch": label, "row_count": len(incoming), "source_id": "import",
                               "rolled_back": False}

    def _remember(self, label, key, old_value, old_batch, old_derived, new) -> None:
        self.history.append({"batch": label, **dict(zip(KEY_LIST, key)), "old_value": old_value,
                             "old_batch": old_batch, "new_value": new[0] if new else None,
                             "old_derived": old_derived, "new_derived": new[1] if new else None})

    def rollback(self, label: str) -> bool:
        """Undo an import; False when the store must refuse (a later import changed its figures)."""
        rows = [h for h in self.history if h["batch"] == label]
        if self.batches[label]["rolled_back"] or any(
                h["new_value"] is not None and self.cells.get(tuple(h[k] for k in KEY_LIST), (0, 0, label))[2] != label
                for h in rows):
            return False
        self.cells = {key: cell for key, cell in self.cells.items() if cell[2] != label}
        for h in rows:
            if h["old_value"] is not None:
                self.cells[tuple(h[k] for k in KEY_LIST)] = (h["old_value"], bool(h["old_derived"] or False),
                                                            h["old_batch"])
        self.batches[label]["rolled_back"] = True
        return True

    def frames(self) -> dict[str, pd.DataFrame]:
        scores = pd.DataFrame([dict(zip(KEY_LIST, key), value=v, derived=d, batch=b)
                               for key, (v, d, b) in self.cells.items()], columns=SCORE_COLUMNS)
        return {"scores": _sorted(scores, SCORE_COLUMNS),
                "batches": _sorted(pd.DataFrame(list(self.batches.values()), columns=BATCH_COLUMNS), BATCH_COLUMNS),
                "history": _sorted(pd.DataFrame(self.history, columns=HISTORY_COLUMNS), HISTORY_COLUMNS)}
