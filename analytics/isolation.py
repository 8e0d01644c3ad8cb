"""Run a file reader in a child process with a hard time limit.

A damaged or hostile workbook can make a parser loop, hang or crash; run in a forked child, the
reader is killed when `limits.max_seconds` pass, and whatever happens in it comes back as a
UserError in the user's language (never a traceback, never a library's English text). Where `fork` is
not available (or `limits.isolate` is off) the reader runs in this process, bounded only by its
own checks.
"""

from __future__ import annotations

import multiprocessing
import os

from analytics.errors import UserError
from analytics.wording import N_

_STARTUP_SECONDS = 5.0  # a fork is quick, but a busy machine may delay the child's start


def _child(connection, read, path, limits) -> None:
    try:
        result = ("ok", read(path, limits))
    except UserError as error:
        result = ("user", error)  # picklable: its key, values and place travel with it
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
            raise UserError.keyed("err_read_too_slow_stopped", hint_key=N_("hint_too_complex_or_damaged"),
                                  seconds=f"{limits.max_seconds:.0f}")
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
        raise payload
    raise UserError.keyed("err_reader_crashed", hint_key=N_("hint_resave_xlsx"))
