"""score version for the optimistic check between reviewers on a shared server

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Scores entered before this release all start at the same version; the app gives each
    # change a new random one.
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.String(length=32), nullable=False, server_default="0")
        )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.alter_column("version", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_column("version")
