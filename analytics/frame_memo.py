"""Results remembered per frame object: for the app's shared, read-only tables (the provinces
table of a data version), asked for several times a run, where even hashing the content costs
more than the lookup should.

The same object (checked through a weak reference, so a recycled id never matches) with the
same length and arguments returns the remembered result. A frame changed in place keeps its
identity: only frames that are never changed in place belong here.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

import pandas as pd

_MAX_ENTRIES = 16


class FrameMemo:
    """A few results per (frame object, arguments)."""

    def __init__(self) -> None:
        self._entries: dict[tuple, tuple[weakref.ref, int, Any]] = {}

    def get(self, frame: pd.DataFrame, compute: Callable[[], Any], *args) -> Any:
        key = (id(frame),) + args
        seen = self._entries.get(key)
        if seen is not None and seen[0]() is frame and seen[1] == len(frame):
            return seen[2]
        result = compute()
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = (weakref.ref(frame), len(frame), result)
        return result
