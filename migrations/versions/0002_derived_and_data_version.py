"""Scores say whether a PAPI total was derived (sum of dimensions) rather than published;
the score history keeps that flag for rollback; a data version counter that every write bumps
replaces the hand-bumped schema_version row (Alembic records the schema revision now).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE scores ADD COLUMN IF NOT EXISTS derived BOOLEAN DEFAULT false")
    op.execute("UPDATE scores SET derived = false WHERE derived IS NULL")
    op.execute("ALTER TABLE score_history ADD COLUMN IF NOT EXISTS old_derived BOOLEAN")
    op.execute("ALTER TABLE score_history ADD COLUMN IF NOT EXISTS new_derived BOOLEAN")
    op.execute("DELETE FROM meta WHERE key = 'schema_version'")
    op.execute("INSERT INTO meta (key, value) SELECT 'data_version', '0' "
               "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'data_version')")


def downgrade() -> None:
    raise NotImplementedError("Restore a backup to go back to the previous release.")
