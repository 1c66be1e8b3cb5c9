from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimtrack.orm import Base, UTCDateTime, intpk, utcnow

if TYPE_CHECKING:
    # Only for the annotation: audit sits below accounts, whose services write audit events.
    from claimtrack.accounts.models import User


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: Mapped[intpk]
    #: None for changes made by the system (imports, fixture loads).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: Table name of the changed row, e.g. "statements".
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(50))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]

    actor: Mapped[User | None] = relationship()


class SiteVersion(Base):
    """One row counting the commits that wrote anything: the public site's cheap validator.

    Bumped in the committing transaction by :mod:`claimtrack.publishing.data_version`, so a page,
    feed or sitemap built from the data seen at version N is still right while the counter reads N.
    """

    __tablename__ = "site_version"

    id: Mapped[intpk]
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
