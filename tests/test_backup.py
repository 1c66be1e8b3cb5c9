"""Backups of a SQLite database that stays in use: consistent, checked, never partial."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from claimtrack import backup
from claimtrack.claims.importer import import_statements, numbered_lines
from claimtrack.claims.models import Statement
from claimtrack.orm import utcnow

# A backup reads the database through a connection of its own, so each test has a database of its own.
pytestmark = [pytest.mark.parametrize("engine_name", ["sqlite"]), pytest.mark.isolated_database]


def _fill(session: Session, n: int) -> None:
    lines = "".join(f'{{"id": "s{i}", "text": "Harbour dues rise by {i} percent this spring."}}\n' for i in range(n))
    import_statements(session, numbered_lines(lines.splitlines(keepends=True)))
    session.commit()


def test_a_write_during_the_copy_leaves_a_consistent_backup_that_includes_it(
    engine: Engine, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(session, 3000)
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 5)  # many small steps, so the write lands mid-copy
    steps: list[tuple[int, int]] = []

    def write_midway(copied: int, total: int) -> None:
        steps.append((copied, total))
        if len(steps) == 3:  # another connection writes while the copy is under way
            with engine.begin() as conn:
                now = utcnow()
                conn.execute(insert(Statement).values(text="Written during the backup.", said_on_precision="day",
                                                      language="en", created_at=now, updated_at=now, version=1))

    report = backup.backup_sqlite(engine, tmp_path / "copy.db", progress=write_midway)
    assert len(steps) > 3 and steps[-1][0] == steps[-1][1], "the copy ran in steps to the end"
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM statements").fetchone() == (3001,) == (report.statements,)
        assert copy.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'harbour'").fetchone() == (3000,)
    finally:
        copy.close()


def test_a_failed_copy_leaves_no_file(engine: Engine, session: Session, tmp_path: Path) -> None:
    _fill(session, 10)

    def fail(copied: int, total: int) -> None:
        raise RuntimeError("disk full")

    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(RuntimeError):
        backup.backup_sqlite(engine, folder / "copy.db", progress=fail)
    assert list(folder.iterdir()) == [], "neither the backup nor its partial copy is left"


def test_after_a_restore_the_match_index_follows_the_restored_database(engine: Engine, session: Session, tmp_path: Path) -> None:
    from claimtrack.claims.services import log_statement
    from claimtrack.db import make_engine, make_session_factory
    from claimtrack.spotting.live_index import LiveIndex

    _fill(session, 20)
    snapshots = tmp_path / "match-index"
    LiveIndex(snapshots).refresh(session)  # an older snapshot: the restored database can catch up from it
    backup.backup_sqlite(engine, tmp_path / "backup.db")
    log_statement(session, "A lighthouse opens after the backup was taken.", speaker=None)
    session.commit()
    LiveIndex(snapshots).refresh(session)  # a newer snapshot, of a state the backup never had
    restored = make_engine(f"sqlite:///{tmp_path / 'backup.db'}")
    try:
        with make_session_factory(restored)() as restored_session:
            index = LiveIndex(snapshots).refresh(restored_session)
            assert len(index) == 20 and index.search("lighthouse opens") == []
            log_statement(restored_session, "Ferries resume on Monday.", speaker=None)
            restored_session.commit()
            assert [m.doc_id for m in LiveIndex(snapshots).refresh(restored_session).search("ferries resume")][:1] != []
    finally:
        restored.dispose()
