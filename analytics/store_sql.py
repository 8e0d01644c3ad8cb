"""The store's SQL, written once for both backends (DuckDB and PostgreSQL accept all of it).

Parameters are `?` placeholders kept apart from the text (the PostgreSQL session turns them
into `%s`). Frames registered by the store under a name (`incoming`, `index_years`, `edited`)
are read like tables. The schema itself is created and upgraded by the Alembic migrations in
`migrations/`.
"""

from __future__ import annotations

KEYS = ("index_code", "year", "era", "province_code", "indicator_code")
KEY_LIST = ", ".join(KEYS)
READ_TABLES = ("provinces", "indices", "indicators", "breaks", "sources", "departments", "targets",
               "import_batches", "scores")


def same_cell(left: str, right: str) -> str:
    """`left.k = right.k AND …` over the five key columns of a score."""
    return " AND ".join(f"{left}.{key} = {right}.{key}" for key in KEYS)


def scores_query(index_code: str | None = None, year: int | None = None) -> tuple[str, list]:
    """Score rows with their batch's source; optional filters on index and year."""
    sql = ["SELECT s.*, b.source_id, b.is_demo FROM scores s JOIN import_batches b ON b.batch_id = s.batch_id"]
    conditions, params = [], []
    if index_code is not None:
        conditions.append("s.index_code = ?")
        params.append(index_code)
    if year is not None:
        conditions.append("s.year = ?")
        params.append(int(year))
    if conditions:
        sql.append("WHERE " + " AND ".join(conditions))
    sql.append("ORDER BY s.index_code, s.year, s.indicator_code, s.province_code")
    return " ".join(sql), params


ORDERED = {
    "provinces": "SELECT * FROM provinces ORDER BY era DESC, code",
    "indices": "SELECT * FROM indices ORDER BY sort_order",
    "indicators": "SELECT * FROM indicators ORDER BY index_code, sort_order, valid_from",
    "breaks": "SELECT * FROM breaks",
    "sources": "SELECT * FROM sources",
    "import_batches": "SELECT * FROM import_batches ORDER BY batch_id",
    "departments": "SELECT * FROM departments ORDER BY index_code, indicator_code",
    "targets": "SELECT * FROM targets ORDER BY province_code, index_code, year",
}

