from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimtrack.orm import Base, created_at, intpk

if TYPE_CHECKING:
    from claimtrack.claims.models import Statement


class Speaker(Base):
    __tablename__ = "speakers"

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
