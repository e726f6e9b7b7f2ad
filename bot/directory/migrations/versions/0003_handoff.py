"""handing over to a person: queued/active/closed handoffs, their messages, staff presence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

The web gateway keeps the state of conversations handed to helpline staff here (bot/handoff/).
Staff are referred to by id and by the name shown at the time, without a foreign key, so the
record of who replied stays readable if an account is later removed. Times are UTC.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_conversation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("close_reason", sa.String(length=16), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("state IN ('queued', 'active', 'closed')", name="ck_handoff_conversation_state"),
    )
    op.create_index("ix_handoff_conversation_sender_id", "handoff_conversation", ["sender_id"])
    # At most one open handoff per conversation, even if two requests race.
    op.create_index(
        "ux_handoff_conversation_open_sender",
        "handoff_conversation",
        ["sender_id"],
        unique=True,
        sqlite_where=sa.text("state != 'closed'"),
        postgresql_where=sa.text("state != 'closed'"),
    )
    op.create_table(
        "handoff_message",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=8), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("client_message_id", sa.String(length=64), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoff_conversation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("handoff_id", "client_message_id", name="uq_handoff_message_client_id"),
        sa.CheckConstraint("author IN ('user', 'staff', 'notice')", name="ck_handoff_message_author"),
    )
    op.create_index("ix_handoff_message_handoff_id", "handoff_message", ["handoff_id"])
    op.create_table(
        "handoff_staff_presence",
        sa.Column("staff_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("staff_id"),
    )


def downgrade() -> None:
    op.drop_table("handoff_staff_presence")
    op.drop_index("ix_handoff_message_handoff_id", table_name="handoff_message")
    op.drop_table("handoff_message")
    op.drop_index("ux_handoff_conversation_open_sender", table_name="handoff_conversation")
    op.drop_index("ix_handoff_conversation_sender_id", table_name="handoff_conversation")
    op.drop_table("handoff_conversation")
