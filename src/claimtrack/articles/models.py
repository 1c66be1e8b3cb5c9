from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimtrack.orm import Base, UTCDateTime, created_at, intpk, str_enum

if TYPE_CHECKING:
    from claimtrack.accounts.models import User
    from claimtrack.claims.models import Source, Statement
    from claimtrack.speakers.models import Speaker


class AppearanceStatus(enum.Enum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Article(Base):
    """A text that was checked for repeats of known statements."""

    __tablename__ = "articles"

    id: Mapped[intpk]
    url: Mapped[str | None] = mapped_column(String(2048), index=True)
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(300))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Plain text as extracted; appearance offsets index into it.
    text: Mapped[str] = mapped_column(Text)
    #: SHA-256 of ``text``, so the same text is stored once.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    appearances: Mapped[list[Appearance]] = relationship(back_populates="article")


class Appearance(Base):
    """A known statement said or reported again, found by the matcher or logged by hand."""

    __tablename__ = "appearances"
    __table_args__ = (Index("ix_appearances_statement_status", "statement_id", "status"),)

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    #: Who said it again, when it was not the original speaker or is known.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    appeared_on: Mapped[dt.date | None] = mapped_column(Date)
    matched_text: Mapped[str | None] = mapped_column(Text)
    #: Character offsets of ``matched_text`` in the article's text.
    start_offset: Mapped[int | None]
    end_offset: Mapped[int | None]
    #: Matcher score in [0, 1]; None when logged by hand.
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[AppearanceStatus] = mapped_column(
        str_enum(AppearanceStatus, "appearance_status"), default=AppearanceStatus.SUGGESTED
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[created_at]

    statement: Mapped[Statement] = relationship(back_populates="appearances")
    article: Mapped[Article | None] = relationship(back_populates="appearances")
    speaker: Mapped[Speaker | None] = relationship()
    source: Mapped[Source | None] = relationship()
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
