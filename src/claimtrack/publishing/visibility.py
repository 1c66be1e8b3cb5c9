"""The public sees the published record only: enforced once, under every query, not by each page.

While a session serves the public (``db.PUBLIC_VIEW``, set on every request until a desk user or a
token holder is let in), each ORM query is given criteria that keep drafts, retracted items and
unconfirmed appearances out, in the query itself, its joins, its subqueries and the relationships
it loads. A page added later inherits the rule; a page that wants to show a retracted item (the
claim page's tombstone, the read API's item answers) asks with :data:`INCLUDE_RETRACTED`.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.claims.models import Statement, StatementLink
from claimtrack.orm import EVERY_ROW, INCLUDE_RETRACTED, PUBLIC_VIEW, PublicationStatus
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.ratings.models import Rating, RatingStatus

_PUBLISHED = (PublicationStatus.PUBLISHED,)
_PUBLISHED_OR_RETRACTED = (PublicationStatus.PUBLISHED, PublicationStatus.RETRACTED)
_RATINGS = (RatingStatus.PUBLISHED,)
_RATINGS_OR_RETRACTED = (RatingStatus.PUBLISHED, RatingStatus.RETRACTED)


def _public_only(state: ORMExecuteState) -> None:
    if not state.session.info.get(PUBLIC_VIEW) or not state.is_select or state.is_column_load:
        return
    if state.execution_options.get(EVERY_ROW):
        return
    retracted = bool(state.execution_options.get(INCLUDE_RETRACTED))
    shown = _PUBLISHED_OR_RETRACTED if retracted else _PUBLISHED
    ratings = _RATINGS_OR_RETRACTED if retracted else _RATINGS
    state.statement = state.statement.options(
        with_loader_criteria(Statement, Statement.status.in_(shown), include_aliases=True),
        with_loader_criteria(StatementLink, StatementLink.status.in_(shown), include_aliases=True),
        with_loader_criteria(Outcome, Outcome.status.in_(shown), include_aliases=True),
        with_loader_criteria(OutcomeLink, OutcomeLink.status.in_(shown), include_aliases=True),
        with_loader_criteria(Rating, Rating.status.in_(ratings), include_aliases=True),
        with_loader_criteria(Appearance, Appearance.status == AppearanceStatus.CONFIRMED, include_aliases=True),
    )


def register_listeners() -> None:
    """Hold every session that serves the public to the rule; calling it again changes nothing."""
    if not event.contains(Session, "do_orm_execute", _public_only):
        event.listen(Session, "do_orm_execute", _public_only)
