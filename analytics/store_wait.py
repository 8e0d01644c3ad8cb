"""Waiting for the store and saying why, in Vietnamese (no database driver here).

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

from analytics.errors import UserError

TIMEOUT_ENV_VAR = "GOVINDEX_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
_LOCK_PATTERNS = ("could not set lock", "conflicting lock", "different configuration")
_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")

T = TypeVar("T")


class Busy(Exception):
    """The store is held by someone else right now; `holder` says who when known."""

    def __init__(self, holder: str = ""):
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
        return "một kết nối khác trong cùng tiến trình" if "different configuration" in text else ""
    return describe_process(match.group("pid"))


@dataclass
class Waiter:
    """Retries `attempt` while it raises Busy, with backoff, up to `timeout` seconds."""
    what: str                                   # "ghi" or "đọc"
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
                    self.report(f"Đang chờ đến lượt {self.what} {self.target}"
                                f"{' — đang giữ: ' + busy.holder if busy.holder else ''}"
                                f" (đã chờ {waited:.0f} giây, tối đa {timeout:.0f} giây)…")
                time.sleep(min(delay * random.uniform(0.5, 1.5), max(0.0, timeout - waited)))
                delay = min(delay * 1.6, 0.5)

    def report(self, message: str) -> None:
        (self.progress or _to_stderr)(message)

    def gave_up(self, holder: str, waited: float) -> UserError:
        who = f"{holder} đang giữ" if holder else "Một tiến trình khác đang giữ"
        return UserError(
            f"{who} cơ sở dữ liệu {self.target}; đã chờ {waited:.0f} giây mà chưa đến lượt {self.what}.",
            hint="Chờ việc đang chạy (nhập, hoàn tác, khởi tạo) xong rồi thử lại; nếu tiến trình đó bị treo, "
                 f"dừng nó. Muốn chờ lâu hơn: đặt {TIMEOUT_ENV_VAR}=SỐ_GIÂY. Không có gì đã bị thay đổi.")


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Driver exception class names → what went wrong, in Vietnamese (the driver's English text is
# kept only as the exception's cause, for logs).
_KINDS = {
    "IOException": "lỗi đọc/ghi tệp cơ sở dữ liệu",
    "CatalogException": "thiếu bảng hoặc cột (cơ sở dữ liệu cũ hoặc hỏng)",
    "ConstraintException": "dữ liệu trùng khóa hoặc vi phạm ràng buộc",
    "UniqueViolation": "dữ liệu trùng khóa",
    "TransactionException": "xung đột giao dịch với một phiên khác",
    "SerializationFailure": "xung đột giao dịch với một phiên khác",
    "DeadlockDetected": "xung đột giao dịch với một phiên khác",
    "OutOfMemoryException": "hết bộ nhớ",
    "DiskFull": "hết chỗ trên đĩa",
    "UndefinedTable": "thiếu bảng (cơ sở dữ liệu chưa được khởi tạo hoặc nâng cấp)",
    "UndefinedColumn": "thiếu cột (cơ sở dữ liệu chưa được nâng cấp)",
    "OperationalError": "không kết nối được máy chủ cơ sở dữ liệu",
    "InsufficientPrivilege": "tài khoản không đủ quyền",
    "QueryCanceled": "truy vấn bị hủy vì quá thời gian",
}


def explain(error: BaseException, action: str, hint: str | None = None) -> UserError:
    """A Vietnamese UserError for a driver error raised while doing `action`."""
    error = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    text = str(error)
    if "not a valid DuckDB database" in text or "not a valid database" in text:
        kind = "tệp không phải cơ sở dữ liệu DuckDB hoặc đã hỏng"
        hint = hint or "Kiểm tra đường dẫn --db / GOVINDEX_DB, hoặc xóa tệp hỏng rồi chạy `python -m analytics init`."
    else:
        names = [cls.__name__ for cls in type(error).__mro__]
        kind = next((_KINDS[name] for name in names if name in _KINDS), "lỗi cơ sở dữ liệu")
        code = getattr(error, "sqlstate", None)
        kind += f" (mã {code})" if code else f" ({type(error).__name__})"
    return UserError(f"{action}: {kind}.", hint=hint or "Không có gì đã bị thay đổi. Thử lại sau.")
