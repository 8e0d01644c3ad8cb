"""Baseline: the schema of the last release without Alembic (schema_version 3).

Every statement is idempotent (IF NOT EXISTS), so a store made by that release, which has the
tables but no alembic_version, is taken over as it is; a new store is created from nothing.
The SQL is the same for DuckDB and PostgreSQL.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS provinces (
        era VARCHAR, code VARCHAR, name VARCHAR, name_en VARCHAR, region VARCHAR,
        successor_code VARCHAR, aliases VARCHAR, PRIMARY KEY (era, code))""",
    """CREATE TABLE IF NOT EXISTS indices (
        index_code VARCHAR PRIMARY KEY, name_vi VARCHAR, name_en VARCHAR, short_name VARCHAR,
        unit VARCHAR, publisher VARCHAR, survey_based BOOLEAN, official_rank BOOLEAN,
        first_year INTEGER, new_provinces_from INTEGER, small_score_change DOUBLE PRECISION,
        small_rank_change INTEGER, sort_order INTEGER, description_vi VARCHAR, description_en VARCHAR)""",
    "ALTER TABLE indices ADD COLUMN IF NOT EXISTS points_lost_share DOUBLE PRECISION",
    """CREATE TABLE IF NOT EXISTS departments (
        index_code VARCHAR, indicator_code VARCHAR, lead_department VARCHAR, support_departments VARCHAR,
        updated_at TIMESTAMP, updated_by VARCHAR, PRIMARY KEY (index_code, indicator_code))""",
    """CREATE TABLE IF NOT EXISTS indicators (
        index_code VARCHAR, indicator_code VARCHAR, parent_code VARCHAR, level INTEGER,
        valid_from INTEGER, valid_to INTEGER, name_vi VARCHAR, name_en VARCHAR, aliases VARCHAR,
        scale_min DOUBLE PRECISION, scale_max DOUBLE PRECISION, unit VARCHAR, higher_is_better BOOLEAN,
        sums_to_parent BOOLEAN, sort_order INTEGER, note VARCHAR,
        PRIMARY KEY (index_code, indicator_code, valid_from))""",
    """CREATE TABLE IF NOT EXISTS breaks (
        index_code VARCHAR, indicator_code VARCHAR, year INTEGER, reason_vi VARCHAR, reason_en VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS sources (
        source_id VARCHAR PRIMARY KEY, name_vi VARCHAR, name_en VARCHAR, publisher VARCHAR,
        origin VARCHAR, note VARCHAR)""",
    "CREATE SEQUENCE IF NOT EXISTS batch_ids START 1",
    """CREATE TABLE IF NOT EXISTS import_batches (
        batch_id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'), imported_at TIMESTAMP,
        imported_by VARCHAR, file_name VARCHAR, sha256 VARCHAR, row_count INTEGER,
        source_id VARCHAR, is_demo BOOLEAN)""",
    "ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_at TIMESTAMP",
    "ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_by VARCHAR",
    "ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS summary VARCHAR",
    """CREATE TABLE IF NOT EXISTS score_history (
        batch_id INTEGER NOT NULL, index_code VARCHAR, year INTEGER, era VARCHAR, province_code VARCHAR,
        indicator_code VARCHAR, old_value DOUBLE PRECISION, old_batch_id INTEGER, new_value DOUBLE PRECISION)""",
    """CREATE TABLE IF NOT EXISTS column_mappings (
        index_code VARCHAR, header_key VARCHAR, indicator_code VARCHAR, saved_at TIMESTAMP, saved_by VARCHAR,
        PRIMARY KEY (index_code, header_key))""",
    """CREATE TABLE IF NOT EXISTS targets (
        era VARCHAR, province_code VARCHAR, index_code VARCHAR, year INTEGER, target_score DOUBLE PRECISION,
        strictly_above BOOLEAN, target_rank INTEGER, min_rank_gain INTEGER, note VARCHAR,
        set_at TIMESTAMP, set_by VARCHAR, PRIMARY KEY (era, province_code, index_code, year))""",
    """CREATE TABLE IF NOT EXISTS scores (
        index_code VARCHAR NOT NULL, year INTEGER NOT NULL, era VARCHAR NOT NULL,
        province_code VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL, value DOUBLE PRECISION NOT NULL,
        batch_id INTEGER NOT NULL,
        PRIMARY KEY (index_code, year, era, province_code, indicator_code))""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("The baseline is not undone: restore a backup instead.")
