"""Limiting password guesses: at most MAX_FAILURES failed logins per email and IP address in WINDOW.

Failed logins are written to the audit trail (they are security events an admin
wants to see anyway), and the limit counts them there. Keeping the count in the
database rather than in memory makes it hold across worker processes and restarts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.accounts.services import normalise_email
from claimtrack.audit.models import AuditEvent
from claimtrack.orm import utcnow

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
FAILED = "login_failed"
SUCCEEDED = "login"


def _attempt_filter(action: str, email: str, ip: str, since: dt.datetime) -> list[ColumnElement[bool]]:
    return [
        AuditEvent.entity == "users",
        AuditEvent.action == action,
        AuditEvent.at >= since,
        AuditEvent.after["email"].as_string() == normalise_email(email),
        AuditEvent.after["ip"].as_string() == ip,
    ]


def failures_in_window(session: Session, email: str, ip: str, now: dt.datetime | None = None) -> int:
    """Failed logins for this email from this address in the window, since the last successful one."""
    since = (now or utcnow()) - WINDOW
    conditions = _attempt_filter(FAILED, email, ip, since)
    last_success = session.scalar(select(func.max(AuditEvent.at)).where(*_attempt_filter(SUCCEEDED, email, ip, since)))
    if last_success is not None:
        conditions.append(AuditEvent.at > last_success)
    return session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions)) or 0


def login_blocked(session: Session, email: str, ip: str, now: dt.datetime | None = None) -> bool:
    """True when this email and address have used up their attempts for now."""
    return failures_in_window(session, email, ip, now) >= MAX_FAILURES


def record_login_attempt(session: Session, email: str, ip: str, user: User | None, succeeded: bool) -> AuditEvent:
    """Write a login attempt to the audit trail (the caller commits, also for failures)."""
    event = AuditEvent(
        actor_id=user.id if user and succeeded else None,
        entity="users",
        entity_id=user.id if user else None,
        action=SUCCEEDED if succeeded else FAILED,
        after={"email": normalise_email(email), "ip": ip},
    )
    session.add(event)
    session.flush()
    return event
