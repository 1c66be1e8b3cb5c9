"""API bearer tokens: created once and shown once; only their SHA-256 is kept.

A token is identified afterwards by its id or by a prefix of its fingerprint
(the hex SHA-256), which ``claimtrack tokens create`` prints.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import ApiToken, User
from claimtrack.accounts.services import normalise_email
from claimtrack.audit import services as audit
from claimtrack.errors import Invalid, NotFound
from claimtrack.orm import utcnow

TOKEN_PREFIX = "ct_"
MIN_FINGERPRINT_PREFIX = 6


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(session: Session, email: str, name: str | None = None, actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for the user with ``email``, and its secret (never stored).

    :raise NotFound: when there is no active user with that email.
    """
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        raise NotFound(f"no active user with the email {normalise_email(email)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, token_hash=fingerprint(secret), name=name)
    session.add(token)
    audit.record(session, actor, "create", token)
    return token, secret


#: The largest id a token can have (an INTEGER column: 32-bit on PostgreSQL).
MAX_ID = 2**31 - 1


def find_token(session: Session, id_or_prefix: str) -> ApiToken:
    """The token with this id, full secret, or fingerprint prefix.

    :raise NotFound: when none matches. :raise Invalid: when a prefix is too short or matches several.
    """
    key = id_or_prefix.strip()
    if key.isdigit() and int(key) <= MAX_ID:
        token = session.get(ApiToken, int(key))
        if token is not None:
            return token
        if len(key) < MIN_FINGERPRINT_PREFIX:
            raise NotFound(f"no API token with id {key}")
        # A fingerprint prefix may be all digits too (about one in a hundred of ten characters).
    if key.startswith(TOKEN_PREFIX):
        key = fingerprint(key)
    key = key.lower()
    if len(key) < MIN_FINGERPRINT_PREFIX:
        raise Invalid(f"give the token id or at least {MIN_FINGERPRINT_PREFIX} characters of its fingerprint")
    matches = session.scalars(select(ApiToken).where(ApiToken.token_hash.startswith(key, autoescape=True))).all()
    if not matches:
        raise NotFound(f"no API token with the fingerprint {key}")
    if len(matches) > 1:
        raise Invalid(f"the fingerprint prefix {key} matches {len(matches)} tokens; give more of it")
    return matches[0]


def revoke_token(session: Session, id_or_prefix: str, actor: User | None = None) -> ApiToken:
    """Revoke a token; revoking a revoked token changes nothing.

    :raise NotFound, Invalid: as :func:`find_token`.
    """
    token = find_token(session, id_or_prefix)
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = utcnow()
        audit.record(session, actor, "revoke", token, before=before)
    return token


def user_for_token(session: Session, secret: str) -> User | None:
    """The active user a live token belongs to, or None; notes when the token was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == fingerprint(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user
