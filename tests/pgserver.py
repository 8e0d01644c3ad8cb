"""A real PostgreSQL server for the tests (never a mock).

`server_url()` is the server to create test databases on: $GOVINDEX_TEST_PG when set, else the
server on 127.0.0.1:5432 (user postgres) when one answers, else a throwaway cluster that this
module starts: Debian's `postgresql` binaries (scripts/ensure_postgres.sh installs them),
`initdb` into a temp folder and `pg_ctl start` on a free port, as the `postgres` or `nobody` user
when run as root (initdb refuses root). Each test database has a unique name and is dropped
afterwards. Not a test module.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import psycopg

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
_started: dict[str, str] = {}


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"{name} not found: install Debian's postgresql package (bash scripts/ensure_postgres.sh)")
    return found


def _as_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        if subprocess.run(["id", user], capture_output=True).returncode == 0:
            return ["runuser", "-u", user, "--"]
    raise RuntimeError("running as root and no postgres/nobody user to run initdb as")


def _start_cluster() -> str:
    from tests.e2e_server import free_port
    folder = tempfile.mkdtemp(prefix="govindex-pg-")
    os.chmod(folder, 0o777)
    data, port, runner = os.path.join(folder, "data"), free_port(), _as_user()
    subprocess.run(runner + [_binary("initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                             "--no-sync"], check=True, capture_output=True)
    subprocess.run(runner + [_binary("pg_ctl"), "-D", data, "-l", os.path.join(folder, "log"), "-w", "start",
                             "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"],
                   check=True, capture_output=True)
    atexit.register(lambda: subprocess.run(runner + [_binary("pg_ctl"), "-D", data, "-m", "immediate", "stop"],
                                           capture_output=True))
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def server_url() -> str:
    """An admin URL of a running server (started once per test process when needed)."""
    if "url" not in _started:
        explicit = os.environ.get("GOVINDEX_TEST_PG")  # a URL, or "throwaway" to start a cluster
        if explicit == "throwaway":
            _started["url"] = _start_cluster()
        elif explicit:
            _started["url"] = explicit
        elif _answers(DEFAULT_URL):
            _started["url"] = DEFAULT_URL
        else:
            _started["url"] = _start_cluster()
        if "127.0.0.1:5432/" not in _started["url"]:
            deadline = time.monotonic() + 30
            while not _answers(_started["url"]) and time.monotonic() < deadline:
                time.sleep(0.2)
    return _started["url"]


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def create_database(prefix: str = "govindex_test") -> str:
    admin = server_url()
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return _with_database(admin, name)


def drop_database(url: str) -> None:
    name = url.rpartition("/")[2]
    with psycopg.connect(server_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database(prefix: str = "govindex_test") -> Iterator[str]:
    url = create_database(prefix)
    try:
        yield url
    finally:
        drop_database(url)
