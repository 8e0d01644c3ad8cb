"""Waiting for the store and saying why, in the user's language (no database driver here).

DuckDB lets one process write a file, or several read it, never both: a process that finds the
file locked waits its turn (`wait_for`), with a bounded wait and a progress message, and fails
with a message that names the process holding the lock and what to do. PostgreSQL writers wait
the same way for the store's write lock. Driver errors become `UserError` through `explain`.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from analytics.errors import UserError, render_value
from analytics.wording import N_
from analytics.weak_wording import phrase

TIMEOUT_ENV_VAR = "GOVINDEX_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
_LOCK_PATTERNS = ("could not set lock", "conflicting lock", "different configuration")
_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")

T = TypeVar("T")

# What a waiter waits to do ("… chưa đến lượt ghi vào" / "… its turn to write").
READ = phrase("lock_turn_read")
WRITE = phrase("lock_turn_write")
UPGRADE = phrase("lock_turn_upgrade")


class Busy(Exception):
    """The store is held by someone else right now; `holder` says who when known (a text or a
    `phrase`, rendered in the user's language)."""

    def __init__(self, holder=""):
        super().__init__(holder)
        self.holder = holder


def lock_timeout() -> float:
    """Seconds a reader or writer waits for the store ($GOVINDEX_LOCK_TIMEOUT, default 30)."""
    try:
        return max(0.0, float(os.environ.get(TIMEOUT_ENV_VAR, DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def is_lock_message(text: str) -> bool:
    lowered = text.lower()
    return any(pattern in lowered for pattern in _LOCK_PATTERNS)


def describe_process(pid: int | str) -> str:
    """`PID 123 (python -m analytics import x.xlsx)`, or just the PID when /proc says nothing."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            words = [w.decode(errors="replace") for w in handle.read().split(b"\0") if w]
    except OSError:
        words = []
    if words:
        words[0] = os.path.basename(words[0])
        command = " ".join(words)
        return f"PID {pid} ({command[:120]})"
    return f"PID {pid}"


def holder_from_duckdb(text: str) -> str:
    """Who holds a DuckDB file, from its lock message; '' when the message does not say."""
    match = _HOLDER.search(text)
    if not match:
        return phrase("holder_other_connection") if "different configuration" in text else ""
    return describe_process(match.group("pid"))


@dataclass
class Waiter:
    """Retries `attempt` while it raises Busy, with backoff, up to `timeout` seconds."""
    what: object                                # READ, WRITE or UPGRADE (a phrase), or a Vietnamese text
    target: str                                 # the file or server, for messages
    timeout: float | None = None
    progress: Callable[[str], None] | None = None

    def run(self, attempt: Callable[[], T]) -> T:
        timeout = lock_timeout() if self.timeout is None else self.timeout
        started = time.monotonic()
        delay, reported = 0.02, 0.0
        while True:
            try:
                return attempt()
            except Busy as busy:
                waited = time.monotonic() - started
                if waited >= timeout:
                    raise self.gave_up(busy.holder, waited) from None
                if waited - reported >= 2.0:
                    reported = waited
                    # progress goes to the server's log or the terminal: Vietnamese, as the command line
                    self.report(f"Đang chờ đến lượt {render_value(self.what, 'vi')} {self.target}"
                                f"{' — đang giữ: ' + render_value(busy.holder, 'vi') if busy.holder else ''}"
                                f" (đã chờ {waited:.0f} giây, tối đa {timeout:.0f} giây)…")
                time.sleep(min(delay * random.uniform(0.5, 1.5), max(0.0, timeout - waited)))
                delay = min(delay * 1.6, 0.5)

    def report(self, message: str) -> None:
        (self.progress or _to_stderr)(message)

    def gave_up(self, holder: str, waited: float) -> UserError:
        values = dict(target=self.target, seconds=f"{waited:.0f}", what=self.what, variable=TIMEOUT_ENV_VAR)
        if holder:
            return UserError.keyed("err_lock_timeout_holder", hint_key=N_("hint_lock_timeout"), holder=holder, **values)
        return UserError.keyed("err_lock_timeout", hint_key=N_("hint_lock_timeout"), **values)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Driver exception class names → the catalog key of what went wrong (the driver's English text is
# kept only as the exception's cause, for logs).
_KINDS = {
    "IOException": N_("db_fault_io"),
    "CatalogException": N_("db_fault_catalog"),
    "ConstraintException": N_("db_fault_constraint"),
    "UniqueViolation": N_("db_fault_unique"),
    "TransactionException": N_("db_fault_conflict"),
    "SerializationFailure": N_("db_fault_conflict"),
    "DeadlockDetected": N_("db_fault_conflict"),
    "OutOfMemoryException": N_("db_fault_memory"),
    "DiskFull": N_("db_fault_disk_full"),
    "UndefinedTable": N_("db_fault_undefined_table"),
    "UndefinedColumn": N_("db_fault_undefined_column"),
    "OperationalError": N_("db_fault_connection"),
    "InsufficientPrivilege": N_("db_fault_privilege"),
    "QueryCanceled": N_("db_fault_canceled"),
}


def explain(error: BaseException, action, hint_key: str | None = None) -> UserError:
    """A UserError for a driver error raised while doing `action` (a `phrase`, or a Vietnamese
    text); `hint_key` replaces the usual hint."""
    error = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    text = str(error)
    if "not a valid DuckDB database" in text or "not a valid database" in text:
        return UserError.keyed("err_db_action", hint_key=hint_key or N_("hint_db_damaged"), action=action,
                               fault=phrase("db_fault_not_duckdb"))
    names = [cls.__name__ for cls in type(error).__mro__]
    other = N_("db_fault_other")
    fault = phrase(next((_KINDS[name] for name in names if name in _KINDS), other))
    hint_key = hint_key or N_("hint_nothing_changed")
    code = getattr(error, "sqlstate", None)
    if code:
        return UserError.keyed("err_db_action_code", hint_key=hint_key, action=action, fault=fault, code=code)
    return UserError.keyed("err_db_action_type", hint_key=hint_key, action=action, fault=fault,
                           kind=type(error).__name__)
