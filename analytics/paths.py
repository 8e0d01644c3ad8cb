"""Where the reference data and the default database live."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
DB_ENV_VAR = "GOVINDEX_DB"
DEFAULT_DB = DATA_DIR / "govindex.duckdb"
URL_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path | str:
    """The store: `--db` when given, else $GOVINDEX_DB, else data/govindex.duckdb.

    A DuckDB file is returned as a Path; a PostgreSQL URL (`postgresql://…`) as the string.
    """
    chosen = explicit or os.environ.get(DB_ENV_VAR)
    if not chosen:
        return DEFAULT_DB
    text = os.fspath(chosen)
    return text if text.startswith(URL_SCHEMES) else Path(text)
