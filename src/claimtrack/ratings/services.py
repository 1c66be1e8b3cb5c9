"""Rating statements and publishing ratings. History is append-only.

A person's publish and draft edit name the ``version`` of the draft they read; when the draft was
saved since, they are refused with :class:`StaleRating`, so what goes public is what was reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.accounts.permissions import may_edit_draft, may_publish
from claimtrack.audit import services as audit
from claimtrack.claims.models import Statement
from claimtrack.errors import Conflict, Invalid, PermissionDenied
from claimtrack.orm import utcnow
from claimtrack.ratings.models import Rating, RatingKind, RatingStatus
from claimtrack.ratings.scales import check_verdict, get_scale


@dataclass(frozen=True)
class RatingVersion:
    """What a person reads of one version of a rating, to set two versions side by side."""

    version: int
    verdict: str
    verdict_label: str
    headline: str | None
    rationale: str
    correction_note: str | None = None
    evidence: list[Any] = field(default_factory=list)

    @classmethod
    def of(cls, rating: Rating) -> RatingVersion:
        return cls(rating.version, rating.verdict, rating.verdict_label, rating.headline, rating.rationale,
                   rating.correction_note, list(rating.evidence))

    @classmethod
    def from_record(cls, columns: dict[str, Any]) -> RatingVersion:
        """From the audit trail's snapshot of the rating's columns (one taken before the counter existed is version 1)."""
        label = columns.get("verdict_text") or get_scale(columns["scale"]).verdict(columns["verdict"]).label
        return cls(columns.get("version", 1), columns["verdict"], label, columns.get("headline"),
                   columns.get("rationale") or "", columns.get("correction_note"), list(columns.get("evidence") or []))


class StaleRating(Conflict):
    """The publish or edit was made to an older version of the draft than the stored one.

    ``rating`` is the draft as stored now; ``reviewed`` is the version the person read, as the audit
    trail recorded it (None when the trail has no record of it).
    """

    def __init__(self, rating: Rating, reviewed_version: int, reviewed: RatingVersion | None) -> None:
        headline = f", headline {rating.headline!r}" if rating.headline else ""
        super().__init__(
            f"Rating {rating.id} was changed by someone else: it is at version {rating.version} now "
            f"(verdict {rating.verdict_label!r}{headline}), not version {reviewed_version} you read. "
            "Nothing was changed: read it again and decide on the current version."
        )
        self.rating = rating
        self.reviewed_version = reviewed_version
        self.reviewed = reviewed


def recorded_version(session: Session, rating: Rating, version: int) -> RatingVersion | None:
    """``rating`` as it was at ``version``, from the audit trail; None when not recorded
    (see :func:`claimtrack.audit.services.recorded_state`)."""
    found = audit.recorded_state(session, rating, version)
    return RatingVersion.from_record(found) if found else None


def _check_version(session: Session, rating: Rating, version: int | None) -> None:
    """:raise StaleRating: when ``version`` is given and is not the stored one."""
    if version is not None and version != rating.version:
        raise StaleRating(rating, version, recorded_version(session, rating, version))


def _checked(
    statement: Statement, scale: str, verdict: str, kind: RatingKind | str | None, correction_note: str | None
) -> tuple[RatingKind | None, str | None]:
    """The kind and public note to store, once the verdict is known to exist on its scale.

    A first rating has no kind. A version that follows a published rating says whether it is an
    update (new facts) or a correction (we got it wrong), and its note says what is new or what was
    wrong: readers see both.

    :raise Invalid: for an unknown scale or verdict (see :func:`check_verdict`); on ``kind`` when a
        version after a published rating does not say which it is, or names no known kind; on
        ``correction_note`` when it does not say what changed.
    """
    check_verdict(scale, verdict)
    note = (correction_note or "").strip() or None
    if statement.current_rating is None:
        return None, note
    if not kind:
        raise Invalid(
            "this statement has a published rating: say whether the new version is an update or a correction",
            field="kind",
        )
    try:
        chosen = RatingKind(kind)
    except ValueError:
        raise Invalid("choose update or correction", field="kind") from None
    if note is None:
        what = "is new" if chosen is RatingKind.UPDATE else "was wrong"
        raise Invalid(
            f"this statement has a published rating: say what {what}; readers see this note", field="correction_note"
        )
    return chosen, note


def rate_statement(
    session: Session,
    statement: Statement,
    *,
    scale: str,
    verdict: str,
    rationale: str = "",
    headline: str | None = None,
    evidence: list[dict[str, Any]] | None = None,
    kind: RatingKind | str | None = None,
    correction_note: str | None = None,
    verdict_text: str | None = None,
    actor: User | None = None,
) -> Rating:
    """Add a draft rating version to ``statement``.

    A version that follows a published rating says whether it is an update or a correction, and why.

    :raise Invalid: for an unknown scale or verdict, or a missing kind or note (see :func:`_checked`).
    """
    chosen, note = _checked(statement, scale, verdict, kind, correction_note)
    previous = statement.ratings[-1] if statement.ratings else None
    rating = Rating(
        statement=statement,
        scale=scale,
        verdict=verdict,
        verdict_text=verdict_text,
        headline=headline,
        rationale=rationale,
        evidence=evidence or [],
        supersedes=previous,
        kind=chosen,
        correction_note=note,
        rater_id=actor.id if actor else None,
    )
    session.add(rating)
    audit.record(session, actor, "create", rating)
    return rating


def update_draft(
    session: Session,
    rating: Rating,
    *,
    scale: str,
    verdict: str,
    rationale: str = "",
    headline: str | None = None,
    evidence: list[dict[str, Any]] | None = None,
    kind: RatingKind | str | None = None,
    correction_note: str | None = None,
    actor: User,
    version: int,
) -> Rating:
    """Change a draft in place: until it is published, nobody has read it, so no new version is needed.

    ``version`` is the version of the draft the change was made to.

    :raise Conflict: when it is published (correct it with a new version instead) or retracted.
    :raise PermissionDenied: when ``actor`` may not edit it.
    :raise StaleRating: when the draft was saved since ``version``: the other person's change stays.
    :raise Invalid: for an unknown verdict, or a missing kind or note after a published rating.
    """
    if rating.is_published:
        raise Conflict("this rating is published; rate the statement again to correct it")
    if rating.is_retracted:
        raise Conflict("this rating was retracted; a retraction is final: rate the statement again instead")
    if not may_edit_draft(actor, rating):
        raise PermissionDenied("only its rater, an editor or an admin may change a draft")
    _check_version(session, rating, version)
    chosen, note = _checked(rating.statement, scale, verdict, kind, correction_note)
    before = audit.snapshot(rating)
    rating.scale, rating.verdict, rating.verdict_text = scale, verdict, None
    rating.rationale, rating.headline, rating.evidence = rationale, headline, evidence or []
    rating.kind, rating.correction_note = chosen, note
    audit.record(session, actor, "update", rating, before=before)
    return rating


def publish_rating(session: Session, rating: Rating, actor: User | None, *, version: int | None) -> Rating:
    """Publish a draft and make it the statement's current rating.

    ``version`` is the version of the draft the publisher reviewed. ``actor`` None means the system
    (fixture loads, imports), which may pass None for ``version`` as nobody reviewed anything; a
    person's publish always names it.

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Conflict: when it is already published, or was retracted (a retraction is final).
    :raise StaleRating: when the draft was saved since ``version``: nothing is published.
    :raise Invalid: on ``kind`` when the draft would replace a published rating but was started
        before there was one, so it does not say whether it updates or corrects it.
    :raise ValueError: when a person's publish names no version (a bug in the caller).
    """
    if actor is not None and version is None:
        raise ValueError("a person's publish must name the version of the draft they reviewed")
    if actor is not None and not may_publish(actor):
        raise PermissionDenied("only editors and admins publish ratings")
    if rating.is_published:
        raise Conflict("this rating is already published")
    if rating.is_retracted:
        raise Conflict("this rating was retracted; a retraction is final")
    _check_version(session, rating, version)
    if rating.statement.current_rating is not None and (rating.kind is None or not rating.correction_note):
        raise Invalid(
            "a rating was published since this draft was started: edit the draft to say whether it is an "
            "update or a correction, and why",
            field="kind",
        )
    statement = rating.statement
    if statement.is_retracted:
        raise Conflict(f"statement {statement.id} was retracted: its ratings are not published any more")
    before = audit.snapshot(rating)
    rating.status = RatingStatus.PUBLISHED
    rating.published_at = utcnow()
    rating.published_by_id = actor.id if actor else None
    statement.current_rating = rating
    audit.record(session, actor, "publish", rating, before=before)
    if statement.is_draft:
        # The editor reviewed the statement with its rating: both go public together.
        workflow.publish(session, statement, actor, version=statement.version)
    return rating


def verdict_after_retraction(rating: Rating) -> Rating | None:
    """The statement's current rating once ``rating`` is retracted: unchanged unless ``rating`` is current;
    then the latest published version before it (None: the statement reads as not yet rated)."""
    statement = rating.statement
    if statement.current_rating_id != rating.id:
        return statement.current_rating
    standing = [r for r in statement.ratings if r.is_published and r.id != rating.id]
    return max(standing, key=lambda r: (r.published_at or r.created_at, r.id), default=None)


def retract_rating(session: Session, rating: Rating, actor: User | None, *, note: str | None,
                   version: int | None = None) -> Rating:
    """Withdraw a published rating version with a public note; the row stays.

    When it was the current verdict, the latest published version before it becomes current again
    (none: the statement reads as not yet rated).

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Conflict: when it is a draft or retracted already.
    :raise StaleRating: when it changed since ``version``.
    :raise Invalid: on ``note`` when it is empty.
    """
    workflow.check_retractable(rating, actor)
    if version is not None:
        _check_version(session, rating, version)
    cleaned = workflow.checked_note(note)
    before = audit.snapshot(rating)
    rating.status = RatingStatus.RETRACTED
    workflow.mark_retracted(rating, actor, cleaned)
    statement = rating.statement
    if statement.current_rating_id == rating.id:
        statement.current_rating = verdict_after_retraction(rating)
    audit.record(session, actor, "retract", rating, before=before)
    return rating
