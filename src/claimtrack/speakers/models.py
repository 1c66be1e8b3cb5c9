from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimtrack.orm import Base, created_at, intpk, str_enum

if TYPE_CHECKING:
    from claimtrack.claims.models import Statement, Topic


class Speaker(Base):
    __tablename__ = "speakers"
    # SQLite would otherwise hand the id of a speaker merged away to the next one created,
    # and the read API's old address of the merged speaker would lead to a stranger.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    #: URL-safe unique handle used in public addresses (/speakers/<slug>).
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    #: Role or title as sources give it, e.g. "Kremlin spokesperson".
    role_title: Mapped[str | None] = mapped_column(String(300))
    affiliation: Mapped[str | None] = mapped_column(String(300))
    #: ISO 3166-1 alpha-2 code where known.
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[created_at]
    #: Bumped by every desk edit and merge (``speakers.management``), so a form opened before
    #: someone else's save is refused instead of overwriting it. Every ORM update checks it at flush.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.alias"
    )
    statements: Mapped[list[Statement]] = relationship(back_populates="speaker")

    def __repr__(self) -> str:
        return f"<Speaker {self.slug}>"


class SpeakerAlias(Base):
    """Another name a speaker goes by: a surname, a role ("the Kremlin"), a spelling."""

    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "alias", name="uq_speaker_aliases_speaker_alias"),)

    id: Mapped[intpk]
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class RedirectKind(enum.Enum):
    SPEAKER = "speaker"
    TOPIC = "topic"


class SlugRedirect(Base):
    """A public address that moved: the slug a speaker or topic had before a rename or a merge.

    ``/speakers/<old_slug>`` and ``/topics/<old_slug>`` answer a permanent redirect to where the
    speaker or topic is now, so links and bookmarks from before keep working. A live slug always
    wins over a redirect; new slugs avoid the old ones (``speakers.services.unique_slug``).
    """

    __tablename__ = "slug_redirects"
    __table_args__ = (
        UniqueConstraint("kind", "old_slug", name="uq_slug_redirects_kind_old_slug"),
        CheckConstraint(
            "(kind = 'speaker' AND speaker_id IS NOT NULL AND topic_id IS NULL)"
            " OR (kind = 'topic' AND topic_id IS NOT NULL AND speaker_id IS NULL AND old_speaker_id IS NULL)",
            name="one_target",
        ),
    )

    id: Mapped[intpk]
    kind: Mapped[RedirectKind] = mapped_column(str_enum(RedirectKind, "redirect_kind"))
    old_slug: Mapped[str] = mapped_column(String(200))
    #: Where a speaker's old slug leads now; a later merge moves it on to the speaker kept.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    #: The id of a speaker merged away, so the read API's address for it redirects too.
    old_speaker_id: Mapped[int | None] = mapped_column(unique=True)
    created_at: Mapped[created_at]

    speaker: Mapped[Speaker | None] = relationship()
    topic: Mapped[Topic | None] = relationship()
