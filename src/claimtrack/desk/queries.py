"""The desk's work lists: drafts, ratings awaiting publication, statements due for review, suggested matches."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import aliased, joinedload

from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.claims.models import Statement
from claimtrack.outcomes.review import due_for_review_condition
from claimtrack.ratings.models import Rating, RatingStatus

_newer = aliased(Rating)


def open_drafts() -> Select[Rating]:
    """Draft ratings that no later version replaced, oldest first (the longest waiting on top)."""
    return (
        select(Rating)
        .options(joinedload(Rating.statement).joinedload(Statement.speaker), joinedload(Rating.rater))
        .where(Rating.status == RatingStatus.DRAFT, ~exists().where(_newer.supersedes_id == Rating.id))
        .order_by(Rating.created_at, Rating.id)
    )


def drafts_by(user_id: int) -> Select[Rating]:
    return open_drafts().where(Rating.rater_id == user_id)


def drafts_by_others(user_id: int) -> Select[Rating]:
    return open_drafts().where((Rating.rater_id != user_id) | Rating.rater_id.is_(None))


def due_for_review(today: dt.date) -> Select[Statement]:
    """Statements due for review on ``today`` (see :mod:`claimtrack.outcomes.review`), the longest overdue first."""
    return (
        select(Statement)
        .options(joinedload(Statement.speaker), joinedload(Statement.current_rating))
        .where(due_for_review_condition(today))
        .order_by(Statement.expected_by, Statement.id)
    )


def suggested_matches(limit: int = 50) -> Select[Appearance]:
    """Appearances the matcher suggested and nobody reviewed yet, best scores first."""
    return (
        select(Appearance)
        .options(joinedload(Appearance.statement).joinedload(Statement.speaker), joinedload(Appearance.article))
        .where(Appearance.status == AppearanceStatus.SUGGESTED)
        .order_by(Appearance.score.desc().nulls_last(), Appearance.id)
        .limit(limit)
    )
