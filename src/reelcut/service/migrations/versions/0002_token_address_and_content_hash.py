"""accounts remember the address a token was made for; media remember their content hash

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_ip", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_accounts_created_ip"), ["created_ip"], unique=False)
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_media_content_sha256"), ["content_sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_content_sha256"))
        batch_op.drop_column("content_sha256")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_created_ip"))
        batch_op.drop_column("created_ip")
