"""Scores keep the publisher's official rank beside the figure (PCI publishes one; the rank the
product computes from the scores stays computed), and the index catalog says which words name
an index, how many decimals its publisher gives and whether its total is weighted.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE scores ADD COLUMN IF NOT EXISTS official_rank INTEGER")
    op.execute("ALTER TABLE score_history ADD COLUMN IF NOT EXISTS old_official_rank INTEGER")
    op.execute("ALTER TABLE score_history ADD COLUMN IF NOT EXISTS new_official_rank INTEGER")
    op.execute("ALTER TABLE indices ADD COLUMN IF NOT EXISTS aliases VARCHAR")
    op.execute("ALTER TABLE indices ADD COLUMN IF NOT EXISTS decimals INTEGER")
    op.execute("ALTER TABLE indices ADD COLUMN IF NOT EXISTS weighted_total BOOLEAN")


def downgrade() -> None:
    raise NotImplementedError("Restore a backup to go back to the previous release.")
