"""What claimtrack writes to disk for itself is its owner's alone: the instance folder, the SQLite database
(with its -wal and -shm files), the secret key and backups, whatever the umask would allow."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from claimtrack import backup, config
from claimtrack.claims.services import log_statement
from claimtrack.db import make_engine
from claimtrack.spotting.live_index import LiveIndex


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual umask, which lets everyone read new files: the modes must not depend on it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_sqlite_database_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    engine = make_engine(f"sqlite:///{folder / 'claimtrack.db'}")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as connection:  # WAL mode: the -wal and -shm files exist while it is open
            connection.execute(text("SELECT * FROM t")).all()
            assert mode(folder) == 0o700
            for name in ("claimtrack.db", "claimtrack.db-wal", "claimtrack.db-shm"):
                assert mode(folder / name) == 0o600, name
    finally:
        engine.dispose()


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    """A folder the newsroom made (a shared data disk) is theirs to set: only the files are made private."""
    tmp_path.chmod(0o755)
    engine = make_engine(f"sqlite:///{tmp_path / 'claimtrack.db'}")
    with engine.connect():
        pass
    engine.dispose()
    assert mode(tmp_path) == 0o755 and mode(tmp_path / "claimtrack.db") == 0o600


def test_the_generated_secret_key_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    key = config.load_or_create_secret_key(folder)
    assert len(key) == 64
    assert mode(folder) == 0o700 and mode(folder / "secret_key") == 0o600
    assert config.load_or_create_secret_key(folder) == key


def test_a_backup_is_owner_only(tmp_path: Path, sqlite_template: Path) -> None:
    source = tmp_path / "live.db"
    shutil.copyfile(sqlite_template, source)
    engine = make_engine(f"sqlite:///{source}")
    try:
        report = backup.backup_sqlite(engine, tmp_path / "backup.db")
    finally:
        engine.dispose()
    assert mode(report.path) == 0o600


def test_the_match_index_snapshot_folder_is_owner_only(tmp_path: Path, session: Session) -> None:
    """It holds the words of drafts as well as published statements."""
    log_statement(session, "Ferries resume in spring.", speaker=None)
    session.commit()
    snapshots = tmp_path / "instance-less" / "match-index"
    LiveIndex(snapshots).refresh(session)
    assert mode(snapshots.parent) == 0o700 and mode(snapshots) == 0o700