BUMP_VERSION = ("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                "WHERE key = 'data_version'")
DATA_VERSION = "SELECT value FROM meta WHERE key = 'data_version'"
REVISION = "SELECT version_num FROM alembic_version"

NEW_BATCH = """INSERT INTO import_batches (imported_at, imported_by, file_name, sha256, row_count, source_id,
               is_demo, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING batch_id"""

# -- loading an embedded source: index-years an import took over, and figures another embedded
# source already holds (several sources share an index-year: workbook and indicator tables), are left alone
EMBEDDED_ALREADY = "SELECT count(*) FROM import_batches WHERE source_id = ? AND sha256 = ?"
EMBEDDED_DROP = ("DELETE FROM scores WHERE batch_id IN "
                 "(SELECT batch_id FROM import_batches WHERE source_id = ?)")
EMBEDDED_INSERT = f"""
    INSERT INTO scores ({KEY_LIST}, value, derived, official_rank, batch_id)
    SELECT i.index_code, i.year, i.era, i.province_code, i.indicator_code, i.value, i.derived, i.official_rank, ?
    FROM incoming i
    WHERE NOT EXISTS (SELECT 1 FROM scores s JOIN import_batches b ON b.batch_id = s.batch_id
                      WHERE s.index_code = i.index_code AND s.year = i.year AND b.source_id = 'import')
      AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.index_code = i.index_code AND s.year = i.year
                      AND s.era = i.era AND s.province_code = i.province_code
                      AND s.indicator_code = i.indicator_code)"""
# Embedded sources no longer shipped (renamed or split) leave the store before the new ones load.
def retired_drop(shipped: int) -> str:
    marks = ", ".join("?" * shipped)
    return ("DELETE FROM scores WHERE batch_id IN (SELECT batch_id FROM import_batches "
            f"WHERE source_id <> 'import' AND source_id NOT IN ({marks}))")
SET_ROW_COUNT = "UPDATE import_batches SET row_count = ? WHERE batch_id = ?"

# -- one import: remember what is replaced, remove it, write the file's figures -------------
HISTORY_COLUMNS = (f"batch_id, {KEY_LIST}, old_value, old_batch_id, new_value, old_derived, new_derived, "
                   "old_official_rank, new_official_rank")
IMPORT_REMEMBER_REPLACED = f"""
    INSERT INTO score_history ({HISTORY_COLUMNS})
    SELECT ?, s.index_code, s.year, s.era, s.province_code, s.indicator_code, s.value, s.batch_id,
           i.value, s.derived, i.derived, s.official_rank, i.official_rank
    FROM scores s LEFT JOIN incoming i ON {same_cell('i', 's')}
    WHERE i.value IS NOT NULL
       OR (EXISTS (SELECT 1 FROM index_years y WHERE y.index_code = s.index_code AND y.year = s.year)
           AND s.batch_id IN (SELECT batch_id FROM import_batches WHERE is_demo))"""
IMPORT_REMEMBER_ADDED = f"""
    INSERT INTO score_history ({HISTORY_COLUMNS})
    SELECT ?, i.index_code, i.year, i.era, i.province_code, i.indicator_code, NULL, NULL, i.value,
           NULL, i.derived, NULL, i.official_rank
    FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE {same_cell('s', 'i')})"""
IMPORT_REMOVE_REPLACED = f"""
    DELETE FROM scores WHERE EXISTS (
        SELECT 1 FROM score_history h
        WHERE h.batch_id = ? AND h.old_value IS NOT NULL AND {same_cell('h', 'scores')})"""
IMPORT_WRITE = f"""
    INSERT INTO scores ({KEY_LIST}, value, derived, official_rank, batch_id)
    SELECT {KEY_LIST}, value, derived, official_rank, ? FROM incoming"""

# -- rollback ---------------------------------------------------------------------------------
BATCH = "SELECT * FROM import_batches WHERE batch_id = ?"
LATER_BATCHES = f"""
    SELECT DISTINCT s.batch_id FROM score_history h JOIN scores s ON {same_cell('s', 'h')}
    WHERE h.batch_id = ? AND h.new_value IS NOT NULL AND s.batch_id <> ? ORDER BY s.batch_id"""
ROLLBACK_REMOVE = "DELETE FROM scores WHERE batch_id = ?"
ROLLBACK_RESTORE = f"""
    INSERT INTO scores ({KEY_LIST}, value, derived, official_rank, batch_id)
    SELECT {KEY_LIST}, old_value, coalesce(old_derived, false), old_official_rank, old_batch_id FROM score_history
    WHERE batch_id = ? AND old_value IS NOT NULL"""
ROLLBACK_MARK = "UPDATE import_batches SET rolled_back_at = ?, rolled_back_by = ? WHERE batch_id = ?"
ACTIVE_WITH_SHA = "SELECT max(batch_id) FROM import_batches WHERE sha256 = ? AND rolled_back_at IS NULL"

# -- analysts' edits --------------------------------------------------------------------------
DEPARTMENTS_REPLACE = ("DELETE FROM departments WHERE index_code IN (SELECT DISTINCT index_code FROM edited)",
                       "INSERT INTO departments (index_code, indicator_code, lead_department, support_departments,"
                       " updated_at, updated_by) SELECT index_code, indicator_code, lead_department,"
                       " support_departments, ?, ? FROM edited")
DEPARTMENTS_DEFAULTS = ("INSERT INTO departments (index_code, indicator_code, lead_department, support_departments,"
                        " updated_at, updated_by) SELECT index_code, indicator_code, lead_department,"
                        " support_departments, NULL, 'data/departments.csv' FROM incoming")
TARGET_COLUMNS = ("era", "province_code", "index_code", "year", "target_score", "strictly_above", "target_rank",
                  "min_rank_gain", "note", "set_at", "set_by")
TARGET_DELETE = "DELETE FROM targets WHERE era = ? AND province_code = ? AND index_code = ? AND year = ?"
MAPPINGS = "SELECT index_code, header_key, indicator_code FROM column_mappings"


def upsert(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    """INSERT … ON CONFLICT (key) DO UPDATE: insert a row or replace the one with the same key."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    marks = ", ".join("?" for _ in columns)
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}")


TARGET_UPSERT = upsert("targets", TARGET_COLUMNS, TARGET_COLUMNS[:4])
MAPPING_UPSERT = upsert("column_mappings", ("index_code", "header_key", "indicator_code", "saved_at", "saved_by"),
                        ("index_code", "header_key"))


def replace_table(table: str, columns: list[str]) -> tuple[str, str]:
    """Empty a reference table and fill it from the registered frame `incoming`."""
    names = ", ".join(columns)
    return f"DELETE FROM {table}", f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming"
