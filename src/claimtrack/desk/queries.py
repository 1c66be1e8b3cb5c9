"""The desk's work lists: what waits for review, statements due for review, suggested matches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, Subquery, exists, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased, joinedload

from claimtrack.accounts.models import User
from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.claims.models import Statement, StatementLink
from claimtrack.orm import PublicationStatus
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.outcomes.review import due_for_review_condition
from claimtrack.ratings.models import Rating, RatingStatus

_newer = aliased(Rating)
_DRAFT = PublicationStatus.DRAFT
_RETRACTED = PublicationStatus.RETRACTED


def _not_retracted(statement_id: Any) -> ColumnElement[bool]:
    """The statement is not retracted: what hangs on a retracted statement can never be published."""
    return ~exists().where(Statement.id == statement_id, Statement.status == _RETRACTED)


def _waiting_rows() -> Subquery:
    """One row per draft an editor may publish: (kind, id, created_at, creator_id).

    Draft ratings count only while no later version replaced them; links only while neither end
    was retracted (publishing them would be refused).
    """

    def rows(kind: str, model: Any, creator: Any, *where: ColumnElement[bool]) -> Select[Any]:
        return select(
            literal(kind, String).label("kind"), model.id.label("id"),
            model.created_at.label("created_at"), creator.label("creator_id"),
        ).where(*where)

    return union_all(
        rows("statement", Statement, Statement.created_by_id, Statement.status == _DRAFT),
        rows("rating", Rating, Rating.rater_id, Rating.status == RatingStatus.DRAFT,
             ~exists().where(_newer.supersedes_id == Rating.id), _not_retracted(Rating.statement_id)),
        rows("outcome", Outcome, Outcome.created_by_id, Outcome.status == _DRAFT),
        rows("outcome_link", OutcomeLink, OutcomeLink.created_by_id, OutcomeLink.status == _DRAFT,
             _not_retracted(OutcomeLink.statement_id),
             ~exists().where(Outcome.id == OutcomeLink.outcome_id, Outcome.status == _RETRACTED)),
        rows("statement_link", StatementLink, StatementLink.created_by_id, StatementLink.status == _DRAFT,
             _not_retracted(StatementLink.from_statement_id), _not_retracted(StatementLink.to_statement_id)),
    ).subquery()


@dataclass(frozen=True)
class Waiting:
    """A draft waiting for an editor: what kind it is, the item (loaded), who made it and when."""

    kind: str
    item: Any
    created_at: dt.datetime
    creator: User | None


#: How each kind of draft is loaded for the list: its model and what its line shows of it.
_LOADERS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    "statement": (Statement, (joinedload(Statement.speaker),)),
    "rating": (Rating, (joinedload(Rating.statement).joinedload(Statement.speaker),)),
    "outcome": (Outcome, ()),
    "outcome_link": (OutcomeLink, (joinedload(OutcomeLink.outcome), joinedload(OutcomeLink.statement))),
    "statement_link": (StatementLink, (joinedload(StatementLink.from_statement), joinedload(StatementLink.to_statement))),
}


def count_waiting(session: Session) -> int:
    """How many drafts wait for review, of every kind."""
    return session.scalar(select(func.count()).select_from(_waiting_rows())) or 0


def waiting_for_review(session: Session, *, limit: int, offset: int = 0) -> list[Waiting]:
    """Drafts of every kind (statements, ratings, outcomes, outcome links, statement links), the
    longest waiting first; one query for the page of rows, then one per kind shown and one for the people."""
    waiting = _waiting_rows()
    page: Sequence[Any] = session.execute(
        select(waiting).order_by(waiting.c.created_at, waiting.c.kind, waiting.c.id).limit(limit).offset(offset)
    ).all()
    items: dict[tuple[str, int], Any] = {}
    for kind, (model, options) in _LOADERS.items():
        ids = [row.id for row in page if row.kind == kind]
        if ids:
            items.update({(kind, obj.id): obj for obj in session.scalars(select(model).options(*options).where(model.id.in_(ids)))})
    creator_ids = {row.creator_id for row in page if row.creator_id is not None}
    people = {u.id: u for u in session.scalars(select(User).where(User.id.in_(creator_ids)))} if creator_ids else {}
    return [
        Waiting(row.kind, items[(row.kind, row.id)], row.created_at, people.get(row.creator_id))
        for row in page if (row.kind, row.id) in items
    ]


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
