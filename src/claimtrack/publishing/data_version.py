"""The data version: a cheap validator for everything the public reads, without rendering anything.

Every commit that wrote a row bumps the one row of ``site_version`` in the same transaction, so a
reader who sees version N sees exactly the data of every commit up to N: a page, feed, sitemap or
API answer built at N stays right until the counter moves. Writes are noticed where every one of them
passes (the cursor), so the ORM, the importer's bulk inserts and any service added later are covered
alike. Flask-free: the web app, the command line and the tests share it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event, select, update
from sqlalchemy.orm import Session

from claimtrack.audit.models import SiteVersion
from claimtrack.orm import utcnow

#: ``Connection.info`` key: how many writing statements ran since the connection's last commit or rollback.
UNCOMMITTED_WRITES = "claimtrack.uncommitted_writes"
_WRITES = ("INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "REPLACE")


def _note_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:7].upper().startswith(_WRITES):
        conn.info[UNCOMMITTED_WRITES] = conn.info.get(UNCOMMITTED_WRITES, 0) + 1


def _forget_writes(conn: Connection) -> None:
    conn.info.pop(UNCOMMITTED_WRITES, None)


#: ``Session.info`` key: the connection's write count when the session's transaction began.
_WRITES_AT_BEGIN = "claimtrack.writes_at_begin"


def _remember_writes_at_begin(session: Session, _transaction: Any, connection: Connection) -> None:
    session.info[_WRITES_AT_BEGIN] = connection.info.get(UNCOMMITTED_WRITES, 0)


def _bump_before_commit(session: Session) -> None:
    if not session.in_transaction():
        return
    # before_commit runs before the commit's own flush: flush first so its writes are counted too.
    session.flush()
    # Compared with the count at begin: a connection may carry another session's writes (the tests share one).
    if session.connection().info.get(UNCOMMITTED_WRITES, 0) <= session.info.get(_WRITES_AT_BEGIN, 0):
        return
    session.execute(update(SiteVersion).values(version=SiteVersion.version + 1, changed_at=utcnow()))


def register_listeners() -> None:
    """Count writes on every connection and bump the version in each commit that wrote; idempotent."""
    for target, name, listener in (
        (Engine, "before_cursor_execute", _note_write),
        (Engine, "commit", _forget_writes),
        (Engine, "rollback", _forget_writes),
        (Session, "after_begin", _remember_writes_at_begin),
        (Session, "before_commit", _bump_before_commit),
    ):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)


def current(session: Session) -> str:
    """The version of the data ``session`` sees: the committed counter, and the writes this session's
    connection has made and not yet committed (nothing, outside tests that share one connection).

    The counter is read first: whatever the caller reads next is at least as new as the version it names.
    """
    number = session.scalar(select(SiteVersion.version).where(SiteVersion.id == 1)) or 0
    pending = session.connection().info.get(UNCOMMITTED_WRITES, 0)
    return f"{number}.{pending}"
