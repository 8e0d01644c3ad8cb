"""Where the reference data and the default database live."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
DB_ENV_VAR = "GOVINDEX_DB"
DEFAULT_DB = DATA_DIR / "govindex.duckdb"


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database path: `--db` when given, else $GOVINDEX_DB, else data/govindex.duckdb."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DB_ENV_VAR)
    return Path(from_env) if from_env else DEFAULT_DB
