"""each version's search key (names and pinyin initials), made once instead of at every start

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:00:00
"""

import sqlalchemy as sa
from alembic import op

from sme_review_desktop.text.search_keys import name_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.Text(), nullable=True))
    conn = op.get_bind()
    version = sa.table(
        "dossier_version",
        sa.column("id", sa.Integer),
        sa.column("platform_name", sa.String),
        sa.column("operator_name", sa.String),
        sa.column("county", sa.String),
        sa.column("search_key", sa.Text),
    )
    rows = conn.execute(
        sa.select(version.c.id, version.c.platform_name, version.c.operator_name, version.c.county)
    ).all()
    if rows:
        conn.execute(
            version.update()
            .where(version.c.id == sa.bindparam("vid"))
            .values(search_key=sa.bindparam("key")),
            [
                {"vid": r.id, "key": name_key(r.platform_name, r.operator_name, r.county)}
                for r in rows
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier_version", schema=None) as batch_op:
        batch_op.drop_column("search_key")
