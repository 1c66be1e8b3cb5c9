"""Writing and reading the statement change log.

Mapper events append a row in the same transaction as the change itself, so the
log can never disagree with the statements table: a rolled-back save leaves no
entry, and every path that goes through the ORM (desk, API, fixtures) is
covered without each service having to remember it. Bulk imports, which bypass
the ORM for speed, call :func:`log_upserts` or :func:`log_rebuild` themselves.

The events are registered by :func:`register_listeners`, called by every entry
point that writes statements (``create_app``, the fixture loader, the
benchmarks), never by importing this module: an import's side effect is too
easy to lose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, event, func, insert, select
from sqlalchemy.orm import Mapper, Session

from claimtrack.claims.models import ChangeKind, Statement, StatementChange

#: Above this many rows, a bulk write asks for a rebuild instead of logging each row.
BULK_REBUILD_THRESHOLD = 5000


def _log(connection: Connection, statement_id: int | None, kind: ChangeKind) -> None:
    connection.execute(insert(StatementChange).values(statement_id=statement_id, kind=kind))


def _statement_saved(_mapper: Mapper[Any], connection: Connection, target: Statement) -> None:
    _log(connection, target.id, ChangeKind.UPSERT)


def _statement_deleted(_mapper: Mapper[Any], connection: Connection, target: Statement) -> None:
    _log(connection, target.id, ChangeKind.DELETE)


_LISTENERS = (
    ("after_insert", _statement_saved),
    ("after_update", _statement_saved),
    ("after_delete", _statement_deleted),
)


def register_listeners() -> None:
    """Log every ORM write of a statement from now on, in this process; calling it again changes nothing."""
    for identifier, listener in _LISTENERS:
        if not event.contains(Statement, identifier, listener):
            event.listen(Statement, identifier, listener)


def log_rebuild(connection: Connection) -> None:
    """Ask every index to rebuild: cheaper than one entry per row after a large bulk write."""
    _log(connection, None, ChangeKind.REBUILD)


def log_upserts(connection: Connection, statement_ids: Sequence[int]) -> None:
    """Log statements written by a bulk path that bypassed the ORM events."""
    if statement_ids:
        connection.execute(
            insert(StatementChange),
            [{"statement_id": sid, "kind": ChangeKind.UPSERT} for sid in statement_ids],
        )


def latest_seq(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(StatementChange.seq), 0))) or 0


def changes_since(session: Session, seq: int) -> list[StatementChange]:
    return list(session.scalars(select(StatementChange).where(StatementChange.seq > seq).order_by(StatementChange.seq)))
