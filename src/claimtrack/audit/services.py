"""Writing the audit trail. Every service that changes data calls :func:`record`."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from claimtrack.audit.models import AuditEvent
from claimtrack.orm import Base

if TYPE_CHECKING:
    from claimtrack.accounts.models import User


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


#: Columns never copied into the audit trail.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})


def snapshot(obj: Base) -> dict[str, Any]:
    """The column values of ``obj`` as JSON-ready data, for before/after records."""
    mapper = inspect(obj).mapper
    return {
        attr.key: _jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in SECRET_COLUMNS
    }


def record(
    session: Session,
    actor: User | None,
    action: str,
    obj: Base,
    before: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event for ``obj`` after it changed; flushes so the id is known."""
    session.flush()
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        entity=obj.__tablename__,
        entity_id=getattr(obj, "id", None),
        action=action,
        before=before,
        after=snapshot(obj),
    )
    session.add(event)
    return event


def record_removal(session: Session, actor: User | None, action: str, obj: Base) -> AuditEvent:
    """Add an audit event for ``obj`` before it is deleted: what it was, and nothing after."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        entity=obj.__tablename__,
        entity_id=getattr(obj, "id", None),
        action=action,
        before=snapshot(obj),
        after=None,
    )
    session.add(event)
    return event


def recorded_state(session: Session, obj: Base, version: int) -> dict[str, Any] | None:
    """The columns of ``obj`` as they were at ``version``, from the audit trail; None when not recorded.

    Every audited save records the state after it, version included, so the latest event that left
    ``obj`` at ``version`` shows what a person read then. Events recorded before a table had a
    version counter name none: the item was at version 1 all that time.
    """
    states = session.scalars(
        select(AuditEvent.after)
        .where(AuditEvent.entity == obj.__tablename__, AuditEvent.entity_id == getattr(obj, "id", None))
        .order_by(AuditEvent.id.desc())
    )
    return next((state for state in states if state and state.get("version", 1) == version), None)
