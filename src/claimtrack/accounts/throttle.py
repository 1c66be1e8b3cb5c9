"""The login throttle: a growing delay per account, and a limit per client address.

The policy delays rather than locks (as the usual guidance on online guessing advises):

- **Account**: the first :data:`FREE_FAILURES` failed logins for an email cost nothing; after that,
  each failure makes the account wait 1, 2, 4, … seconds, at most :data:`MAX_DELAY`, before another
  password is checked. A success clears the count, and so does a day without failures. The account is
  never locked: once the delay is over, its owner's correct password succeeds, whatever was tried before.
- **Address**: at most :data:`ADDRESS_LIMIT` failed logins from one client address per
  :data:`ADDRESS_WINDOW`, over all emails (one password sprayed over many accounts). A success gives its
  attempt back, so an office behind one address is not stopped by its own logins. The address is the
  request's ``remote_addr``, which is the client's own once the app is told how many proxies it sits behind.

Attempts are counted in :class:`~claimtrack.accounts.models.LoginThrottle` rows (one per account or
address, not one audit event per failure) and are *reserved* before the password is checked: one
conditional UPDATE per counter counts the attempt as a failure only while the counter allows one. The
database serialises those UPDATEs (a row lock on PostgreSQL, the write lock on SQLite), so parallel guesses
get no more attempts than the same guesses made one after another. A success gives the reservation back.
Emails that belong to nobody are counted like any other, so the throttle does not reveal which exist.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, delete, literal, null, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from claimtrack.accounts.models import LoginThrottle, ThrottleKind, User
from claimtrack.accounts.services import normalise_email
from claimtrack.audit.models import AuditEvent
from claimtrack.orm import UTCDateTime, utcnow

#: Failed logins an account may make before the delays begin.
FREE_FAILURES = 5
#: The longest an account waits between two checked passwords.
MAX_DELAY = dt.timedelta(minutes=15)
#: An account's count starts again after this long without a failure; rows idle this long are deleted.
FORGET_AFTER = dt.timedelta(days=1)
#: Failed logins one client address may make per window, over all emails.
ADDRESS_LIMIT = 30
ADDRESS_WINDOW = dt.timedelta(minutes=15)
SUCCEEDED = "login"


@dataclass(frozen=True)
class Refusal:
    """An attempt that was not let through, and when the next one may be."""

    retry_at: dt.datetime
    now: dt.datetime

    @property
    def seconds(self) -> int:
        """Whole seconds to wait, at least one (for a Retry-After header)."""
        return max(1, math.ceil((self.retry_at - self.now).total_seconds()))


def delay_after(failures: int) -> dt.timedelta:
    """How long an account waits after ``failures`` consecutive failed logins."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=2 ** min(failures - FREE_FAILURES, 30)), MAX_DELAY)


def _when(value: dt.datetime) -> ColumnElement[dt.datetime]:
    return literal(value, UTCDateTime)


