"""Accounts: roles, argon2 password hashes, sign-in with lock-out, and the audit log.

Pure rules (roles, lock-out arithmetic) sit beside the few session calls that apply them, so the
sign-in page, the admin command and the tests share one implementation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.core.settings import load_settings
from ticketing.models.accounts import Account, AuditEntry

__all__ = ["Account", "AuditEntry", "AccountError", "SignInResult",
           "audit", "create_account", "find", "hash_password", "set_password", "sign_in"]
from ticketing.core.timefmt import utcnow
from ticketing.domain.vocabulary import ACCOUNT_ROLE_LABELS, DEPT_OFFICER

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

# RFC 9106 low-memory defaults. The test suite sets YIJIAN_TEST_FAST_HASH=1 for the cheapest
# parameters; a hash made that way is upgraded (check_needs_rehash) at the next real sign-in.
_HASHER = (PasswordHasher.from_parameters(profiles.CHEAPEST) if load_settings().test_fast_hash
           else PasswordHasher())
# Verified when the username is unknown, so both answers take the same time (no username probing).
_DUMMY_HASH = _HASHER.hash("not-a-real-password-0000")


class AccountError(ValueError):
    """A refused account change, with a message fit for the operator."""


@dataclass(frozen=True)
class SignInResult:
    """``account`` on success; otherwise ``reason`` is one of bad_credentials / locked / inactive."""

    account: Account | None
    reason: str | None = None
    locked_until: datetime | None = None


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def check_new_account(username: str, role: str, department: str | None, password: str) -> None:
    """Refuse malformed input before anything is written."""
    if not USERNAME.match(username):
        raise AccountError("username: 2-40 lowercase letters, digits, '.', '_' or '-'")
    if role not in ACCOUNT_ROLE_LABELS:
        raise AccountError(f"role must be one of: {', '.join(ACCOUNT_ROLE_LABELS)}")
    if (role == DEPT_OFFICER) != bool(department):
        raise AccountError("--department is required for dept_officer and only for it")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters")


def create_account(session: Session, *, username: str, role: str, password: str, display_name: str = "",
                   department: str | None = None, now: datetime | None = None) -> Account:
    """Add an account (caller commits); raises AccountError when the name is taken or input is bad."""
    check_new_account(username, role, department, password)
    if find(session, username) is not None:
        raise AccountError(f"user {username!r} already exists")
    account = Account(username=username, display_name=display_name or username, role=role,
                      department_code=department, password_hash=hash_password(password), active=True,
                      failed_count=0, session_version=1, created_at=now or utcnow())
    session.add(account)
    return account


def find(session: Session, username: str) -> Account | None:
    return session.scalar(select(Account).where(Account.username == username.strip().lower()))


def set_password(account: Account, password: str) -> None:
    """New hash and a new session version: every cookie issued with the old password stops working."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters")
    account.password_hash = hash_password(password)
    account.session_version += 1
    account.failed_count, account.locked_until = 0, None


def sign_in(session: Session, username: str, password: str, now: datetime | None = None) -> SignInResult:
    """Check a password, counting failures; the 5th failure locks the account for 15 minutes."""
    now = now or utcnow()
    account = find(session, username)
    if account is None:
        verify_password(_DUMMY_HASH, password)
        return SignInResult(None, "bad_credentials")
    if account.locked_until and account.locked_until > now:
        return SignInResult(None, "locked", account.locked_until)
    if account.locked_until:  # the lock has expired: start counting again
        account.failed_count, account.locked_until = 0, None
    if not verify_password(account.password_hash, password):
        account.failed_count += 1
        if account.failed_count >= MAX_FAILURES:
            account.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            return SignInResult(None, "locked", account.locked_until)
        return SignInResult(None, "bad_credentials")
    if not account.active:
        return SignInResult(None, "inactive")
    account.failed_count, account.last_login_at = 0, now
    if _HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return SignInResult(account)


def verify_password(stored: str, password: str) -> bool:
    """Does ``password`` match the stored Argon2 hash? A malformed hash is a mismatch, never an error."""
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def audit(session: Session, *, username: str, role: str, action: str, ticket_number: str | None = None,
          detail: str | None = None, ip: str | None = None, now: datetime | None = None) -> None:
    """Append one audit row (caller commits)."""
    session.add(AuditEntry(at=now or utcnow(), username=username[:40], role=role[:20], action=action[:30],
                           ticket_number=ticket_number, detail=detail, ip=(ip or "")[:64] or None))
