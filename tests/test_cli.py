"""The claimtrack command: migrations, fixtures, users; errors are one line and exit non-zero."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from claimtrack.accounts.models import Role, User
from claimtrack.db import make_engine, make_session_factory
from tests.servers import run_cli


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CLAIMTRACK_INSTANCE_PATH"] = str(tmp_path / "instance")
    env.pop("CLAIMTRACK_DATABASE_URL", None)
    return env


def test_default_database_is_a_sqlite_file_under_instance(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli(cli_env, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "instance" / "claimtrack.db").exists()
    secret = tmp_path / "instance" / "secret_key"
    assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"
    assert run_cli(cli_env, "db", "current").stdout.strip() != "base (no tables)"
    assert run_cli(cli_env, "db", "downgrade", "base").returncode == 0
    assert run_cli(cli_env, "db", "current").stdout.strip() == "base (no tables)"


def test_load_fixtures_twice_reports_nothing_new(cli_env: dict[str, str]) -> None:
    run_cli(cli_env, "db", "upgrade")
    first = run_cli(cli_env, "load-fixtures")
    assert first.returncode == 0 and "7 statements" in first.stdout
    second = run_cli(cli_env, "load-fixtures")
    assert second.returncode == 0 and "nothing new" in second.stdout


def test_users_create_reads_the_password_from_stdin(cli_env: dict[str, str], tmp_path: Path) -> None:
    run_cli(cli_env, "db", "upgrade")
    done = run_cli(cli_env, "users", "create", "Checker@Example.org", "--role", "fact_checker", stdin="a long enough secret\n")
    assert done.returncode == 0, done.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'instance' / 'claimtrack.db'}")
    with make_session_factory(engine)() as session:
        user = session.scalars(select(User)).one()
        assert (user.email, user.role) == ("checker@example.org", Role.FACT_CHECKER)
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "create", "a@example.org", "--role", "editor"], "short\n", "at least 10 characters"),
        (["users", "create", "not-an-email", "--role", "editor"], "a long enough secret\n", "is not an email address"),
        (["users", "create", "a@example.org", "--role", "boss"], "a long enough secret\n", "Invalid value for '--role'"),
    ],
)
def test_bad_user_input_is_one_clear_line(cli_env: dict[str, str], args: list[str], stdin: str, message: str) -> None:
    done = run_cli(cli_env, *args, stdin=stdin)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_unreachable_database_is_one_clear_line(cli_env: dict[str, str]) -> None:
    cli_env["CLAIMTRACK_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    done = run_cli(cli_env, "db", "current")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot use the database")


def test_an_import_while_another_process_writes_says_so_and_changes_nothing(cli_env: dict[str, str], tmp_path: Path) -> None:
    import sqlite3

    assert run_cli(cli_env, "db", "upgrade").returncode == 0
    lines = tmp_path / "one.jsonl"
    lines.write_text('{"id": "1", "text": "We are in the last ten metres."}\n', encoding="utf-8")
    writer = sqlite3.connect(tmp_path / "instance" / "claimtrack.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock past the 5 s busy timeout
        done = run_cli(cli_env, "import", "--no-index", str(lines))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert done.returncode == 1
    assert "database is locked; another process (an import?) is writing to it: nothing was changed" in done.stderr
    again = run_cli(cli_env, "import", "--no-index", str(lines))
    assert again.returncode == 0 and "1 new" in again.stdout


def test_db_backup_copies_a_consistent_checked_database_and_never_overwrites(cli_env: dict[str, str], tmp_path: Path) -> None:
    import sqlite3

    assert run_cli(cli_env, "db", "upgrade").returncode == 0
    assert run_cli(cli_env, "load-fixtures").returncode == 0
    dest = tmp_path / "backups" / "claimtrack-2026-11-26.db"
    missing_folder = run_cli(cli_env, "db", "backup", str(dest))
    assert missing_folder.returncode == 1 and "does not exist" in missing_folder.stderr
    dest.parent.mkdir()
    done = run_cli(cli_env, "db", "backup", str(dest))
    assert done.returncode == 0 and "backed up 7 statements" in done.stdout
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM statements").fetchone() == (7,)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() is not None
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",), "one self-contained file"
    finally:
        copy.close()
    before = dest.read_bytes()
    again = run_cli(cli_env, "db", "backup", str(dest))
    assert again.returncode == 1 and "already exists" in again.stderr and dest.read_bytes() == before
    assert [p.name for p in dest.parent.iterdir()] == [dest.name], "no partial file is left behind"
    # The copy is a working claimtrack database.
    restored = dict(cli_env, CLAIMTRACK_DATABASE_URL=f"sqlite:///{dest}")
    assert run_cli(restored, "db", "current").returncode == 0


def test_db_backup_on_postgresql_points_to_pg_dump(cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["CLAIMTRACK_DATABASE_URL"] = "postgresql://someone:secret@db.example/claimtrack"
    done = run_cli(cli_env, "db", "backup", str(tmp_path / "x.dump"))
    assert done.returncode == 1 and "pg_dump --format=custom" in done.stderr
    assert "secret" not in done.stderr, "the password is not printed"
