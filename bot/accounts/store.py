"""Staff accounts in the directory database: create, list, disable, change password, check a sign-in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.accounts.models import ROLES, StaffAccount
from bot.accounts.passwords import DUMMY_HASH, check_new_password, hash_password, verify_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(ValueError):
    """A request the store refuses; the message says why, in words for the person at the keyboard."""


@dataclass(frozen=True)
class Account:
    """An account as the rest of the program sees it (never with its password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    session_epoch: int
    created_at: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # stored as naive UTC on every database


def _account(row: StaffAccount) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        active=row.active,
        session_epoch=row.session_epoch,
        created_at=row.created_at,
    )


def normalise_username(username: str) -> str:
    return username.strip().lower()


class AccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, username: str, display_name: str, role: str, password: str) -> Account:
        username = normalise_username(username)
        if not USERNAME.match(username):
            raise AccountError(
                "A user name is 2 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit."
            )
        if role not in ROLES:
            raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
        if not display_name.strip():
            raise AccountError("Give the person's name, as colleagues know them.")
        check_new_password(password)
        with Session(self.engine, future=True) as session, session.begin():
            if session.execute(select(StaffAccount.id).where(StaffAccount.username == username)).first():
                raise AccountError(f"There is already an account called {username}.")
            now = _now()
            row = StaffAccount(
                username=username,
                display_name=display_name.strip(),
                role=role,
                password_hash=hash_password(password),
                active=True,
                session_epoch=0,
                created_at=now,
                password_changed_at=now,
            )
            session.add(row)
            session.flush()
            return _account(row)

    def get(self, account_id: int) -> Account | None:
        with Session(self.engine, future=True) as session:
            row = session.get(StaffAccount, account_id)
            return _account(row) if row else None

    def by_username(self, username: str) -> Account | None:
        with Session(self.engine, future=True) as session:
            row = session.execute(
                select(StaffAccount).where(StaffAccount.username == normalise_username(username))
            ).scalar_one_or_none()
            return _account(row) if row else None

    def all(self) -> list[Account]:
        with Session(self.engine, future=True) as session:
            rows = session.execute(select(StaffAccount).order_by(StaffAccount.username)).scalars()
            return [_account(r) for r in rows]

    def authenticate(self, username: str, password: str) -> Account | None:
        """The active account with this user name and password, else None (same work either way)."""
        with Session(self.engine, future=True) as session:
            row = session.execute(
                select(StaffAccount).where(StaffAccount.username == normalise_username(username))
            ).scalar_one_or_none()
            matches = verify_password(password, row.password_hash if row else DUMMY_HASH)
            return _account(row) if row and matches and row.active else None

    def set_password(self, username: str, password: str) -> Account:
        """New password; every session of the account ends."""
        check_new_password(password)
        return self._change(username, password_hash=hash_password(password), password_changed_at=_now())

    def disable(self, username: str) -> Account:
        """The account can no longer sign in, and every session of it ends at once."""
        return self._change(username, active=False)

    def enable(self, username: str) -> Account:
        return self._change(username, active=True)

    def end_sessions(self, account_id: int) -> None:
        """Signs the account out everywhere (used by 'Sign out')."""
        with Session(self.engine, future=True) as session, session.begin():
            session.execute(
                update(StaffAccount)
                .where(StaffAccount.id == account_id)
                .values(session_epoch=StaffAccount.session_epoch + 1)
            )

    def _change(self, username: str, **values: object) -> Account:
        with Session(self.engine, future=True) as session, session.begin():
            row = session.execute(
                select(StaffAccount).where(StaffAccount.username == normalise_username(username))
            ).scalar_one_or_none()
            if row is None:
                raise AccountError(f"There is no account called {normalise_username(username)}.")
            for key, value in values.items():
                setattr(row, key, value)
            row.session_epoch += 1
            session.flush()
            return _account(row)
