"""The statement change log is written because an entry point asked for it, never because of an import."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.claims.changes import register_listeners
from claimtrack.claims.models import ChangeKind, StatementChange
from claimtrack.claims.services import log_statement

# A script with only the models and a bare session, as a benchmark or a one-off job would have.
BARE_SESSION_SCRIPT = textwrap.dedent(
    """
    import sys

    from sqlalchemy import select

    from claimtrack.claims.changes import register_listeners
    from claimtrack.claims.models import StatementChange
    from claimtrack.claims.services import log_statement
    from claimtrack.db import make_engine, make_session_factory, upgrade

    engine = make_engine(sys.argv[1])
    upgrade(engine)
    register_listeners()
    with make_session_factory(engine)() as session:
        statement = log_statement(session, "Words said once.", speaker=None)
        session.commit()
        logged = session.execute(select(StatementChange.statement_id, StatementChange.kind)).all()
    print(statement.id, [(sid, kind.value) for sid, kind in logged])
    print(sorted(name for name in sys.modules if name.startswith("claimtrack.spotting")))
    """
)


def test_a_bare_session_logs_statement_changes_without_importing_spotting(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bare.db'}"
    result = subprocess.run(
        [sys.executable, "-c", BARE_SESSION_SCRIPT, url], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    written, spotting_modules = result.stdout.splitlines()
    statement_id = written.split()[0]
    assert written == f"{statement_id} [({statement_id}, 'upsert')]"
    assert spotting_modules == "[]", "the change log must not need the spotting package"


def test_registering_the_listeners_again_logs_each_write_once(session: Session) -> None:
    register_listeners()
    register_listeners()
    statement = log_statement(session, "Words said twice over.", speaker=None)
    session.commit()
    kinds = session.scalars(select(StatementChange.kind).where(StatementChange.statement_id == statement.id)).all()
    assert kinds == [ChangeKind.UPSERT]
