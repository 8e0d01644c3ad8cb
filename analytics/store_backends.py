"""Pieces of the store that need no database driver: the sessions over a connection, where a
store lives, the in-process
read/write lock for a DuckDB file, PostgreSQL rows typed as DuckDB types them, the snapshot
that pages read from, the PostgreSQL connection pool, and the default departments."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pandas as pd

from analytics.errors import UserError
from analytics.wording import N_
from analytics.text import nfc

from analytics.paths import URL_SCHEMES as POSTGRES_SCHEMES
DUCKDB_MAGIC = b"DUCK"


def is_postgres(target) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def check_duckdb_file(path: Path, read_only: bool) -> None:
    """Refuse a missing file opened read-only, or a file that is not a DuckDB database."""
    if not path.exists():
        if read_only:
            raise UserError.keyed("err_db_missing", hint_key=N_("hint_db_init"), path=str(path))
        return
    if path.is_dir():
        raise UserError.keyed("err_db_is_folder", hint_key=N_("hint_db_path"), path=str(path))
    with open(path, "rb") as handle:
        header = handle.read(12)
    if header and header[8:12] != DUCKDB_MAGIC:
        raise UserError.keyed("err_db_not_duckdb", hint_key=N_("hint_db_damaged"), path=str(path))


def file_version(path: Path) -> str:
    """Size and modification time of the file and of its write-ahead log: every commit changes one."""
    parts = []
    for candidate in (path, Path(f"{path}.wal")):
        try:
            stat = os.stat(candidate)
            parts.append(f"{stat.st_size}-{stat.st_mtime_ns}")
        except FileNotFoundError:
            parts.append("0")
    return "f" + ":".join(parts)


# -- sessions: one connection, the same calls on both backends -------------------------------
class DuckSession:
    def __init__(self, connection):
        self.con = connection

    def query(self, text: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(text, params or []).df()

    def rows(self, text: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(text, params or []).fetchall()

    def run(self, text: str, params: list | None = None) -> int:
        rows = self.con.execute(text, params or []).fetchall()
        return int(rows[0][0]) if rows and len(rows[0]) == 1 and isinstance(rows[0][0], int) else 0

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(name, frame)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")


class PgSession:
    def __init__(self, connection):
        self.con = connection

    def _cursor(self, text: str, params: list | None):
        return self.con.execute(text.replace("?", "%s"), [plain(p) for p in params] if params else None)

    def query(self, text: str, params: list | None = None) -> pd.DataFrame:
        cursor = self._cursor(text, params)
        columns = [(d.name, d.type_code) for d in cursor.description]
        return frame_from_rows(cursor.fetchall(), columns)

    def rows(self, text: str, params: list | None = None) -> list[tuple]:
        return self._cursor(text, params).fetchall()

    def run(self, text: str, params: list | None = None) -> int:
        return max(self._cursor(text, params).rowcount, 0)

    def register(self, name: str, frame: pd.DataFrame) -> None:
        columns = ", ".join(f"{column} {pg_type(frame[column])}" for column in frame.columns)
        self.con.execute(f"CREATE TEMPORARY TABLE {name} ({columns}) ON COMMIT DROP")
        with self.con.cursor().copy(f"COPY {name} ({', '.join(frame.columns)}) FROM STDIN") as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row([plain(value) for value in row])

    def unregister(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def begin(self) -> None:
        pass  # psycopg opens a transaction with the first statement

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        self.con.rollback()


class SharedLock:
    """Readers share, a writer is alone: DuckDB refuses a read-only and a read-write connection
    to one file in the same process. Non-blocking; a waiting writer keeps new readers out."""

    def __init__(self):
        self._guard = threading.Lock()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    def try_acquire(self, write: bool) -> bool:
        with self._guard:
            if write:
                if self._writer or self._readers:
                    return False
                self._writer = True
                return True
            if self._writer or self._writers_waiting:
                return False
            self._readers += 1
            return True

    def wanted(self, by: int) -> None:
        """A writer starts (+1) or stops (-1) waiting; new readers wait while one does."""
        with self._guard:
            self._writers_waiting += by

    def release(self, write: bool) -> None:
        with self._guard:
            if write:
                self._writer = False
            else:
                self._readers -= 1


_LOCKS: dict[str, SharedLock] = {}
_LOCKS_GUARD = threading.Lock()


def process_lock(key: str) -> SharedLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, SharedLock())


# -- PostgreSQL rows, typed as DuckDB's .df() types them (same frames on both backends) -------
_INT_BITS = {21: 16, 23: 32, 20: 64}
_FLOATS = {700, 701, 1700}
_BOOL = 16
_TIMESTAMPS = {1114, 1184}


def typed_column(values: pd.Series, type_oid: int) -> pd.Series:
    missing = values.isna()
    if type_oid in _INT_BITS:
        bits = _INT_BITS[type_oid]
        return values.astype(f"Int{bits}" if missing.any() else f"int{bits}")
    if type_oid in _FLOATS:
        return values.astype("float64")
    if type_oid == _BOOL:
        return values.astype("boolean" if missing.any() else bool)
    if type_oid in _TIMESTAMPS:
        return pd.to_datetime(values).astype("datetime64[us]")
    return values.astype(object) if missing.all() else values.astype("str")


def frame_from_rows(rows: list[tuple], columns: list[tuple[str, int]]) -> pd.DataFrame:
    names = [name for name, _ in columns]
    frame = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(
        {name: pd.Series([], dtype=object) for name in names})
    for name, oid in columns:
        frame[name] = typed_column(frame[name], oid)
    return frame


def pg_type(series: pd.Series) -> str:
    """The PostgreSQL column type for a frame column loaded into a temporary table."""
    if pd.api.types.is_bool_dtype(series):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(series):
        return "BIGINT"
    if pd.api.types.is_float_dtype(series):
        return "DOUBLE PRECISION"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "TIMESTAMP"
    return "VARCHAR"


def plain(value):
    """A Python value psycopg can send: NaN/NA/NaT become NULL, numpy scalars become Python."""
    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def _reader(table: str):
    def read(self) -> pd.DataFrame:
        return self._table(table)
    read.__doc__ = f"The `{table}` table."
    return read


class TableReads:
    """The read methods of one table each (Store and Snapshot); `_table(name)` gives the frame."""

    def _table(self, table: str) -> pd.DataFrame:
        raise NotImplementedError

    provinces = _reader("provinces")
    indices = _reader("indices")
    catalog = _reader("indicators")
    breaks = _reader("breaks")
    sources = _reader("sources")
    batches = _reader("import_batches")
    departments = _reader("departments")
    targets = _reader("targets")


class Snapshot(TableReads):
    """The store's tables read at one moment, with the Store's read methods (pages read from it)."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        self._frames = frames

    def _table(self, table: str) -> pd.DataFrame:
        return self._frames[table]

    def scores(self, index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
        rows = self._frames["scores"]
        if index_code is not None:
            rows = rows[rows["index_code"] == index_code]
        if year is not None:
            rows = rows[rows["year"] == int(year)]
        return rows.reset_index(drop=True)


def default_departments(data_dir: Path) -> pd.DataFrame:
    """`data/departments.csv`: index_code, indicator_code, lead_department, support_departments."""
    frame = pd.read_csv(Path(data_dir) / "departments.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame.map(lambda v: nfc(v.strip()) if isinstance(v, str) else v)
    frame["support_departments"] = frame["support_departments"].map(
        lambda v: ";".join(part.strip() for part in str(v).split(";") if part.strip()))
    return frame[["index_code", "indicator_code", "lead_department", "support_departments"]]


class ConnectionPool:
    """At most `size` open connections per process to one PostgreSQL database, kept between
    uses: many sessions of one app server share them instead of each opening its own (the
    server's max_connections is shared by every app server and command)."""

    def __init__(self, connect, size: int):
        self._connect = connect
        self._size = size
        self._idle: list = []
        self._open = 0
        self._guard = threading.Lock()

    def try_take(self):
        """An open connection, or None when all `size` are in use (the caller waits and retries)."""
        with self._guard:
            while self._idle:
                connection = self._idle.pop()
                if not connection.closed and not getattr(connection, "broken", False):
                    return connection
                self._open -= 1
            if self._open >= self._size:
                return None
            self._open += 1
        try:
            return self._connect()
        except BaseException:
            with self._guard:
                self._open -= 1
            raise

    def give_back(self, connection) -> None:
        """Return a connection after its transaction ended; a broken one is closed and dropped."""
        reusable = not connection.closed and not getattr(connection, "broken", False)
        with self._guard:
            if reusable:
                self._idle.append(connection)
            else:
                self._open -= 1
        if not reusable:
            connection.close()


def pool_size() -> int:
    """Connections per process and database ($GOVINDEX_PG_POOL, default 8)."""
    try:
        return max(1, int(os.environ.get("GOVINDEX_PG_POOL", "8")))
    except ValueError:
        return 8
