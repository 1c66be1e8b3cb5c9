"""Rules about statements that every way in asks: the desk's forms, the services and the API.

Flask-free, so a form turns the error into a field message and a service lets it propagate.
"""

from __future__ import annotations

import datetime as dt

from claimtrack.errors import Invalid


def check_expected_by(said_on: dt.date | None, expected_by: dt.date | None) -> None:
    """A prediction or promise cannot be due before it was made.

    :raise Invalid: (field "expected_by") when ``expected_by`` is before ``said_on``.
    """
    if said_on and expected_by and expected_by < said_on:
        raise Invalid("The expected-by date cannot be before the date it was said.", field="expected_by")


def check_statement(text: str, said_on: dt.date | None, expected_by: dt.date | None) -> None:
    """The rules every stored statement keeps, new or edited.

    :raise Invalid: on "text" when it is empty; see :func:`check_expected_by`.
    """
    if not text.strip():
        raise Invalid("A statement needs the words as said.", field="text")
    check_expected_by(said_on, expected_by)
