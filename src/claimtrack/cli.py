"""The ``claimtrack`` command. Thin: each command calls a service and commits once."""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import current_app
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from claimtrack import create_app, db
from claimtrack.accounts.models import Role
from claimtrack.accounts.services import AccountError, create_user
from claimtrack.demo import load_fixtures

F = TypeVar("F", bound=Callable[..., Any])


def one_line_errors(func: F) -> F:
    """Turn expected failures into a single ``Error: ...`` line and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            raise click.ClickException(f"cannot use the database: {str(exc.orig).strip().splitlines()[0]}") from None
        except (AccountError, ValueError, FileNotFoundError) as exc:
            raise click.ClickException(str(exc)) from None
        except SQLAlchemyError as exc:
            raise click.ClickException(f"database error: {str(exc).splitlines()[0]}") from None

    return wrapper  # type: ignore[return-value]


main = FlaskGroup(
    create_app=lambda: create_app(),
    load_dotenv=False,
    set_debug_flag=False,
    help="claimtrack: log, rate and track claims, and spot them when they are repeated.",
)


@main.group("db")
def db_group() -> None:
    """Create or migrate the database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@one_line_errors
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    db.upgrade(db.get_engine(), revision)
    click.echo(f"database at revision {db.current_revision(db.get_engine())}")


@db_group.command("downgrade")
@click.argument("revision")
@one_line_errors
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ("base" removes every table)."""
    db.downgrade(db.get_engine(), revision)
    click.echo(f"database at revision {db.current_revision(db.get_engine()) or 'base'}")


@db_group.command("current")
@one_line_errors
def db_current() -> None:
    """Print the database's current revision."""
    click.echo(db.current_revision(db.get_engine()) or "base (no tables)")


@main.command("load-fixtures")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A fixture file other than the demo.")
@one_line_errors
def load_fixtures_command(path: Path | None) -> None:
    """Load the demo speakers, statements, ratings and outcome (safe to repeat)."""
    session = db.get_session()
    report = load_fixtures(session, path)
    session.commit()
    click.echo(str(report))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: $PORT, else 5000.")
@click.option("--threads", type=int, default=8, show_default=True)
def serve(host: str, port: int | None, threads: int) -> None:
    """Serve the web application with waitress (a production WSGI server)."""
    from waitress import serve as waitress_serve

    if port is None:
        try:
            port = int(os.environ.get("PORT", "5000"))
        except ValueError:
            raise click.ClickException(f"PORT must be a number, not {os.environ['PORT']!r}") from None
    click.echo(f"claimtrack serving on http://{host}:{port}/ (Ctrl-C to stop)")
    waitress_serve(current_app._get_current_object(), host=host, port=port, threads=threads, ident="claimtrack")


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@one_line_errors
def import_command(file: Path) -> None:
    """Import statements from JSON Lines (FILE or - for standard input).

    Each line: {"id", "text", "title"?, "speaker"?, "said_on"?, "source_url"?}.
    A bad line is reported with its number and nothing is imported; ids already
    present are updated, not duplicated.
    """
    from claimtrack.claims.importer import ImportFailed, import_statements, numbered_lines

    session = db.get_session()
    if str(file) == "-":
        stream, size = sys.stdin.buffer, 0
    else:
        if not file.exists():
            raise click.ClickException(f"no such file: {file}")
        stream, size = open(file, "rb"), file.stat().st_size
    show_bar = size > 0 and sys.stderr.isatty()
    try:
        with click.progressbar(length=size, label="Importing", file=sys.stderr, hidden=not show_bar) as bar:
            report = import_statements(
                session,
                numbered_lines(stream),
                source_name=str(file),
                on_line=(lambda line: bar.update(len(line))) if show_bar else None,
            )
        session.commit()
    except ImportFailed as exc:
        session.rollback()
        for error in exc.errors:
            click.echo(f"Error: {file}: {error}", err=True)
        raise click.ClickException(f"{exc.total_bad} bad line(s) in {file}; nothing was imported") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    click.echo(str(report))


@main.group("users")
def users_group() -> None:
    """Manage desk accounts."""


def _read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise click.ClickException("the passwords do not match")
        return password
    return sys.stdin.readline().rstrip("\r\n")


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", help="Display name (default: the part of the email before @).")
@one_line_errors
def users_create(email: str, role: str, display_name: str | None) -> None:
    """Create a user; the password is prompted, or read from standard input when it is not a terminal."""
    password = _read_password()
    session = db.get_session()
    user = create_user(session, email, password, Role(role), display_name=display_name)
    session.commit()
    click.echo(f"created {user.role.value} {user.email}")
