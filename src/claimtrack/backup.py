"""Copying a live SQLite database to a backup file that is consistent and checked.

SQLite's online backup copies the database page by page while the desk and
the site keep working; a write during the copy makes it start over on the
pages that changed, so the copy is always one consistent state. The copy is
written beside its destination and renamed into place only once SQLite has
checked it, so a backup file is either whole or absent. PostgreSQL has its own
tool for this, pg_dump, which claimtrack does not try to replace.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy import Engine

from claimtrack.config import create_private_file

#: Pages copied per step: small enough that writers are never held up for long.
PAGES_PER_STEP = 1024


class BackupError(ValueError):
    """The backup cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    statements: int


def backup_sqlite(engine: Engine, dest: Path, progress: Callable[[int, int], None] | None = None) -> BackupReport:
    """Copy ``engine``'s SQLite database to ``dest``; ``progress(copied, total)`` counts pages.

    :raise BackupError: for a PostgreSQL database, an existing ``dest``, or a copy that fails its check.
    """
    if engine.dialect.name != "sqlite":
        url = engine.url.render_as_string(hide_password=True).replace("postgresql+psycopg://", "postgresql://")
        raise BackupError(f"back up PostgreSQL with its own tool: pg_dump --format=custom --file={dest} '{url}'")
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose a new file, a backup never overwrites one")
    if not dest.parent.is_dir():
        raise BackupError(f"the folder {dest.parent} does not exist")
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    source = engine.raw_connection()
    try:
        # Owner-only from its first byte, as the database it copies (sqlite3 would create it readable by all).
        partial.unlink(missing_ok=True)  # left by a process of the same number that was killed mid-copy
        create_private_file(partial)
        target = sqlite3.connect(partial)
        try:
            report = (lambda _status, remaining, total: progress(total - remaining, total)) if progress else None
            # SQLAlchemy types a driver's connection as any DB-API one; the sqlite dialect's is sqlite3's.
            driver = cast(sqlite3.Connection, source.driver_connection)
            driver.backup(target, pages=PAGES_PER_STEP, progress=report)
            # One self-contained file for the archive (the copy inherits WAL mode; claimtrack turns it back on in use).
            target.execute("PRAGMA journal_mode = DELETE")
            check = target.execute("PRAGMA integrity_check").fetchone()
            if check != ("ok",):
                raise BackupError(f"the copy failed SQLite's integrity check ({check[0]}); nothing was written to {dest}")
            statements = target.execute("SELECT count(*) FROM statements").fetchone()[0]
        finally:
            target.close()
        partial.replace(dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return BackupReport(dest, dest.stat().st_size, statements)
