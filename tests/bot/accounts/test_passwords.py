"""Passwords are stored as salted scrypt hashes, checked in constant time, and never kept as text."""

from __future__ import annotations

import pytest

from bot.accounts.passwords import PasswordError, check_new_password, hash_password, verify_password


def test_a_hash_verifies_only_its_own_password() -> None:
    stored = hash_password("correct horse battery staple")
    assert "correct horse" not in stored and stored.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("correct horse battery stapl", stored)
    assert not verify_password("", stored)


def test_each_hash_has_its_own_salt() -> None:
    assert hash_password("same password twice") != hash_password("same password twice")


@pytest.mark.parametrize("stored", ["", "plain-text", "md5$abc", "scrypt$1$2$3$!!$??", "scrypt$x$8$1$AAAA$AAAA"])
def test_a_malformed_hash_never_verifies(stored: str) -> None:
    assert not verify_password("anything at all", stored)


@pytest.mark.parametrize(("password", "why"), [("short", "at least 12"), (" " * 20, "only spaces"),
                                              ("x" * 2000, "at most 1024")])
def test_weak_or_silly_passwords_are_refused(password: str, why: str) -> None:
    with pytest.raises(PasswordError, match=why):
        check_new_password(password)
