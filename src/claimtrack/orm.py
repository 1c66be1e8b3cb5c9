"""The declarative base every model shares: naming convention, column types, enums."""

import datetime as dt
import enum
from typing import Annotated, Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Integer, MetaData, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints make Alembic migrations reproducible on both engines
# (SQLite's batch mode needs names to find constraints again).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no zone, so values read back would otherwise be naive and
    compare unequal to the aware values the application writes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("claimtrack stores timezone-aware datetimes only")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


def str_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: a VARCHAR holding the member values, with a CHECK constraint."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
#: The largest id an ``intpk`` holds on every engine: PostgreSQL's INTEGER is 32-bit, and refuses (an error,
#: not "no row") to compare it with a larger number.
MAX_ID = 2**31 - 1
created_at = Annotated[dt.datetime, mapped_column(UTCDateTime, default=utcnow)]
updated_at = Annotated[
    dt.datetime, mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dt.datetime: UTCDateTime,
        str: String(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


#: ``session.info`` key: True while the session serves the public, who see only what is published
#: (enforced under every query by :mod:`claimtrack.publishing.visibility`).
PUBLIC_VIEW = "claimtrack.public_view"
#: Execution option: this query may return retracted items, which it shows as such (a tombstone).
INCLUDE_RETRACTED = "claimtrack_include_retracted"
#: Execution option: this query counts every row, hidden ones included, to subtract the hidden ones
#: after (the search's totals come from its index, which knows no statuses).
EVERY_ROW = "claimtrack_every_row"
#: The public sees a statement in this state only; written as a literal so that SQLite's partial
#: index ``ix_statements_not_public`` (few rows: drafts and retractions) answers "which are hidden?".
NOT_PUBLIC_SQL = "statements.status <> 'published'"
#: The same condition as the partial index states it (an index names no table).
NOT_PUBLIC_INDEX_WHERE = "status <> 'published'"


class PublicationStatus(enum.Enum):
    """Where an item of the public record stands: the desk sees every state, the public only PUBLISHED."""

    #: On the desk, waiting for an editor's review.
    DRAFT = "draft"
    #: Reviewed and public.
    PUBLISHED = "published"
    #: Withdrawn with a public note; kept, never deleted.
    RETRACTED = "retracted"


class Reviewed:
    """Columns of an item that goes public only when an editor publishes it, and leaves only by retraction.

    ``version`` is bumped by every save, so a publish or an edit names the version a person read and
    a stale one is refused (the mapper also checks it at flush: see ``version_id_col``).
    """

    status: Mapped[PublicationStatus] = mapped_column(
        str_enum(PublicationStatus, "publication_status"), default=PublicationStatus.DRAFT
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    retracted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The public note of a retraction: why the item was withdrawn.
    retraction_note: Mapped[str | None] = mapped_column(Text)

    @property
    def is_published(self) -> bool:
        return self.status is PublicationStatus.PUBLISHED

    @property
    def is_retracted(self) -> bool:
        return self.status is PublicationStatus.RETRACTED

    @property
    def is_draft(self) -> bool:
        return self.status is PublicationStatus.DRAFT
