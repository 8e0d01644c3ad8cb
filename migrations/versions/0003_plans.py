"""Improvement plans (issue 12): a plan per province (era + code), index and year; its items (one
indicator each, lead and supporting departments, task, deadline); a status and progress note per
item and quarter; every change recorded (who, when, before, after) under an edit that can be
rolled back.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE SEQUENCE IF NOT EXISTS plan_ids START 1",
    """CREATE TABLE IF NOT EXISTS plans (
        plan_id INTEGER PRIMARY KEY DEFAULT nextval('plan_ids'), era VARCHAR NOT NULL,
        province_code VARCHAR NOT NULL, index_code VARCHAR NOT NULL, year INTEGER NOT NULL,
        plan_number VARCHAR, plan_date DATE, created_at TIMESTAMP, created_by VARCHAR,
        UNIQUE (era, province_code, index_code, year))""",
    "CREATE SEQUENCE IF NOT EXISTS plan_item_ids START 1",
    """CREATE TABLE IF NOT EXISTS plan_items (
        item_id INTEGER PRIMARY KEY DEFAULT nextval('plan_item_ids'), plan_id INTEGER NOT NULL,
        item_no INTEGER, indicator_code VARCHAR, indicator VARCHAR, tier VARCHAR, reasons VARCHAR,
        baseline_value DOUBLE PRECISION, baseline_rank INTEGER, lead_department VARCHAR,
        support_departments VARCHAR, task VARCHAR, deadline DATE)""",
    """CREATE TABLE IF NOT EXISTS plan_item_status (
        item_id INTEGER NOT NULL, quarter VARCHAR NOT NULL, status VARCHAR, note VARCHAR,
        PRIMARY KEY (item_id, quarter))""",
    "CREATE SEQUENCE IF NOT EXISTS plan_edit_ids START 1",
    """CREATE TABLE IF NOT EXISTS plan_edits (
        edit_id INTEGER PRIMARY KEY DEFAULT nextval('plan_edit_ids'), plan_id INTEGER, edited_at TIMESTAMP,
        edited_by VARCHAR, source VARCHAR, file_name VARCHAR, rolled_back_at TIMESTAMP, rolled_back_by VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS plan_changes (
        edit_id INTEGER NOT NULL, item_id INTEGER NOT NULL, field VARCHAR NOT NULL, quarter VARCHAR,
        old_value VARCHAR, new_value VARCHAR)""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("Restore a backup to go back to the previous release.")
