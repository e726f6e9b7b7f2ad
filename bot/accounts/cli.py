"""python -m bot accounts add|list|disable|enable|set-password: staff accounts for the console.

Passwords are read from a hidden prompt (asked twice), or from standard input with
--password-stdin (for scripts); never from the command line, where other users could see them.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.accounts.models import ROLE_LABELS, ROLES
from bot.accounts.passwords import MIN_PASSWORD_LENGTH, PasswordError, check_new_password
from bot.accounts.store import AccountError, AccountStore
from bot.directory.db import database_url, make_engine, upgrade_database


class PasswordEntryError(Exception):
    """No usable password was given."""


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise PasswordEntryError("No password on standard input.")
        return password
    if not sys.stdin.isatty():
        raise PasswordEntryError("No terminal to ask for the password: use --password-stdin.")
    password = getpass.getpass(f"New password (at least {MIN_PASSWORD_LENGTH} characters): ")
    check_new_password(password)
    if getpass.getpass("Same password again: ") != password:
        raise PasswordEntryError("The two passwords are not the same. Nothing was changed.")
    return password


def _store(args: argparse.Namespace) -> AccountStore:
    url = database_url(args.database_url)
    upgrade_database(url)
    return AccountStore(make_engine(url))


def _add(args: argparse.Namespace) -> int:
    store = _store(args)
    account = store.add(args.username, args.name, args.role, _read_password(args))
    print(f"Added {account.username} ({ROLE_LABELS[account.role]}). They can sign in at /console.")
    return 0


def _list(args: argparse.Namespace) -> int:
    accounts = _store(args).all()
    if not accounts:
        print("No accounts yet. Add one with: python -m bot accounts add USERNAME --name 'Full Name' --role admin")
        return 0
    for account in accounts:
        state = "active" if account.active else "disabled"
        print(f"{account.username:<24} {ROLE_LABELS[account.role]:<15} {state:<9} {account.display_name}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    account = _store(args).disable(args.username)
    print(f"Disabled {account.username}: they are signed out and cannot sign in.")
    return 0


def _enable(args: argparse.Namespace) -> int:
    account = _store(args).enable(args.username)
    print(f"Enabled {account.username}.")
    return 0


def _set_password(args: argparse.Namespace) -> int:
    store = _store(args)
    if store.by_username(args.username) is None:
        raise AccountError(f"There is no account called {args.username}.")
    account = store.set_password(args.username, _read_password(args))
    print(f"New password set for {account.username}; their other sessions have ended.")
    return 0


def _guarded(handler):
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (AccountError, PasswordError, PasswordEntryError) as error:
            print(error, file=sys.stderr)
            return 1
        except (KeyboardInterrupt, EOFError):
            print("\nNothing was changed.", file=sys.stderr)
            return 1

    return run


def add_account_commands(subparsers: argparse._SubParsersAction) -> None:
    accounts = subparsers.add_parser("accounts", help="staff console accounts (ward, helpline, admin)")
    accounts.add_argument("--database-url", help="directory database (default: DATABASE_URL or var/directory.db)")
    commands = accounts.add_subparsers(dest="accounts_command", required=True)

    add = commands.add_parser("add", help="add an account; asks for the password")
    add.add_argument("username", help="what they type to sign in, e.g. jsmith")
    add.add_argument("--name", required=True, help="their name as colleagues know it")
    add.add_argument("--role", required=True, choices=ROLES, help="ward, helpline or admin")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=_guarded(_add))

    commands.add_parser("list", help="list accounts").set_defaults(func=_guarded(_list))

    disable = commands.add_parser("disable", help="stop an account signing in (ends its sessions)")
    disable.add_argument("username")
    disable.set_defaults(func=_guarded(_disable))

    enable = commands.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("username")
    enable.set_defaults(func=_guarded(_enable))

    password = commands.add_parser("set-password", help="set a new password (ends the account's sessions)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    password.set_defaults(func=_guarded(_set_password))
