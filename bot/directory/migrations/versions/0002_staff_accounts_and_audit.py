"""staff accounts and directory audit trail (staff console)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Accounts live in the directory database so that a console edit of a service and the audit row
naming who made it are written in one transaction: there is no edit without its audit entry.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
        sa.CheckConstraint("role IN ('ward', 'helpline', 'admin')", name="ck_staff_account_role"),
    )
    op.create_table(
        "directory_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_directory_audit_at", "directory_audit", ["at"])
    op.create_index("ix_directory_audit_service_id", "directory_audit", ["service_id"])


def downgrade() -> None:
    op.drop_index("ix_directory_audit_service_id", table_name="directory_audit")
    op.drop_index("ix_directory_audit_at", table_name="directory_audit")
    op.drop_table("directory_audit")
    op.drop_table("staff_account")