def _ensure_rows(session: Session, rows: list[dict[str, object]]) -> None:
    """Insert the counters that do not exist yet; a parallel attempt inserting the same one is no error."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(LoginThrottle).values(rows).on_conflict_do_nothing(index_elements=["kind", "key"]))


def _reserve_account(session: Session, email: str, now: dt.datetime) -> bool:
    """Count one failure for ``email`` if its delay is over; False when it is not."""
    row = LoginThrottle
    fresh = or_(row.last_failure_at.is_(None), row.last_failure_at <= now - FORGET_AFTER)
    before = case((fresh, 0), else_=row.failures)
    # The delay after this attempt, were it to fail, chosen by the count before it (portable: no SQL powers).
    steps = [(before == n - 1, _when(now + delay_after(n))) for n in range(FREE_FAILURES, FREE_FAILURES + 12)]
    retry_after = case((before < FREE_FAILURES - 1, null()), *steps, else_=_when(now + MAX_DELAY))
    reserved = session.execute(
        update(row)
        .where(row.kind == ThrottleKind.ACCOUNT, row.key == email, or_(row.retry_after.is_(None), row.retry_after <= now))
        .values(failures=before + 1, retry_after=retry_after, last_failure_at=now)
        .returning(row.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return reserved is not None


def _reserve_address(session: Session, address: str, now: dt.datetime) -> bool:
    """Count one failure for ``address`` if its window has room; False when it has none."""
    row = LoginThrottle
    expired = row.window_start <= now - ADDRESS_WINDOW
    reserved = session.execute(
        update(row)
        .where(row.kind == ThrottleKind.ADDRESS, row.key == address, or_(expired, row.failures < ADDRESS_LIMIT))
        .values(failures=case((expired, 1), else_=row.failures + 1),
                window_start=case((expired, _when(now)), else_=row.window_start),
                last_failure_at=now)
        .returning(row.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return reserved is not None


def _give_back_address(session: Session, address: str) -> None:
    row = LoginThrottle
    session.execute(
        update(row)
        .where(row.kind == ThrottleKind.ADDRESS, row.key == address)
        .values(failures=case((row.failures > 0, row.failures - 1), else_=0))
        .execution_options(synchronize_session=False)
    )


def _counter(session: Session, kind: ThrottleKind, key: str) -> LoginThrottle | None:
    return session.scalars(
        select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key)
        .execution_options(populate_existing=True)
    ).one_or_none()


def reserve_attempt(session: Session, email: str, address: str, now: dt.datetime | None = None) -> Refusal | None:
    """Let a login attempt through, counted as a failure until :func:`record_success` says otherwise;
    or refuse it, counting nothing.

    The caller commits at once, before checking the password: the count must hold whatever the request
    answers, and must not keep the database's write lock while the password hash is computed.
    """
    now = now or utcnow()
    email = normalise_email(email)
    session.execute(delete(LoginThrottle).where(
        LoginThrottle.last_failure_at <= now - FORGET_AFTER,
        # Not our own counters: they are about to be used (and a stale one starts again anyway).
        LoginThrottle.key.not_in([email, address]),
    ))
    for _attempt in range(2):
        _ensure_rows(session, [
            {"kind": ThrottleKind.ACCOUNT, "key": email, "failures": 0, "window_start": now},
            {"kind": ThrottleKind.ADDRESS, "key": address, "failures": 0, "window_start": now},
        ])
        if not _reserve_address(session, address, now):
            counter = _counter(session, ThrottleKind.ADDRESS, address)
            if counter is None:  # a parallel attempt deleted it as stale just now: insert it again
                continue
            return Refusal(counter.window_start + ADDRESS_WINDOW, now)
        if not _reserve_account(session, email, now):
            _give_back_address(session, address)
            counter = _counter(session, ThrottleKind.ACCOUNT, email)
            if counter is None:
                continue
            return Refusal(counter.retry_after or now, now)
        return None
    return Refusal(now, now)


def record_success(session: Session, email: str, address: str, user: User) -> AuditEvent:
    """Give back the reservation of a successful login, clear the account's count, and audit the login."""
    row = LoginThrottle
    session.execute(
        update(row)
        .where(row.kind == ThrottleKind.ACCOUNT, row.key == normalise_email(email))
        .values(failures=0, retry_after=None)
        .execution_options(synchronize_session=False)
    )
    _give_back_address(session, address)
    event = AuditEvent(actor_id=user.id, entity="users", entity_id=user.id, action=SUCCEEDED,
                       after={"email": user.email, "ip": address})
    session.add(event)
    session.flush()
    return event


def failed_logins(session: Session, emails: list[str]) -> dict[str, LoginThrottle]:
    """The failure counters of these accounts that hold failures, by email (for the team page)."""
    if not emails:
        return {}
    rows = session.scalars(select(LoginThrottle).where(
        LoginThrottle.kind == ThrottleKind.ACCOUNT, LoginThrottle.key.in_(emails), LoginThrottle.failures > 0))
    return {row.key: row for row in rows}
