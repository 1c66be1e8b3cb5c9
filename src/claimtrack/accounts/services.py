"""Creating users and checking passwords."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from claimtrack.accounts.models import Role, User
from claimtrack.audit import services as audit

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session, email: str, password: str, role: Role, display_name: str | None = None, actor: User | None = None
) -> User:
    """Create an active user with a scrypt password hash.

    :raise AccountError: for a malformed email, a short password or a taken email.
    """
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise AccountError(f"{email!r} is not an email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"a user with the email {email} already exists")
    user = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=generate_password_hash(password, method="scrypt"),
        role=role,
    )
    session.add(user)
    audit.record(session, actor, "create", user)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with that email and password, or None."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user
