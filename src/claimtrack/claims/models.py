from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from claimtrack.orm import (
    NOT_PUBLIC_INDEX_WHERE,
    Base,
    Reviewed,
    UTCDateTime,
    created_at,
    intpk,
    str_enum,
    updated_at,
    utcnow,
)

if TYPE_CHECKING:
    from claimtrack.accounts.models import User
    from claimtrack.articles.models import Appearance
    from claimtrack.outcomes.models import OutcomeLink
    from claimtrack.ratings.models import Rating
    from claimtrack.speakers.models import Speaker


class SourceKind(enum.Enum):
    ARTICLE = "article"
    SPEECH = "speech"
    INTERVIEW = "interview"
    PRESS_CONFERENCE = "press_conference"
    SOCIAL_POST = "social_post"
    TRANSCRIPT = "transcript"
    OTHER = "other"


class DatePrecision(enum.Enum):
    """How much of ``said_on`` is known: a month-precise date is stored as the 1st."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class LinkRelation(enum.Enum):
    CONTRADICTS = "contradicts"
    SUPPORTS = "supports"
    REPEATS = "repeats"


class Source(Base):
    """Where a statement was said or reported."""

    __tablename__ = "sources"

    id: Mapped[intpk]
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    publisher: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, "source_kind"), default=SourceKind.ARTICLE)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[created_at]

    statements: Mapped[list[Statement]] = relationship(back_populates="source")


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)


statement_topics = Table(
    "statement_topics",
    Base.metadata,
    Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Statement(Reviewed, Base):
    """Words as a speaker said them, with the checkable claim they carry.

    A draft until an editor publishes it; once published, a change to what the public reads of it
    (the words, the speaker, the date, the source) is a :class:`StatementRevision` with a public note.
    """

    __tablename__ = "statements"
    __table_args__ = (
        Index("ix_statements_speaker_said_on", "speaker_id", "said_on"),
        # Few rows (drafts and retractions): what the public does not see, found without a scan.
        Index(
            "ix_statements_not_public", "id",
            sqlite_where=sql_text(NOT_PUBLIC_INDEX_WHERE), postgresql_where=sql_text(NOT_PUBLIC_INDEX_WHERE),
        ),
    )

    id: Mapped[intpk]
    #: The words as said (or as reported), never paraphrased.
    text: Mapped[str] = mapped_column(Text)
    #: The normalised, checkable form of the claim, when it differs from the words.
    claim: Mapped[str | None] = mapped_column(Text)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="RESTRICT"))
    said_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    said_on_precision: Mapped[DatePrecision] = mapped_column(
        str_enum(DatePrecision, "date_precision"), default=DatePrecision.DAY
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    context: Mapped[str | None] = mapped_column(Text)
    #: BCP 47 language tag of ``text``.
    language: Mapped[str] = mapped_column(String(35), default="en")
    #: For predictions and promises: when they should have come true.
    expected_by: Mapped[dt.date | None] = mapped_column(Date, index=True)
    #: The id a statement had in the system it was imported from.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: Headline of an existing fact-check of this statement, kept from imports; matching uses it.
    fact_check_title: Mapped[str | None] = mapped_column(Text)
    #: The latest published rating; drafts never become current.
    current_rating_id: Mapped[int | None] = mapped_column(
        ForeignKey("ratings.id", ondelete="SET NULL", use_alter=True), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]
    #: Bumped by every edit of the statement (see ``_bump_version``), not by a rating being published: a
    #: stale version in an edit means someone else saved first. Every ORM update checks it at flush.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    speaker: Mapped[Speaker | None] = relationship(back_populates="statements")
    source: Mapped[Source | None] = relationship(back_populates="statements")
    topics: Mapped[list[Topic]] = relationship(secondary=statement_topics, order_by=Topic.name)
    # Children go with their statement; the database cascades, the ORM does not load them first.
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="statement",
        foreign_keys="Rating.statement_id",
        order_by="Rating.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    current_rating: Mapped[Rating | None] = relationship(foreign_keys=[current_rating_id], post_update=True)
    appearances: Mapped[list[Appearance]] = relationship(
        back_populates="statement", order_by="Appearance.id", cascade="all, delete-orphan", passive_deletes=True
    )
    outcome_links: Mapped[list[OutcomeLink]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", passive_deletes=True
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    revisions: Mapped[list[StatementRevision]] = relationship(
        back_populates="statement", order_by="StatementRevision.number", cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Statement {self.id} {self.text[:40]!r}>"


#: Columns whose change is not an edit of the statement: publishing a rating sets ``current_rating_id``.
_NOT_EDITS = frozenset({"current_rating_id", "updated_at", "updated_by_id", "version"})


@event.listens_for(Statement, "before_update")
def _bump_version(mapper: Mapper[Statement], _connection: Connection, target: Statement) -> None:
    """Count edits only, so a form opened before a rating was published can still be saved."""
    state = inspect(target)
    edited = state.attrs.topics.history.has_changes() or any(
        state.attrs[attr.key].history.has_changes() for attr in mapper.column_attrs if attr.key not in _NOT_EDITS
    )
    if edited and not state.attrs.version.history.has_changes():
        target.version = target.version + 1  # reading it loads it when it was expired


class StatementRevision(Base):
    """What the public read of a published statement, one row per revision, with the note that explains it.

    Number 1 is the statement as first published, written when the first revision after it is made;
    each later number is a change to the words, the speaker, the date or the source, which the claim
    page shows with its note and a word-level diff. The speaker's name and the source's fields are
    copied, so a revision reads as it did even after the speaker is renamed or the source edited.
    """

    __tablename__ = "statement_revisions"
    __table_args__ = (UniqueConstraint("statement_id", "number", name="uq_statement_revisions_number"),)

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    speaker_name: Mapped[str | None] = mapped_column(String(300))
    said_on: Mapped[dt.date | None] = mapped_column(Date)
    said_on_precision: Mapped[DatePrecision] = mapped_column(
        str_enum(DatePrecision, "date_precision"), default=DatePrecision.DAY
    )
    source_url: Mapped[str | None] = mapped_column(String(2048))
    source_title: Mapped[str | None] = mapped_column(String(500))
    source_publisher: Mapped[str | None] = mapped_column(String(300))
    #: Why it changed, for readers; None for number 1.
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    statement: Mapped[Statement] = relationship(back_populates="revisions")
    #: Who made it; the desk shows it, the public page does not.
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class StatementLink(Reviewed, Base):
    """A relation between two statements: one contradicts, supports or repeats the other."""

    __tablename__ = "statement_links"
    __table_args__ = (
        UniqueConstraint("from_statement_id", "to_statement_id", "relation", name="uq_statement_links_pair"),
    )

    id: Mapped[intpk]
    from_statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    to_statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    relation: Mapped[LinkRelation] = mapped_column(str_enum(LinkRelation, "link_relation"))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    from_statement: Mapped[Statement] = relationship(foreign_keys=[from_statement_id])
    to_statement: Mapped[Statement] = relationship(foreign_keys=[to_statement_id])


class ChangeKind(enum.Enum):
    UPSERT = "upsert"
    DELETE = "delete"
    #: Too many statements changed at once (a bulk import): rebuild the index.
    REBUILD = "rebuild"


class StatementChange(Base):
    """An append-only log of changes to statements, read by every process's match index.

    Each worker remembers the last ``seq`` it applied and, before matching, reads
    only the newer rows, so a statement saved through the desk, the API or an
    import is matchable at once in every process, and a deleted one never matches.
    Written by :mod:`claimtrack.claims.changes`.
    """

    __tablename__ = "statement_changes"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    #: None for a REBUILD entry.
    statement_id: Mapped[int | None]
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, "change_kind"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
