"""Run a file reader in a child process with a hard time limit.

A damaged or hostile workbook can make a parser loop, hang or crash; run in a forked child, the
reader is killed when `limits.max_seconds` pass, and whatever happens in it comes back as a
UserError in Vietnamese (never a traceback, never a library's English text). Where `fork` is
not available (or `limits.isolate` is off) the reader runs in this process, bounded only by its
own checks.
"""

from __future__ import annotations

import multiprocessing
import os

from analytics.errors import UserError

_STARTUP_SECONDS = 5.0  # a fork is quick, but a busy machine may delay the child's start


def _child(connection, read, path, limits) -> None:
    try:
        result = ("ok", read(path, limits))
    except UserError as error:
        result = ("user", (error.message, error.sheet, error.row, error.column, error.hint))
    except BaseException:  # noqa: BLE001 — reported to the parent as a damaged file
        result = ("crash", None)
    try:
        connection.send(result)
    except Exception:  # noqa: BLE001 — e.g. a result that cannot be pickled
        connection.send(("crash", None))
    finally:
        connection.close()
        os._exit(0)


def run_isolated(read, path, limits):
    """`read(path, limits)` in a child process; its result, or a UserError."""
    if not getattr(limits, "isolate", True) or "fork" not in multiprocessing.get_all_start_methods():
        return read(path, limits)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, read, path, limits), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.max_seconds + _STARTUP_SECONDS):
            raise UserError(f"Đọc tệp quá {limits.max_seconds:.0f} giây nên đã dừng.",
                            hint="Tệp quá phức tạp hoặc bị hỏng; sao chép bảng số liệu sang tệp mới rồi nhập lại.")
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            kind, payload = "crash", None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(1)
    if kind == "ok":
        return payload
    if kind == "user":
        message, sheet, row, column, hint = payload
        raise UserError(message, sheet=sheet, row=row, column=column, hint=hint)
    raise UserError("Tệp bị hỏng: trình đọc bảng tính dừng bất thường khi đọc tệp này.",
                    hint="Mở bằng Excel, lưu lại dưới dạng .xlsx rồi nhập lại.")
