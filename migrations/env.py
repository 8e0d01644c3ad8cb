"""Alembic environment: the store (analytics/store.py) hands over an open connection.

Run through `python -m analytics init` (or `Store.initialise`), which takes the store's write
lock first; the same revisions build and upgrade a DuckDB file and a PostgreSQL database.
"""

from alembic import context
from alembic.ddl.impl import DefaultImpl


class DuckDBImpl(DefaultImpl):
    """Alembic knows no DuckDB dialect of its own; DuckDB runs DDL inside transactions."""
    __dialect__ = "duckdb"
    transactional_ddl = True


connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
