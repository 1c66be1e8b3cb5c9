"""The login: equal work for known and unknown emails, a growing delay per account that never locks the
owner out, a limit per client address, counted atomically and without an audit event per failure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from claimtrack.accounts import services, throttle
from claimtrack.accounts.models import LoginThrottle, Role, ThrottleKind, User
from claimtrack.audit.models import AuditEvent
from claimtrack.orm import utcnow
from tests.desk.conftest import PASSWORD, MakeUser, see_committed, sqlite_only

WRONG = "not the password at all"


def _login(client: FlaskClient, email: str, password: str = PASSWORD, address: str = "127.0.0.1") -> TestResponse:
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def _counter(session: Session, kind: ThrottleKind, key: str) -> LoginThrottle:
    see_committed(session)
    return session.scalars(select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key)).one()


def _end_the_delay(session: Session, email: str) -> None:
    """Move the account's delay into the past, as waiting for it would."""
    session.execute(update(LoginThrottle).where(LoginThrottle.key == email)
                    .values(retry_after=utcnow() - dt.timedelta(seconds=1)))
    session.commit()


@pytest.fixture
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The password hashes the login checks against, in order (the real check still runs)."""
    checked: list[str] = []
    real = services.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", counting)
    return checked


@sqlite_only
def test_an_unknown_email_costs_the_same_password_check_as_a_known_one(
    client: FlaskClient, fact_checker: User, hash_checks: list[str]
) -> None:
    assert _login(client, fact_checker.email, WRONG).status_code == 200
    assert _login(client, "nobody-here@example.org", WRONG).status_code == 200
    assert len(hash_checks) == 2, "one hash check for each, whether the account exists or not"
    known, unknown = hash_checks
    assert known == fact_checker.password_hash
    assert unknown != known and unknown.split("$")[0] == known.split("$")[0], "the same kind and cost of hash"


@sqlite_only
def test_a_deactivated_account_costs_the_same_password_check_too(
    client: FlaskClient, make_user: MakeUser, hash_checks: list[str]
) -> None:
    user = make_user(Role.EDITOR, active=False)
    assert _login(client, user.email).status_code == 200
    assert hash_checks == [user.password_hash]


def test_after_the_free_failures_the_account_waits_then_the_right_password_still_works(
    client: FlaskClient, fact_checker: User, session: Session
) -> None:
    for _ in range(throttle.FREE_FAILURES):
        assert _login(client, fact_checker.email, WRONG).status_code == 200
    refused = _login(client, fact_checker.email)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert "Too many failed attempts. Try again in 1 second." in refused.get_data(as_text=True)
    assert client.get("/desk/").status_code == 302, "the right password is not checked during the delay"
    # The refused attempt did not lengthen the delay; once it is over, the owner gets in and the count is cleared.
    assert _counter(session, ThrottleKind.ACCOUNT, fact_checker.email).failures == throttle.FREE_FAILURES
    _end_the_delay(session, fact_checker.email)
    assert _login(client, fact_checker.email).status_code == 302
    assert client.get("/desk/").status_code == 200
    counter = _counter(session, ThrottleKind.ACCOUNT, fact_checker.email)
    assert counter.failures == 0 and counter.retry_after is None


def test_guessing_from_many_addresses_gets_no_more_attempts_at_an_account(
    client: FlaskClient, fact_checker: User
) -> None:
    for n in range(throttle.FREE_FAILURES):
        assert _login(client, fact_checker.email, WRONG, address=f"198.51.100.{n}").status_code == 200
    assert _login(client, fact_checker.email, WRONG, address="203.0.113.7").status_code == 429


def test_an_unknown_email_is_slowed_down_like_a_real_one(client: FlaskClient, session: Session, make_user: MakeUser) -> None:
    # Read from the counters, not the clock: on a loaded machine the first delay (one second) may pass
    # between two attempts, and a refusal could not be counted on.
    real = make_user(Role.EDITOR)
    for email in (real.email, "nobody-here@example.org"):
        for _ in range(throttle.FREE_FAILURES):
            assert _login(client, email, WRONG).status_code == 200
    known = _counter(session, ThrottleKind.ACCOUNT, real.email.lower())
    unknown = _counter(session, ThrottleKind.ACCOUNT, "nobody-here@example.org")
    assert known.failures == unknown.failures == throttle.FREE_FAILURES
    assert known.retry_after and known.last_failure_at and unknown.retry_after and unknown.last_failure_at
    assert known.retry_after - known.last_failure_at == unknown.retry_after - unknown.last_failure_at


def test_the_delay_doubles_up_to_a_cap(session: Session) -> None:
    start = utcnow()
    for n in range(throttle.FREE_FAILURES):
        assert throttle.reserve_attempt(session, "target@example.org", f"192.0.2.{n}", now=start) is None
    waits = []
    now = start
    for n in range(14):
        counter = _counter(session, ThrottleKind.ACCOUNT, "target@example.org")
        assert counter.retry_after is not None
        waits.append(counter.retry_after - now)
        refused = throttle.reserve_attempt(session, "target@example.org", "192.0.2.200", now=counter.retry_after
                                           - dt.timedelta(milliseconds=1))
        assert refused is not None and refused.retry_at == counter.retry_after
        now = counter.retry_after
        assert throttle.reserve_attempt(session, "target@example.org", f"192.0.2.{100 + n}", now=now) is None
    assert [w.total_seconds() for w in waits[:5]] == [1, 2, 4, 8, 16]
    assert max(waits) == throttle.MAX_DELAY and waits[-1] == throttle.MAX_DELAY


def test_one_address_may_fail_only_so_often_over_all_emails(session: Session) -> None:
    now = utcnow()
    for n in range(throttle.ADDRESS_LIMIT):
        assert throttle.reserve_attempt(session, f"person{n}@example.org", "192.0.2.1", now=now) is None
    refused = throttle.reserve_attempt(session, "someone-else@example.org", "192.0.2.1", now=now)
    assert refused is not None and refused.retry_at == now + throttle.ADDRESS_WINDOW
    assert _counter(session, ThrottleKind.ACCOUNT, "someone-else@example.org").failures == 0, "nothing counted"
    assert throttle.reserve_attempt(session, "someone-else@example.org", "192.0.2.2", now=now) is None
    later = now + throttle.ADDRESS_WINDOW
    assert throttle.reserve_attempt(session, "again@example.org", "192.0.2.1", now=later) is None
    assert _counter(session, ThrottleKind.ADDRESS, "192.0.2.1").failures == 1, "a new window"


def test_the_address_limit_answers_429_to_the_client_behind_it(
    client: FlaskClient, fact_checker: User, session: Session
) -> None:
    now = utcnow()
    for n in range(throttle.ADDRESS_LIMIT):
        throttle.reserve_attempt(session, f"sprayed{n}@example.org", "192.0.2.66", now=now)
    session.commit()
    refused = _login(client, fact_checker.email, address="192.0.2.66")
    assert refused.status_code == 429 and 800 < int(refused.headers["Retry-After"]) <= 900
    assert "Try again in 15 minutes." in refused.get_data(as_text=True)
    assert _login(client, fact_checker.email, address="192.0.2.67").status_code == 302


def test_logins_that_succeed_give_their_attempt_back_to_the_address(
    app: Flask, fact_checker: User, editor: User, session: Session
) -> None:
    for user in (fact_checker, editor, fact_checker):
        assert _login(app.test_client(), user.email, address="192.0.2.80").status_code == 302
    assert _login(app.test_client(), editor.email, WRONG, address="192.0.2.80").status_code == 200
    assert _counter(session, ThrottleKind.ADDRESS, "192.0.2.80").failures == 1


def test_failed_logins_are_counted_in_one_row_per_account_and_address_not_in_the_audit_trail(
    client: FlaskClient, fact_checker: User, session: Session
) -> None:
    for _ in range(3):
        _login(client, fact_checker.email, WRONG + " 123")
    see_committed(session)
    rows = session.scalars(select(LoginThrottle).order_by(LoginThrottle.kind)).all()
    assert [(row.kind, row.key, row.failures) for row in rows] == [
        (ThrottleKind.ACCOUNT, fact_checker.email, 3), (ThrottleKind.ADDRESS, "127.0.0.1", 3)]
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    assert _login(client, fact_checker.email).status_code == 302
    see_committed(session)
    login = session.scalars(select(AuditEvent)).one()
    assert (login.action, login.actor_id, login.after) == ("login", fact_checker.id, {"email": fact_checker.email, "ip": "127.0.0.1"})


def test_counters_idle_for_a_day_are_deleted(session: Session) -> None:
    old = utcnow() - throttle.FORGET_AFTER - dt.timedelta(minutes=1)
    throttle.reserve_attempt(session, "long-ago@example.org", "192.0.2.9", now=old)
    throttle.reserve_attempt(session, "today@example.org", "192.0.2.10")
    keys = set(session.scalars(select(LoginThrottle.key)))
    assert keys == {"today@example.org", "192.0.2.10"}


def test_the_team_page_shows_failed_logins_per_person(
    client_for: Callable[[User], FlaskClient], admin: User, fact_checker: User, app: Flask
) -> None:
    for _ in range(2):
        _login(app.test_client(), fact_checker.email, WRONG)
    page = client_for(admin).get("/desk/users").get_data(as_text=True)
    row = page[page.index(fact_checker.email):]
    row = row[:row.index("</tr>")]
    assert "<td>2, the last <time" in row


@pytest.mark.isolated_database
@pytest.mark.slow
def test_parallel_guesses_get_no_more_attempts_than_sequential_ones(app: Flask, make_user: MakeUser, session: Session) -> None:
    user = make_user(Role.EDITOR)
    # An account whose delay just ended, after enough failures that the next one makes it wait minutes.
    now = utcnow()
    session.add(LoginThrottle(kind=ThrottleKind.ACCOUNT, key=user.email, failures=throttle.FREE_FAILURES + 8,
                              window_start=now, last_failure_at=now, retry_after=now))
    session.commit()

    def guess(n: int) -> int:
        return _login(app.test_client(), user.email, WRONG, address=f"198.51.100.{n}").status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(guess, range(24)))
    assert statuses.count(200) == 1 and statuses.count(429) == 23, statuses
    counter = _counter(session, ThrottleKind.ACCOUNT, user.email)
    assert counter.failures == throttle.FREE_FAILURES + 9
    assert counter.retry_after is not None and counter.retry_after - now > dt.timedelta(minutes=8)
