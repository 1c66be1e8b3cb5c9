"""Rules about statements that every way in asks: the desk's forms, the services and the API.

Flask-free, so a form turns the error into a field message and a service lets it propagate.
"""

from __future__ import annotations

import datetime as dt

from claimtrack.errors import Invalid

#: Days after today (UTC) still accepted as "today": a desk east of Greenwich is already on tomorrow.
DATE_GRACE_DAYS = 1


def latest_possible_date(today: dt.date | None = None) -> dt.date:
    """The last date that cannot yet be in the future anywhere: today in UTC plus a day of grace.

    UTC is the server's clock; the day of grace lets a newsroom ahead of UTC (up to UTC+14) log
    what was said on its own today. ``today`` stands in for the clock in tests.
    """
    return (today or dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=DATE_GRACE_DAYS)


def check_not_future(day: dt.date | None, *, field: str, message: str, today: dt.date | None = None) -> None:
    """Refuse a date after :func:`latest_possible_date` (today in UTC, with a day of grace).

    :raise Invalid: (on ``field``, saying ``message``) when ``day`` is in the future.
    """
    if day is not None and day > latest_possible_date(today):
        raise Invalid(message, field=field)


def check_said_on(said_on: dt.date | None, today: dt.date | None = None) -> None:
    """A statement cannot have been said in the future (after today in UTC, with a day of grace).

    :raise Invalid: (field "said_on") when ``said_on`` is in the future.
    """
    check_not_future(said_on, field="said_on", message="The date it was said cannot be in the future.", today=today)


def check_appeared_on(appeared_on: dt.date | None, today: dt.date | None = None) -> None:
    """A statement cannot have been said again in the future (after today in UTC, with a day of grace).

    :raise Invalid: (field "appeared_on") when ``appeared_on`` is in the future.
    """
    check_not_future(appeared_on, field="appeared_on", message="The date it was said again cannot be in the future.",
                     today=today)


def check_expected_by(said_on: dt.date | None, expected_by: dt.date | None) -> None:
    """A prediction or promise cannot be due before it was made.

    :raise Invalid: (field "expected_by") when ``expected_by`` is before ``said_on``.
    """
    if said_on and expected_by and expected_by < said_on:
        raise Invalid("The expected-by date cannot be before the date it was said.", field="expected_by")


def check_statement(text: str, said_on: dt.date | None, expected_by: dt.date | None) -> None:
    """The rules every stored statement keeps, new or edited.

    :raise Invalid: on "text" when it is empty; see :func:`check_said_on` and :func:`check_expected_by`.
    """
    if not text.strip():
        raise Invalid("A statement needs the words as said.", field="text")
    check_said_on(said_on)
    check_expected_by(said_on, expected_by)
