"""The claimtrack command: migrations, fixtures, users; errors are one line and exit non-zero.

Commands run in-process through the ``runner`` fixture against the test's database; one test runs the
installed console script end to end, and one needs another process to hold the database's write lock.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import create_app
from claimtrack.accounts.models import Role, User
from claimtrack.cli import main
from tests.servers import run_cli

#: The console script that pip installed next to this interpreter.
CONSOLE_SCRIPT = Path(sys.executable).with_name("claimtrack")


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CLAIMTRACK_INSTANCE_PATH"] = str(tmp_path / "instance")
    env.pop("CLAIMTRACK_DATABASE_URL", None)
    return env


@pytest.fixture
def runner_for(tmp_path: Path) -> Iterator[Callable[[str], FlaskCliRunner]]:
    """``runner_for(url)``: a runner for an app on the database at ``url`` (one that may not even exist)."""
    apps = []

    def make(url: str) -> FlaskCliRunner:
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "DATABASE_URL": url,
                          "MATCH_INDEX_DIR": str(tmp_path / "match-index")})
        apps.append(app)
        return app.test_cli_runner()

    yield make
    for app in apps:
        app.extensions["claimtrack.engine"].dispose()


@pytest.mark.slow
def test_default_database_is_a_sqlite_file_under_instance(cli_env: dict[str, str], tmp_path: Path) -> None:
    """End to end through the installed console script: migrate, load the demo, migrate down."""
    import subprocess

    def claimtrack(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CONSOLE_SCRIPT), *args], env=cli_env, capture_output=True, text=True, timeout=120)

    done = claimtrack("db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "instance" / "claimtrack.db").exists()
    secret = tmp_path / "instance" / "secret_key"
    assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"
    assert claimtrack("db", "current").stdout.strip() != "base (no tables)"
    loaded = claimtrack("load-fixtures")
    assert loaded.returncode == 0 and "7 statements" in loaded.stdout, loaded.stderr
    assert claimtrack("db", "downgrade", "base").returncode == 0
    assert claimtrack("db", "current").stdout.strip() == "base (no tables)"


def test_load_fixtures_twice_reports_nothing_new(runner: FlaskCliRunner) -> None:
    first = runner.invoke(main, ["load-fixtures"])
    assert first.exit_code == 0 and "7 statements" in first.stdout
    second = runner.invoke(main, ["load-fixtures"])
    assert second.exit_code == 0 and "nothing new" in second.stdout


def test_users_create_reads_the_password_from_stdin(runner: FlaskCliRunner, session: Session) -> None:
    done = runner.invoke(main, ["users", "create", "Checker@Example.org", "--role", "fact_checker"],
                         input="a long enough secret\n")
    assert done.exit_code == 0, done.stderr
    user = session.scalars(select(User)).one()
    assert (user.email, user.role) == ("checker@example.org", Role.FACT_CHECKER)


@pytest.mark.parametrize(("written", "role"), [("fact-checker", Role.FACT_CHECKER), ("Fact-Checker", Role.FACT_CHECKER),
                                             ("fact_checker", Role.FACT_CHECKER), ("EDITOR", Role.EDITOR)])
def test_users_create_takes_the_role_as_people_write_it(runner: FlaskCliRunner, session: Session,
                                                       written: str, role: Role) -> None:
    done = runner.invoke(main, ["users", "create", "checker@example.org", "--role", written],
                         input="a long enough secret\n")
    assert done.exit_code == 0, done.stderr
    assert session.scalars(select(User.role)).one() == role


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_users_create_help_lists_the_roles_as_the_docs_write_them(runner: FlaskCliRunner) -> None:
    done = runner.invoke(main, ["users", "create", "--help"])
    assert "[admin|editor|fact-checker]" in done.output
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "--role admin\\|editor\\|fact-checker" in readme


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_version_is_claimtracks_own(runner: FlaskCliRunner) -> None:
    from importlib.metadata import version

    done = runner.invoke(main, ["--version"])
    assert done.exit_code == 0
    assert done.output == f"claimtrack {version('claimtrack')}\n"


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_help_lists_only_claimtracks_commands_and_options(runner: FlaskCliRunner) -> None:
    done = runner.invoke(main, ["--help"])
    assert done.exit_code == 0
    commands = done.output.split("Commands:")[1].split()
    for command in ("db", "import", "load-fixtures", "match", "match-report", "serve", "tokens", "users"):
        assert command in commands
    for flask_only in ("--env-file", "--app", "--debug", "Flask"):
        assert flask_only not in done.output
    for flask_command in ("run", "shell", "routes"):
        assert flask_command not in commands
        assert runner.invoke(main, [flask_command]).exit_code != 0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "create", "a@example.org", "--role", "editor"], "short\n", "at least 10 characters"),
        (["users", "create", "not-an-email", "--role", "editor"], "a long enough secret\n", "is not an email address"),
        (["users", "create", "a@example.org", "--role", "boss"], "a long enough secret\n", "Invalid value for '--role'"),
    ],
)
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_bad_user_input_is_one_clear_line(runner: FlaskCliRunner, args: list[str], stdin: str, message: str) -> None:
    done = runner.invoke(main, args, input=stdin)
    assert done.exit_code != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_unreachable_database_is_one_clear_line(runner_for: Callable[[str], FlaskCliRunner]) -> None:
    done = runner_for("postgresql://nobody@127.0.0.1:1/none").invoke(main, ["db", "current"])
    assert done.exit_code == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot use the database")


@pytest.mark.slow
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


@pytest.mark.isolated_database
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_db_backup_copies_a_consistent_checked_database_and_never_overwrites(
    runner: FlaskCliRunner, runner_for: Callable[[str], FlaskCliRunner], tmp_path: Path
) -> None:
    import sqlite3

    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(main, ["load-fixtures"]).exit_code == 0
    dest = tmp_path / "backups" / "claimtrack-2026-11-26.db"
    missing_folder = runner.invoke(main, ["db", "backup", str(dest)])
    assert missing_folder.exit_code == 1 and "does not exist" in missing_folder.stderr
    dest.parent.mkdir()
    done = runner.invoke(main, ["db", "backup", str(dest)])
    assert done.exit_code == 0 and "backed up 7 statements" in done.stdout
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM statements").fetchone() == (7,)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() is not None
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",), "one self-contained file"
    finally:
        copy.close()
    before = dest.read_bytes()
    again = runner.invoke(main, ["db", "backup", str(dest)])
    assert again.exit_code == 1 and "already exists" in again.stderr and dest.read_bytes() == before
    assert [p.name for p in dest.parent.iterdir()] == [dest.name], "no partial file is left behind"
    # The copy is a working claimtrack database.
    assert runner_for(f"sqlite:///{dest}").invoke(main, ["db", "current"]).exit_code == 0


def test_db_backup_on_postgresql_points_to_pg_dump(runner_for: Callable[[str], FlaskCliRunner], tmp_path: Path) -> None:
    runner = runner_for("postgresql://someone:secret@db.example/claimtrack")
    done = runner.invoke(main, ["db", "backup", str(tmp_path / "x.dump")])
    assert done.exit_code == 1 and "pg_dump --format=custom" in done.stderr
    assert "secret" not in done.stderr, "the password is not printed"
