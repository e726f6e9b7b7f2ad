"""Tables for handoffs (created by migration 0003 in bot/directory/migrations)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

QUEUED, ACTIVE, CLOSED = "queued", "active", "closed"
OPEN_STATES = (QUEUED, ACTIVE)
USER, STAFF, NOTICE = "user", "staff", "notice"
# Ids are Integer columns: 32 bits on PostgreSQL. A larger number from a request would fail in the database.
MAX_ID = 2**31 - 1

conversations = Table(
    "handoff_conversation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(64), nullable=False),
    Column("state", String(8), nullable=False),
    Column("area", String(32)),
    Column("requested_at", DateTime, nullable=False),
    Column("taken_at", DateTime),
    Column("closed_at", DateTime),
    Column("close_reason", String(16)),
    Column("staff_id", Integer),
    Column("staff_name", Text),
)

messages = Table(
    "handoff_message",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("handoff_id", Integer, ForeignKey("handoff_conversation.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("author", String(8), nullable=False),
    Column("staff_id", Integer),
    Column("staff_name", Text),
    Column("text", Text, nullable=False),
    Column("client_message_id", String(64)),
    Column("urgent", Boolean, nullable=False, default=False),
)

presence = Table(
    "handoff_staff_presence",
    metadata,
    Column("staff_id", Integer, primary_key=True, autoincrement=False),
    Column("staff_name", Text, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)
