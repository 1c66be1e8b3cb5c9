"""When a forward-looking statement is due for review: the one rule the claim page and the desk's queue ask.

A statement is due when it looks forward (it has an expected-by date), that date has passed,
no outcome is linked to it yet, and its current verdict does not settle it (there is none, or
it is one such as "pending" whose ``Verdict.settled`` is false). The rule is given twice, for a
loaded statement and as a SQL condition for lists; both read the same settling verdicts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, exists, false, or_

from claimtrack.claims.models import Statement
from claimtrack.orm import PublicationStatus
from claimtrack.outcomes.models import OutcomeLink
from claimtrack.ratings.models import Rating
from claimtrack.ratings.scales import SCALES, Verdict

#: Scale name -> the verdicts on it that settle how a statement stands.
SETTLING_VERDICTS = {
    scale.name: frozenset(v.name for v in scale.verdicts if v.settled) for scale in SCALES.values()
}


def is_due_for_review(
    expected_by: dt.date | None, today: dt.date, *, has_outcome: bool, current_verdict: Verdict | None
) -> bool:
    """Whether a statement with these facts is due for review on ``today``."""
    if expected_by is None or expected_by >= today or has_outcome:
        return False
    return current_verdict is None or not current_verdict.settled


def due_for_review_condition(today: dt.date) -> ColumnElement[bool]:
    """The same rule as a condition on ``Statement`` (see :func:`is_due_for_review`)."""
    settling = or_(false(), *(
        and_(Rating.scale == scale, Rating.verdict.in_(sorted(names)))
        for scale, names in SETTLING_VERDICTS.items() if names
    ))
    return and_(
        Statement.expected_by.is_not(None),
        Statement.expected_by < today,
        # Only a published outcome settles it: publishing a link publishes its outcome.
        ~exists().where(OutcomeLink.statement_id == Statement.id, OutcomeLink.status == PublicationStatus.PUBLISHED),
        ~exists().where(Rating.id == Statement.current_rating_id, settling),
    )
