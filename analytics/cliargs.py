"""Argument checks of the command line, before any command runs (Vietnamese messages, exit 2).

- `--year` within the index's years: from its first year (data/catalog/indices.csv) to next year;
- `--db` not empty, not a folder, and an existing file must be a DuckDB store; commands that
  only read need the store to exist (`init` makes it); `provinces`, `indicators` and `template`
  read the reference files in data/ unless `--db` names a store to read them from;
- `--out` not a folder, in a folder that exists, with the right extension, and never a store
  (the store given, its WAL, or any existing DuckDB file): a store is never overwritten.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from analytics.errors import UserError
from analytics.paths import resolve_db_path

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
CREATES_STORE = {"init"}
REFERENCE_COMMANDS = {"provinces", "indicators", "template"}  # read data/ unless --db is given
OUT_SUFFIXES = {"template": (".xlsx",), "weak": (".xlsx", ".csv"), "plan": (".xlsx",), "brief": (".pdf",),
                "report": (".docx",)}


def is_duckdb_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(12)[8:12] == DUCKDB_MAGIC
    except OSError:
        return False


def check_year(year: int | None, index_code: str | None, indices) -> None:
    """Refuse a year outside the index's range (any index's range when none is named)."""
    if year is None:
        return
    rows = indices if index_code is None else indices[indices["index_code"] == index_code]
    first, last = int(rows["first_year"].min()), datetime.date.today().year + 1
    if not first <= year <= last:
        name = index_code or "các chỉ số"
        raise UserError(f"Năm {year} nằm ngoài phạm vi của {name}.", hint=f"Chọn một năm từ {first} đến {last}.")


def check_db(text: str | None, command: str) -> Path | str:
    """The store path `--db` (or its default) names, refused when it cannot be a store."""
    if text is not None and not text.strip():
        raise UserError("--db rỗng: cần đường dẫn tới tệp cơ sở dữ liệu (.duckdb).",
                        hint="Bỏ --db để dùng data/govindex.duckdb, hoặc ghi rõ đường dẫn.")
    path = resolve_db_path(text)
    if isinstance(path, str):  # a postgresql:// URL: the store checks the server itself
        return path
    if path.is_dir():
        raise UserError(f"--db «{path}» là một thư mục, không phải tệp cơ sở dữ liệu.",
                        hint="Ghi đường dẫn tới tệp, ví dụ data/govindex.duckdb.")
    if path.exists() and not is_duckdb_file(path):
        raise UserError(f"«{path}» không phải cơ sở dữ liệu DuckDB của ứng dụng; không mở, không ghi đè.",
                        hint="Kiểm tra lại --db (hoặc $GOVINDEX_DB).")
    if not path.exists() and command not in CREATES_STORE:
        raise UserError(f"Chưa có cơ sở dữ liệu «{path}».",
                        hint=f"Tạo bằng: python -m analytics init --db {path}")
    return path


def check_out(text: str, command: str, db_text: str | None) -> Path:
    """The output file `--out` names, refused when it is a folder or a store."""
    if not text or not text.strip():
        raise UserError("--out rỗng: cần tên tệp kết quả.")
    out = Path(text)
    suffixes = OUT_SUFFIXES.get(command, ())
    if out.is_dir():
        raise UserError(f"--out «{out}» là một thư mục.", hint=f"Ghi tên tệp, ví dụ {out / ('ket_qua' + suffixes[0])}.")
    if not out.parent.is_dir():
        raise UserError(f"Không có thư mục «{out.parent}» để ghi --out.")
    store = resolve_db_path(db_text or None)
    store = Path("/nonexistent-store") if isinstance(store, str) else store  # a URL is no file to overwrite
    if _same_file(out, store) or _same_file(out, Path(f"{store}.wal")) or is_duckdb_file(out):
        raise UserError(f"--out «{out}» là cơ sở dữ liệu: không ghi đè.", hint="Chọn một tên tệp khác.")
    if suffixes and out.suffix.lower() not in suffixes:
        raise UserError(f"Tệp ra «{out.name}» phải có đuôi {' hoặc '.join(suffixes)}.")
    return out


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return os.path.abspath(a) == os.path.abspath(b)


def check_args(args, indices, index_code: str | None) -> None:
    """Every argument check for the parsed `args` of one command (`index_code` already
    recognised, or None); raises UserError."""
    if hasattr(args, "db") and (args.db is not None or args.command not in REFERENCE_COMMANDS):
        check_db(args.db, args.command)
    check_year(getattr(args, "year", None), index_code, indices)
    if args.command in OUT_SUFFIXES and getattr(args, "out", None) is not None:
        check_out(args.out, args.command, getattr(args, "db", None))
