from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimtrack.orm import Base, Reviewed, created_at, intpk, str_enum

if TYPE_CHECKING:
    from claimtrack.claims.models import Statement


class OutcomeRelation(enum.Enum):
    CONFIRMS = "confirms"
    CONTRADICTS = "contradicts"
    PARTLY = "partly"


class Outcome(Reviewed, Base):
    """Something that happened, e.g. a deal signed or a deadline passing without one.

    Public only once published; an outcome link is public when it, its outcome and its statement are.
    """

    __tablename__ = "outcomes"

    id: Mapped[intpk]
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence_url: Mapped[str | None] = mapped_column(String(2048))
    evidence_title: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    links: Mapped[list[OutcomeLink]] = relationship(back_populates="outcome", cascade="all, delete-orphan")
    updates: Mapped[list[OutcomeUpdate]] = relationship(
        back_populates="outcome", order_by="OutcomeUpdate.id", cascade="all, delete-orphan", passive_deletes=True
    )


class OutcomeUpdate(Base):
    """A change to a published outcome, with the public note that explains it.

    Readers see the note beside the outcome; the row keeps what they read before the change, so
    the update erases nothing.
    """

    __tablename__ = "outcome_updates"

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    #: Why it changed, for readers.
    note: Mapped[str] = mapped_column(Text)
    #: The outcome as readers read it before this update.
    previous_description: Mapped[str] = mapped_column(Text)
    previous_occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    previous_evidence_url: Mapped[str | None] = mapped_column(String(2048))
    previous_evidence_title: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    outcome: Mapped[Outcome] = relationship(back_populates="updates")


class OutcomeLink(Reviewed, Base):
    __tablename__ = "outcome_links"
    __table_args__ = (UniqueConstraint("outcome_id", "statement_id", name="uq_outcome_links_pair"),)

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    relation: Mapped[OutcomeRelation] = mapped_column(str_enum(OutcomeRelation, "outcome_relation"))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    outcome: Mapped[Outcome] = relationship(back_populates="links")
    statement: Mapped[Statement] = relationship(back_populates="outcome_links")
