"""Rules about outcomes that every way in asks: the desk's forms, the services and the API.

Flask-free, so a form turns the error into a field message and a service lets it propagate.
"""

from __future__ import annotations

import datetime as dt

from claimtrack.claims.rules import check_not_future


def check_occurred_on(occurred_on: dt.date | None, today: dt.date | None = None) -> None:
    """An outcome cannot have happened in the future (after today in UTC, with a day of grace
    for newsrooms ahead of UTC; see :func:`claimtrack.claims.rules.latest_possible_date`).

    :raise Invalid: (field "occurred_on") when ``occurred_on`` is in the future.
    """
    check_not_future(
        occurred_on, field="occurred_on", message="The date it happened cannot be in the future.", today=today
    )
