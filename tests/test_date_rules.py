"""The date rules: nothing said or happened after today in UTC, with a day of grace for time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from claimtrack.claims.rules import check_appeared_on, check_said_on, check_statement, latest_possible_date
from claimtrack.errors import Invalid
from claimtrack.outcomes.rules import check_occurred_on

TODAY = dt.date(2026, 3, 10)


def test_the_latest_possible_date_is_tomorrow_in_utc() -> None:
    assert latest_possible_date(TODAY) == dt.date(2026, 3, 11)
    assert latest_possible_date() == dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)


def test_a_statement_said_today_or_tomorrow_in_utc_is_accepted_and_later_is_refused() -> None:
    check_said_on(TODAY, today=TODAY)
    check_said_on(TODAY + dt.timedelta(days=1), today=TODAY)  # a newsroom ahead of UTC is already there
    check_said_on(None, today=TODAY)
    with pytest.raises(Invalid) as refused:
        check_said_on(TODAY + dt.timedelta(days=2), today=TODAY)
    assert refused.value.field == "said_on" and "future" in refused.value.message


def test_an_outcome_dated_after_tomorrow_in_utc_is_refused() -> None:
    check_occurred_on(TODAY + dt.timedelta(days=1), today=TODAY)
    with pytest.raises(Invalid) as refused:
        check_occurred_on(TODAY + dt.timedelta(days=2), today=TODAY)
    assert refused.value.field == "occurred_on" and "future" in refused.value.message


def test_a_repeat_appearance_dated_after_tomorrow_in_utc_is_refused() -> None:
    check_appeared_on(TODAY + dt.timedelta(days=1), today=TODAY)
    check_appeared_on(None, today=TODAY)
    with pytest.raises(Invalid) as refused:
        check_appeared_on(TODAY + dt.timedelta(days=2), today=TODAY)
    assert refused.value.field == "appeared_on" and "future" in refused.value.message


def test_every_stored_statement_keeps_the_date_rule() -> None:
    with pytest.raises(Invalid) as refused:
        check_statement("Talks resume.", dt.date(2999, 1, 1), None)
    assert refused.value.field == "said_on"
