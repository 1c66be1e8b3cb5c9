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
from claimtrack.accounts.tokens import create_token, revoke_token
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


@main.group("tokens")
def tokens_group() -> None:
    """Manage bearer tokens for the write API."""


@tokens_group.command("create")
@click.argument("email")
@click.option("--name", help="What the token is for, e.g. the integration using it.")
@one_line_errors
def tokens_create(email: str, name: str | None) -> None:
    """Create an API token for EMAIL; the token is printed once, as the last line."""
    session = db.get_session()
    token, secret = create_token(session, email, name=name)
    session.commit()
    click.echo(f"created API token {token.id} (fingerprint {token.token_hash[:12]}) for {token.user.email}")
    click.echo("Store it now: it cannot be shown again.")
    click.echo(secret)


@tokens_group.command("revoke")
@click.argument("token_id_or_prefix")
@one_line_errors
def tokens_revoke(token_id_or_prefix: str) -> None:
    """Revoke a token by id, by the token itself, or by the start of its fingerprint."""
    session = db.get_session()
    token = revoke_token(session, token_id_or_prefix)
    session.commit()
    click.echo(f"revoked API token {token.id} (fingerprint {token.token_hash[:12]}) of {token.user.email}")
