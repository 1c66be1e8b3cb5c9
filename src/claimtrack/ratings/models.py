from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimtrack.orm import Base, UTCDateTime, created_at, intpk, str_enum
from claimtrack.ratings.scales import Verdict, get_scale

if TYPE_CHECKING:
    from claimtrack.accounts.models import User
    from claimtrack.claims.models import Statement


class RatingStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    #: Withdrawn with a public note; kept, never deleted.
    RETRACTED = "retracted"


class RatingKind(enum.Enum):
    """Why a version follows a published one: newsrooms tell readers which it is."""

    #: New facts since (a prediction resolved, new evidence): the earlier version was right when made.
    UPDATE = "update"
    #: We got it wrong: the earlier version was in error.
    CORRECTION = "correction"

    @property
    def label(self) -> str:
        """How the public page, the feeds and ClaimReview say it: "Updated" or "Corrected"."""
        return "Updated" if self is RatingKind.UPDATE else "Corrected"

    @property
    def note_label(self) -> str:
        """The heading of the version's public note."""
        return "Update" if self is RatingKind.UPDATE else "Correction"


class Rating(Base):
    """One version of a verdict on a statement.

    Ratings are append-only: re-rating adds a row that ``supersedes`` the
    previous one, and a version that replaces a published rating says whether it
    is an update or a correction (``kind``) and carries its public note in
    ``correction_note``. ``Statement.current_rating`` points at the latest
    published version.
    """

    __tablename__ = "ratings"

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    scale: Mapped[str] = mapped_column(String(50))
    verdict: Mapped[str] = mapped_column(String(50))
    #: The publisher's own wording of the verdict, kept as given on import.
    verdict_text: Mapped[str | None] = mapped_column(String(200))
    #: The fact-check's title.
    headline: Mapped[str | None] = mapped_column(String(500))
    #: Markdown; sanitised when rendered.
    rationale: Mapped[str] = mapped_column(Text, default="")
    #: A list of {"url", "title"} objects.
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[RatingStatus] = mapped_column(str_enum(RatingStatus, "rating_status"), default=RatingStatus.DRAFT)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id", ondelete="SET NULL"))
    #: Update or correction; required when this version replaces a published rating, None before.
    kind: Mapped[RatingKind | None] = mapped_column(str_enum(RatingKind, "rating_kind"))
    #: The public note of either kind (the name predates kinds: API clients send it); required with ``kind``.
    correction_note: Mapped[str | None] = mapped_column(Text)
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    retracted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The public note of a retraction: why the version was withdrawn.
    retraction_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]
    #: Bumped by every save of the row (a draft edit, publishing). The desk and the API send back the
    #: version a person read, so a publish or an edit made to an older draft is refused; every ORM
    #: update also checks it at flush.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    statement: Mapped[Statement] = relationship(back_populates="ratings", foreign_keys=[statement_id])
    supersedes: Mapped[Rating | None] = relationship(remote_side="Rating.id")
    rater: Mapped[User | None] = relationship(foreign_keys=[rater_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def verdict_info(self) -> Verdict:
        return get_scale(self.scale).verdict(self.verdict)

    @property
    def verdict_label(self) -> str:
        return self.verdict_text or self.verdict_info.label

    @property
    def is_correction(self) -> bool:
        return self.kind is RatingKind.CORRECTION

    @property
    def is_published(self) -> bool:
        return self.status is RatingStatus.PUBLISHED

    @property
    def is_retracted(self) -> bool:
        return self.status is RatingStatus.RETRACTED
