from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimtrack.orm import Base, UTCDateTime, created_at, intpk, str_enum


class Role(enum.Enum):
    ADMIN = "admin"
    EDITOR = "editor"
    FACT_CHECKER = "fact_checker"


class User(Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    #: Stored lower-cased so that logins are case-insensitive.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]
    #: Part of every login session's id: raising it ends all of the user's desk sessions at their next
    #: request (on logout, a password change or reset, deactivation and reactivation).
    session_epoch: Mapped[int] = mapped_column(default=0)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"

    # The user protocol Flask-Login expects, written out so models never import Flask.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The id a login session stores: the user's id and session epoch (see :func:`parse_session_id`)."""
        return f"{self.id}:{self.session_epoch}"


def parse_session_id(value: str) -> tuple[int, int] | None:
    """The user id and session epoch in a login session's id, or None when it is not one of ours."""
    user_id, sep, epoch = value.partition(":")
    if not sep or not user_id.isdigit() or not epoch.isdigit() or len(value) > 40:
        return None
    return int(user_id), int(epoch)


class ApiToken(Base):
    """A bearer token for the write API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[created_at]
    #: Noted at most once a minute per token, so a busy client does not write on every request.
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: None: the token works until it is revoked.
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    def is_live(self, now: dt.datetime) -> bool:
        """Neither revoked nor expired at ``now`` (whether its user may log in is asked separately)."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ThrottleKind(enum.Enum):
    ACCOUNT = "account"
    ADDRESS = "address"


class LoginThrottle(Base):
    """Failed logins, counted per account (an email, known or not) or per client address: one row each.

    The aggregate the login throttle decides from, instead of one audit event per failure.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_login_throttles_kind_key"),)

    id: Mapped[intpk]
    kind: Mapped[ThrottleKind] = mapped_column(str_enum(ThrottleKind, "throttle_kind"))
    #: The normalised email for an account, the client address for an address.
    key: Mapped[str] = mapped_column(String(320))
    #: Failures since the last success (accounts) or since ``window_start`` (addresses).
    failures: Mapped[int] = mapped_column(default=0)
    #: When the address's current counting window began.
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    #: No attempt for this account is checked before this time (the growing delay).
    retry_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
