"""Tables for staff accounts and the console's audit trail, in the directory database.

Their schema is made by migration 0002 in ``bot/directory/migrations/versions/``. They have
their own declarative base: the directory's ORUK tables and these are separate concerns that
happen to share a database (so a directory edit and its audit row commit together).
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()

ROLES = ("ward", "helpline", "admin")
ROLE_LABELS = {"ward": "Ward staff", "helpline": "Helpline staff", "admin": "Admin"}


class StaffAccount(Base):
    __tablename__ = "staff_account"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), nullable=False, unique=True)  # stored lower-case
    display_name = Column(Text, nullable=False)
    role = Column(String(16), nullable=False)
    password_hash = Column(Text, nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    # Part of every session cookie: raising it (sign-out, new password, disabling) ends all sessions.
    session_epoch = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    password_changed_at = Column(DateTime, nullable=False)


class DirectoryAudit(Base):
    """One change to a directory entry made in the console: who, when, what, and each field before/after."""

    __tablename__ = "directory_audit"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, index=True)
    account_id = Column(Integer, ForeignKey("staff_account.id"), nullable=True)
    username = Column(String(64), nullable=False)  # kept as it was then, even if the account changes later
    action = Column(String(16), nullable=False)  # add | edit | retire
    service_id = Column(String(255), nullable=False, index=True)
    changes = Column(JSON, nullable=False)  # {"field": [before, after], ...}
