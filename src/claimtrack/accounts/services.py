"""Creating and changing users, and checking passwords."""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from claimtrack.accounts.models import ApiToken, Role, User
from claimtrack.audit import services as audit
from claimtrack.errors import Conflict, Invalid
from claimtrack.orm import utcnow

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session, email: str, password: str, role: Role, display_name: str | None = None, actor: User | None = None
) -> User:
    """Create an active user with a scrypt password hash.

    :raise Invalid: on ``email`` for a malformed or taken email, on ``password`` for a short password.
    """
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise Invalid(f"{email!r} is not an email address", field="email")
    _check_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Invalid(f"a user with the email {email} already exists", field="email")
    user = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=_hash(password),
        role=role,
    )
    session.add(user)
    audit.record(session, actor, "create", user)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with that email and password, or None.

    The password is checked against a hash whether or not the email belongs to someone (a throw-away
    hash of the same kind when it does not), so the answer takes as long either way and does not tell
    an attacker which emails have accounts.
    """
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    matches = check_password_hash(user.password_hash if user is not None else _unknown_user_hash(), password)
    if user is None or not user.active or not matches:
        return None
    return user


@functools.cache
def _unknown_user_hash() -> str:
    # Made once per process, on the first login with an unknown email; nobody knows its password.
    return _hash(secrets.token_urlsafe(32))


def end_sessions(session: Session, user: User) -> None:
    """End every desk session of ``user`` at its next request, on every device.

    Raises the user's session epoch, which each login session carries (see ``User.get_id``); done in SQL
    so that two of these at once both count. Logging in again starts a session with the new epoch.
    """
    user.session_epoch = User.session_epoch + 1
    session.flush()
    session.refresh(user, ["session_epoch"])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"the password must have at least {MIN_PASSWORD_LENGTH} characters", field="password")


def _hash(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def _active_admins(session: Session) -> int:
    # Locking the admins' rows (on PostgreSQL; SQLite has one writer) keeps two admins who demote
    # each other at the same moment from both passing the "not the last admin" check.
    admins = select(User.id).where(User.role == Role.ADMIN, User.active).with_for_update()
    return len(session.scalars(admins).all())


def update_user(
    session: Session, user: User, *, display_name: str, role: Role, active: bool, actor: User | None = None
) -> User:
    """Change a user's name, role or whether they may log in.

    Deactivating ends the user's desk sessions and API tokens at their next request.

    :raise Invalid: on ``display_name`` when it is empty; without a field when an admin would
        lock themselves out.
    :raise Conflict: when it would leave no active admin.
    """
    display_name = display_name.strip()
    if not display_name:
        raise Invalid("a user needs a display name", field="display_name")
    loses_admin = user.role is Role.ADMIN and user.active and (role is not Role.ADMIN or not active)
    if loses_admin and actor is not None and actor.id == user.id:
        raise Invalid("you cannot remove your own admin rights or deactivate yourself; ask another admin")
    if loses_admin and _active_admins(session) <= 1:
        raise Conflict("this is the last active admin; make someone else an admin first")
    before = audit.snapshot(user)
    changes_access = user.active != active
    user.display_name, user.role, user.active = display_name, role, active
    if changes_access:
        # Deactivating ends sessions and tokens for good: reactivating the account revives neither.
        end_sessions(session, user)
        revoke_tokens_of(session, user, actor)
    audit.record(session, actor, "update", user, before=before)
    return user


def revoke_token(session: Session, token: ApiToken, actor: User | None) -> ApiToken:
    """Revoke ``token`` (audited); a revoked token stays as it was."""
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = utcnow()
        audit.record(session, actor, "revoke", token, before=before)
    return token


def revoke_tokens_of(session: Session, user: User, actor: User | None) -> list[ApiToken]:
    """Revoke every API token of ``user`` that is not revoked yet."""
    live = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    return [revoke_token(session, token, actor) for token in live]


def set_password(session: Session, user: User, password: str, actor: User | None = None) -> User:
    """Give ``user`` a new password (an admin's reset, or the user's own change after :func:`change_password`).

    Ends every desk session of the user (whoever may have learnt the old password is logged out); the
    desk logs the user back in on the device where they changed it themselves.

    :raise Invalid: on ``password`` when it is too short.
    """
    _check_password(password)
    user.password_hash = _hash(password)
    end_sessions(session, user)
    # The audit trail says that the password changed and who changed it, never the hash.
    audit.record(session, actor, "set password", user)
    return user


def change_password(session: Session, user: User, current: str, new: str) -> User:
    """The user's own change: the current password must be right.

    :raise Invalid: on ``current`` when it is not; on ``password`` when the new one is too short or the same.
    """
    if not check_password_hash(user.password_hash, current):
        raise Invalid("that is not your current password", field="current")
    if current == new:
        raise Invalid("choose a password different from the current one", field="password")
    return set_password(session, user, new, actor=user)
