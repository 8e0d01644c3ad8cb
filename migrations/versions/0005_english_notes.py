"""The catalog speaks both languages: English notes beside the Vietnamese ones for indicators and
sources, and the publisher's English name for an index.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE indicators ADD COLUMN IF NOT EXISTS note_en VARCHAR")
    op.execute("ALTER TABLE sources ADD COLUMN IF NOT EXISTS note_en VARCHAR")
    op.execute("ALTER TABLE indices ADD COLUMN IF NOT EXISTS publisher_en VARCHAR")


def downgrade() -> None:
    raise NotImplementedError("Restore a backup to go back to the previous release.")
