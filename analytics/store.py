"""The store: a DuckDB file (the default) or a PostgreSQL database (a `postgresql://` URL).

The only module that imports a database driver (duckdb, psycopg, SQLAlchemy for Alembic).
Tables: provinces, indices, indicators (the catalog), breaks, sources, departments, targets,
column_mappings, import_batches, scores, score_history; the schema is created and upgraded by
the Alembic revisions in `migrations/`. A score row is one value of one indicator for one
province in one year, written by one import batch; a province-year without data has no rows.

Concurrency: a Store holds no connection between calls. Each read opens a connection (DuckDB:
read-only), reads and closes; `reading()`/`snapshot()` read several tables from one snapshot.
Each write is one transaction on a connection of its own, taken in turn: DuckDB's file lock
(and an in-process lock) or a PostgreSQL advisory lock. Whoever finds the store busy waits up to
$GOVINDEX_LOCK_TIMEOUT seconds (30) with a progress message, then fails with a Vietnamese
message naming the holder. Driver errors become `UserError` here, in Vietnamese.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from analytics import store_sql as sql
from analytics.errors import UserError
from analytics.wording import N_
from analytics.paths import DATA_DIR, REPO_ROOT
from analytics.store_api import StoreMethods
from analytics.store_plans import PlanMethods
from analytics.store_backends import (ConnectionPool, DuckSession, PgSession, check_duckdb_file, file_version,
                                      is_postgres, pool_size, process_lock)
from analytics.store_wait import READ, UPGRADE, WRITE, Busy, Waiter, explain, holder_from_duckdb, is_lock_message
from analytics.weak_wording import phrase

EMBEDDED_SOURCES = ("papi_2011_2019", "papi_2018_2019_indicators", "papi_2020_2024", "pci_2005_2019", "demo")
MIGRATIONS_DIR = REPO_ROOT / "migrations"


def _driver_errors() -> tuple[type[BaseException], ...]:
    """The drivers' error classes; psycopg and SQLAlchemy are imported only when used (they add
    half a second to every command-line start)."""
    errors: list[type[BaseException]] = [duckdb.Error]
    if "psycopg" in sys.modules:
        errors.append(sys.modules["psycopg"].Error)
    if "sqlalchemy" in sys.modules:
        errors.append(sys.modules["sqlalchemy"].exc.SQLAlchemyError)
    return tuple(errors)


def _sqlalchemy_engine(url: str):
    import sqlalchemy
    from sqlalchemy.pool import NullPool
    return sqlalchemy.create_engine(url, poolclass=NullPool)
WRITE_LOCK_KEY = 7_362_011  # the PostgreSQL advisory lock that writers take in turn

def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers)
        return "unknown"


# -- backends: where the store lives and how a connection is taken in turn -------------------
class _DuckDBBackend:
    kind = "duckdb"

    def __init__(self, path: Path):
        self.target = path
        self._lock = process_lock(str(path.resolve()))

    def describe(self) -> str:
        return str(self.target)

    def exists(self) -> bool:
        return self.target.exists()

    def check(self, read_only: bool) -> None:
        check_duckdb_file(self.target, read_only)
        if not read_only:
            self.target.parent.mkdir(parents=True, exist_ok=True)

    def version(self) -> str:
        return file_version(self.target)

    def _take(self, write: bool, waiter: Waiter, connect):
        """connect() once this process and the file lock let us; Busy is retried by the waiter."""
        waiting = {"registered": False}

        def attempt():
            if not self._lock.try_acquire(write):
                if write and not waiting["registered"]:
                    waiting["registered"] = True
                    self._lock.wanted(+1)
                raise Busy(phrase("holder_same_app"))
            try:
                return connect()
            except Exception as error:
                self._lock.release(write)
                if is_lock_message(str(error)):
                    raise Busy(holder_from_duckdb(str(error))) from None
                raise
        try:
            return waiter.run(attempt)
        finally:
            if waiting["registered"]:
                self._lock.wanted(-1)

    @contextmanager
    def session(self, write: bool, waiter: Waiter) -> Iterator[DuckSession]:
        if not write:
            check_duckdb_file(self.target, read_only=True)
        connection = self._take(write, waiter, lambda: duckdb.connect(str(self.target), read_only=not write))
        try:
            yield DuckSession(connection)
        finally:
            connection.close()
            self._lock.release(write)

    def migrate(self, waiter: Waiter, upgrade) -> None:
        engine = _sqlalchemy_engine(f"duckdb:///{self.target}")
        try:
            connection = self._take(True, waiter, engine.connect)
            try:
                upgrade(connection)
                connection.commit()
            finally:
                connection.close()
                self._lock.release(True)
        finally:
            engine.dispose()


class _PostgresBackend:
    kind = "postgresql"

    def __init__(self, url: str):
        import psycopg
        self._psycopg = psycopg
        self.target = url
        self._url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        info = psycopg.conninfo.conninfo_to_dict(self._url)
        self._label = f"PostgreSQL {info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
        with _PG_POOLS_GUARD:
            self._pool = _PG_POOLS.setdefault(self._url, ConnectionPool(self._connect, pool_size()))

    def describe(self) -> str:
        return self._label

    def exists(self) -> bool:
        return True

    def _connect(self):
        name = f"govindex pid {os.getpid()} {' '.join(os.path.basename(a) for a in sys.argv[:3])}"[:63]
        try:
            return self._psycopg.connect(self._url, application_name=name, connect_timeout=10)
        except self._psycopg.Error as error:
            raise UserError.keyed("err_pg_connect", hint_key=N_("hint_pg_connect"), server=self._label) from error

    def check(self, read_only: bool) -> None:
        with self.session(False, Waiter(READ, self._label)):
            pass

    def version(self) -> str:
        with self.session(False, Waiter(READ, self._label)) as session:
            row = session.rows(sql.DATA_VERSION)
        return f"p{row[0][0] if row else 0}"

    def _borrow(self, waiter: Waiter):
        def attempt():
            connection = self._pool.try_take()
            if connection is None:
                raise Busy(phrase("holder_pool_full", connections=pool_size()))
            return connection
        return waiter.run(attempt)

    def _try_write_lock(self, execute) -> None:
        if execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,)).fetchone()[0]:
            return
        holder = execute(
            "SELECT a.pid, a.application_name, coalesce(host(a.client_addr), 'local') FROM pg_locks l"
            " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
            " AND l.objid = %s LIMIT 1", (WRITE_LOCK_KEY,)).fetchone()
        raise Busy(phrase("holder_pg_session", pid=holder[0], program=holder[1] or "?", client=holder[2])
                   if holder else "")

    @contextmanager
    def session(self, write: bool, waiter: Waiter) -> Iterator[PgSession]:
        connection = self._borrow(waiter)
        try:
            connection.isolation_level = None if write else self._psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = not write
            if write:
                waiter.run(lambda: self._try_write_lock(connection.execute))
            yield PgSession(connection)
        finally:
            try:
                connection.rollback()  # ends a read; after a write's commit or rollback, a no-op
            except self._psycopg.Error:
                connection.close()
            self._pool.give_back(connection)

    def migrate(self, waiter: Waiter, upgrade) -> None:
        engine = _sqlalchemy_engine(self._url.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            with engine.connect() as connection:
                waiter.run(lambda: self._try_write_lock(connection.exec_driver_sql))
                upgrade(connection)
                connection.commit()
        finally:
            engine.dispose()


_PG_POOLS: dict[str, ConnectionPool] = {}
_PG_POOLS_GUARD = threading.Lock()


def _backend_for(target) -> _DuckDBBackend | _PostgresBackend:
    if is_postgres(target):
        return _PostgresBackend(target)
    return _DuckDBBackend(Path(target))


def _alembic_config(connection=None):
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _upgrade_to_head(connection) -> None:
    from alembic import command
    command.upgrade(_alembic_config(connection), "head")


class Store(PlanMethods, StoreMethods):
    """The store at a path or URL. `Store.open(target)`; `close()` or `with` as before.

    No connection is held between calls; `progress` receives the waiting messages
    (default: standard error)."""

    def __init__(self, backend, read_only: bool = False, progress=None):
        self._backend = backend
        self.path = backend.target
        self.kind = backend.kind
        self.read_only = read_only
        self._progress = progress
        self._held = None

    @classmethod
    def open(cls, target: Path | str, read_only: bool = False, progress=None) -> "Store":
        backend = _backend_for(target)
        backend.check(read_only)
        return cls(backend, read_only, progress)

    def close(self) -> None:
        self._held = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _session(self, write: bool, action: str):
        waiter = Waiter(WRITE if write else READ, self._backend.describe(), progress=self._progress)
        try:
            with self._backend.session(write, waiter) as session:
                yield session
        except _driver_errors() as error:
            raise explain(error, action) from error

    def _migrate(self) -> None:
        waiter = Waiter(UPGRADE, self._backend.describe(), progress=self._progress)
        try:
            self._backend.migrate(waiter, _upgrade_to_head)
        except UserError:
            raise
        except Exception as error:
            if type(error).__module__.startswith("alembic"):  # e.g. a revision this release does not know
                raise UserError.keyed("err_schema_mismatch", hint_key=N_("hint_update_program"),
                                      db=self._backend.describe(), revision=self.revision() or "?") from error
            if not isinstance(error, _driver_errors()):
                raise
            raise explain(error, phrase("act_migrate", db=self._backend.describe())) from error

    def data_version(self) -> str:
        """Changes whenever a write is committed: a cache key for the app (cheap, never waits on
        DuckDB: the file's and the write-ahead log's size and time; PostgreSQL: a counter)."""
        try:
            return self._backend.version()
        except _driver_errors() as error:
            raise explain(error, phrase("act_read_data_version")) from error

    def exists(self) -> bool:
        return self._backend.exists()


def data_version(target: Path | str) -> str:
    """The data version of the store at `target`, without opening a DuckDB file."""
    return Store(_backend_for(target)).data_version()


def schema_version(target: Path | str) -> str:
    """The Alembic revision of an existing store ('' when it has none, e.g. an older release's)."""
    store = Store(_backend_for(target), read_only=True)
    return store.revision() if store.exists() else ""


def ensure_store(target: Path | str, data_dir: Path = DATA_DIR) -> Path | str:
    """Build the store at `target` when it is absent (the app's first start), and bring an
    older one up to the head revision (stored scores, imports and edits are kept)."""
    store = Store.open(target)
    if not store.exists() or store.revision() != head_revision():
        store.initialise(data_dir)
    return store.path
