"""Rating statements and publishing ratings. History is append-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.accounts.permissions import may_edit_draft, may_publish
from claimtrack.audit import services as audit
from claimtrack.claims.models import Statement
from claimtrack.errors import Conflict, Invalid, PermissionDenied
from claimtrack.orm import utcnow
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.ratings.scales import check_verdict


def _checked(statement: Statement, scale: str, verdict: str, correction_note: str | None) -> str | None:
    """The correction note to store, once the verdict is known to exist on its scale.

    :raise Invalid: for an unknown scale or verdict (see :func:`check_verdict`); on ``correction_note``
        when a published rating is being corrected without saying what changes.
    """
    check_verdict(scale, verdict)
    note = (correction_note or "").strip() or None
    if statement.current_rating is not None and note is None:
        raise Invalid(
            "this statement has a published rating: say what the new rating corrects", field="correction_note"
        )
    return note


def rate_statement(
    session: Session,
    statement: Statement,
    *,
    scale: str,
    verdict: str,
    rationale: str = "",
    headline: str | None = None,
    evidence: list[dict[str, Any]] | None = None,
    correction_note: str | None = None,
    verdict_text: str | None = None,
    actor: User | None = None,
) -> Rating:
    """Add a draft rating version to ``statement``.

    A version that follows a published rating must say what it corrects.

    :raise Invalid: for an unknown scale or verdict, or a missing correction note (see :func:`_checked`).
    """
    note = _checked(statement, scale, verdict, correction_note)
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
    correction_note: str | None = None,
    actor: User,
) -> Rating:
    """Change a draft in place: until it is published, nobody has read it, so no new version is needed.

    :raise Conflict: when it is published (correct it with a new version instead).
    :raise PermissionDenied: when ``actor`` may not edit it.
    :raise Invalid: for an unknown verdict, or a correction without its note.
    """
    if rating.is_published:
        raise Conflict("this rating is published; rate the statement again to correct it")
    if not may_edit_draft(actor, rating):
        raise PermissionDenied("only its rater, an editor or an admin may change a draft")
    note = _checked(rating.statement, scale, verdict, correction_note)
    before = audit.snapshot(rating)
    rating.scale, rating.verdict, rating.verdict_text = scale, verdict, None
    rating.rationale, rating.headline, rating.evidence = rationale, headline, evidence or []
    rating.correction_note = note
    audit.record(session, actor, "update", rating, before=before)
    return rating


def publish_rating(session: Session, rating: Rating, actor: User | None) -> Rating:
    """Publish a draft and make it the statement's current rating.

    ``actor`` None means the system (fixture loads, imports).

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Conflict: when it is already published.
    """
    if actor is not None and not may_publish(actor):
        raise PermissionDenied("only editors and admins publish ratings")
    if rating.is_published:
        raise Conflict("this rating is already published")
    before = audit.snapshot(rating)
    rating.status = RatingStatus.PUBLISHED
    rating.published_at = utcnow()
    rating.published_by_id = actor.id if actor else None
    rating.statement.current_rating = rating
    audit.record(session, actor, "publish", rating, before=before)
    return rating
