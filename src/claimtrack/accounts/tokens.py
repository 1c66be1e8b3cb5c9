"""API bearer tokens: created once and shown once; only their SHA-256 is kept.

A token is identified afterwards by its id or by a prefix of its fingerprint
(the hex SHA-256), which ``claimtrack tokens create`` prints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session, joinedload

from claimtrack.accounts import permissions, services
from claimtrack.accounts.models import ApiToken, User
from claimtrack.accounts.services import normalise_email
from claimtrack.audit import services as audit
from claimtrack.errors import Invalid, NotFound, PermissionDenied
from claimtrack.orm import MAX_ID, utcnow

TOKEN_PREFIX = "ct_"
MIN_FINGERPRINT_PREFIX = 6


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


#: How often a token's last use is written: at most once this long, so busy clients cost one write a minute.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def create_token(
    session: Session, email: str, name: str | None = None, actor: User | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the user with ``email``, and its secret (never stored).

    :raise NotFound: when there is no active user with that email.
    :raise Invalid: on ``expires`` when ``expires_at`` is not in the future.
    """
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        raise NotFound(f"no active user with the email {normalise_email(email)}")
    if expires_at is not None and expires_at <= utcnow():
        raise Invalid("a token must expire in the future", field="expires")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, token_hash=fingerprint(secret), name=(name or "").strip() or None, expires_at=expires_at)
    session.add(token)
    audit.record(session, actor, "create", token)
    return token, secret


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
    """Revoke a token (the command line: no permission check); revoking a revoked token changes nothing.

    :raise NotFound, Invalid: as :func:`find_token`.
    """
    return services.revoke_token(session, find_token(session, id_or_prefix), actor)


def revoke_token_as(session: Session, token_id: int, actor: User) -> ApiToken:
    """Revoke a token from the desk: one's own, or anyone's for an admin.

    :raise NotFound: when there is no such token. :raise PermissionDenied: for someone else's token.
    """
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"There is no API token number {token_id}.")
    if not permissions.may_revoke_token(actor, token.user_id):
        raise PermissionDenied("only its owner or an admin may revoke this token")
    return services.revoke_token(session, token, actor)


def tokens_for(user: User) -> Select[ApiToken]:
    """The tokens ``user`` sees on the desk, newest first: their own; an admin's, everyone's."""
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return query if permissions.may_manage_team(user) else query.where(ApiToken.user_id == user.id)


def all_tokens(email: str | None = None) -> Select[ApiToken]:
    """Every token, or those of the user with ``email``, oldest first (for the command line)."""
    query = select(ApiToken).join(ApiToken.user).options(joinedload(ApiToken.user)).order_by(ApiToken.id)
    return query.where(User.email == normalise_email(email)) if email else query


def live_token(session: Session, secret: str, now: dt.datetime | None = None) -> ApiToken | None:
    """The token with this secret when it is live (not revoked, not expired) and its user active; else None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == fingerprint(secret)))
    if token is None or not token.is_live(now or utcnow()) or not token.user.active:
        return None
    return token


def use_is_news(token: ApiToken, now: dt.datetime) -> bool:
    """Whether a use of ``token`` at ``now`` is worth writing (its last noted use is a minute old or more)."""
    return token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION


def note_use(session: Session, token_id: int, now: dt.datetime | None = None) -> None:
    """Write that the token was used at ``now``, unless a use less than a minute earlier was written.

    One conditional UPDATE: parallel requests of one client write it once.
    """
    now = now or utcnow()
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id,
               or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_RESOLUTION))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
