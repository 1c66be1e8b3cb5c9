"""The ``claimtrack`` command. Thin: each command calls a service; :func:`one_transaction` commits once.

Expected failures (a :class:`~claimtrack.errors.DomainError`, unreadable input,
an unusable database) become one ``Error: ...`` line and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from claimtrack import create_app, db
from claimtrack.accounts.models import Role
from claimtrack.accounts.services import create_user
from claimtrack.accounts.tokens import all_tokens, create_token, revoke_token
from claimtrack.backup import BackupError
from claimtrack.config import ConfigError
from claimtrack.demo import load_fixtures
from claimtrack.errors import DomainError
from claimtrack.orm import utcnow
from claimtrack.spotting.extract import ExtractError
from claimtrack.spotting.fetch import FetchError
from claimtrack.text import counted
from claimtrack.urls import site_url_missing_warning

if TYPE_CHECKING:
    from werkzeug.local import LocalProxy

P = ParamSpec("P")
R = TypeVar("R")


def one_line_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into a single ``Error: ...`` line and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            if reason == "database is locked":  # SQLite: another writer held the lock past the busy timeout
                reason += "; another process (an import?) is writing to it: nothing was changed, try again when it is done"
            raise click.ClickException(f"cannot use the database: {reason}") from None
        except (DomainError, ExtractError, FetchError, BackupError, FileNotFoundError) as exc:
            raise click.ClickException(str(exc)) from None
        except SQLAlchemyError as exc:
            raise click.ClickException(f"database error: {str(exc).splitlines()[0]}") from None

    return wrapper


def one_transaction(func: Callable[P, R]) -> Callable[P, R]:
    """The one commit point of a command: commit when it returns, roll back on any error.

    Wraps :func:`one_line_errors`, so a failure (also a commit that finds a
    conflicting version) is one ``Error:`` line and nothing is written.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
        except BaseException:
            db.end_request(succeeded=False)
            raise
        db.end_request(succeeded=True)
        return result

    return one_line_errors(wrapper)


def _create_app() -> Flask:
    try:
        return create_app()
    except (db.MissingDriver, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None


class _ClaimtrackGroup(FlaskGroup):
    """Flask's command group (it builds the app and its context for each command), showing only claimtrack.

    Flask's own options (``--app``, ``--env-file``, ``--debug``) and commands are left out:
    the app is always claimtrack's, configured from the environment. ``run`` is a development
    server with a debugger a newsroom must never expose, where ``serve`` is the one to use;
    ``shell`` and ``routes`` are for developers, who still have them as ``flask --app claimtrack``.
    """

    _FLASK_OPTIONS = frozenset({"env_file", "app", "debug"})

    def __init__(self, **extra: Any) -> None:
        super().__init__(
            create_app=_create_app, add_default_commands=False, add_version_option=False,
            load_dotenv=False, set_debug_flag=False, **extra,
        )
        self.params = [p for p in self.params if p.name not in self._FLASK_OPTIONS]

    def list_commands(self, ctx: click.Context) -> list[str]:
        # Only the commands defined here: Flask's list would build the app for a --help and add
        # the "flask.commands" of whatever else is installed.
        return sorted(self.commands)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name)


main = _ClaimtrackGroup(help="claimtrack: log, rate and track claims, and spot them when they are repeated.")
click.version_option(package_name="claimtrack", prog_name="claimtrack", message="%(prog)s %(version)s")(main)


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


@db_group.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@one_line_errors
def db_backup(dest: Path) -> None:
    """Copy the SQLite database to DEST while it stays in use (PostgreSQL: use pg_dump).

    The copy is one consistent state, checked before it is named DEST; an existing DEST is never overwritten.
    """
    from claimtrack.backup import backup_sqlite

    with _LazyBar(shown=sys.stderr.isatty(), label="Copying pages") as bar:
        report = backup_sqlite(db.get_engine(), dest, progress=bar.update)
    click.echo(f"backed up {report.statements:,} statements to {report.path} ({report.size / 1024 / 1024:.1f} MiB)")


@main.command("load-fixtures")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A fixture file other than the demo.")
@one_transaction
def load_fixtures_command(path: Path | None) -> None:
    """Load the demo speakers, statements, ratings and outcome (safe to repeat)."""
    click.echo(str(load_fixtures(db.get_session(), path)))


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
    from claimtrack.spotting.warmup import warm_in_background

    click.echo(f"claimtrack serving on http://{host}:{port}/ (Ctrl-C to stop)")
    # Flask types current_app as the app itself; it is a proxy, and the server needs the object behind it.
    app = cast("LocalProxy[Flask]", current_app)._get_current_object()
    warning = site_url_missing_warning(app)
    if warning:
        app.logger.warning(warning)
    warm_in_background(app, click.echo)
    waitress_serve(app, host=host, port=port, threads=threads, ident="claimtrack")


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--no-index", is_flag=True, help="Do not rebuild the match index now; servers rebuild it on their next search.")
@click.option("--revision-note", help="The public note of each published statement whose words, speaker, date or "
              "source the file changes (required for such changes; readers see it).")
@one_line_errors  # not one_transaction: the import commits before it saves the match index for that state
def import_command(file: Path, no_index: bool, revision_note: str | None) -> None:
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
        # Closed in the finally below, which also covers standard input.
        stream, size = open(file, "rb"), file.stat().st_size  # noqa: SIM115
    show_bar = size > 0 and sys.stderr.isatty()
    try:
        with click.progressbar(length=size, label="Importing", file=sys.stderr, hidden=not show_bar) as bar:
            report = import_statements(
                session,
                numbered_lines(stream),
                source_name=str(file),
                on_line=(lambda line: bar.update(len(line))) if show_bar else None,
                revision_note=revision_note,
            )
        session.commit()
        if not no_index:
            from claimtrack.spotting.app import live_index

            # Bring the saved match index up to date now (a no-op when it already is), so running
            # servers load it instead of rebuilding.
            click.echo("Updating the match index...", err=True)
            with _LazyBar(shown=sys.stderr.isatty()) as bar:
                live_index().refresh(session, progress=bar.update)
    except ImportFailed as exc:
        session.rollback()
        for error in exc.errors:
            click.echo(f"Error: {file}: {error}", err=True)
        raise click.ClickException(f"{counted(exc.total_bad, 'bad line')} in {file}; nothing was imported") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    click.echo(str(report))


class _LazyBar:
    """A progress bar for long work whose length the first progress report gives (index rebuild, backup)."""

    def __init__(self, shown: bool, label: str = "Indexing statements") -> None:
        self.shown = shown
        self.label = label
        self.bar: Any = None
        self.done = 0

    def update(self, done: int, total: int) -> None:
        if not self.shown:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def __enter__(self) -> _LazyBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


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


class RoleName(click.Choice[str]):
    """A role as the docs write it (admin, editor, fact-checker); any case, and fact_checker, also do."""

    name = "role"

    def __init__(self) -> None:
        super().__init__([role.value.replace("_", "-") for role in Role], case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Role):
            return value
        written = super().convert(str(value).strip().replace("_", "-"), param, ctx)
        return Role(written.replace("-", "_"))


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=RoleName(), required=True)
@click.option("--name", "display_name", help="Display name (default: the part of the email before @).")
@one_transaction
def users_create(email: str, role: Role, display_name: str | None) -> None:
    """Create a user; the password is prompted, or read from standard input when it is not a terminal."""
    password = _read_password()
    user = create_user(db.get_session(), email, password, role, display_name=display_name)
    click.echo(f"created {user.role.value} {user.email}")


def _read_queries(path: Path) -> list[tuple[str, str]]:
    """(id, text) pairs from a JSON Lines file; a bad line stops everything with its number."""
    import json

    queries = []
    with open(path, "rb") as stream:
        for line_no, raw in enumerate(stream, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise click.ClickException(f"{path}: line {line_no}: not UTF-8") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}: line {line_no}: not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
                raise click.ClickException(f"{path}: line {line_no}: each line needs an \"id\" and a \"text\" string")
            queries.append((obj["id"], obj["text"]))
    return queries


@main.command("match")
@click.argument("article", required=False, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSON Lines of {\"id\", \"text\"}: rank statements for each.")
@click.option("--top", "top_k", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per query (with --queries).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only statements said on or after this date.")
@one_transaction
def match_command(
    article: Path | None, queries: Path | None, top_k: int, as_json: bool, since: dt.datetime | None
) -> None:
    """Find known statements in ARTICLE (a .txt, .md or .html file, or - for standard input).

    With --queries, rank the top statements for each query line instead; the
    output keeps the input order.
    """
    import json

    from claimtrack.spotting.app import live_index, thresholds
    from claimtrack.spotting.extract import check_text, to_plain_text
    from claimtrack.spotting.services import find_repeats

    session = db.get_session()
    index = live_index()
    since_date = since.date() if since else None
    if queries is not None:
        from sqlalchemy import select

        from claimtrack.claims.models import Statement

        pairs = _read_queries(queries)
        index.refresh(session)
        for query_id, text in pairs:
            matches = index.search(session, text, top_k=top_k, since=since_date)
            ids = [m.doc_id for m in matches]
            # .all(): a result has keys(), so dict() would take it for a mapping of column names.
            external = dict(
                session.execute(select(Statement.id, Statement.external_id).where(Statement.id.in_(ids))).all()
            )
            ranked = [
                {"statement_id": m.doc_id, "external_id": external.get(m.doc_id), "score": round(m.score, 4)}
                for m in matches
            ]
            if as_json:
                click.echo(json.dumps({"id": query_id, "matches": ranked}, ensure_ascii=False))
            else:
                listed = ", ".join(f"{r['external_id'] or r['statement_id']} ({r['score']:.2f})" for r in ranked)
                click.echo(f"{query_id}: " + (listed or "no match"))
        return
    if article is None:
        raise click.ClickException("give an ARTICLE file (or - for standard input), or --queries FILE.jsonl")
    if str(article) == "-":
        text = check_text(sys.stdin.read())
    else:
        if not article.exists():
            raise click.ClickException(f"no such file: {article}")
        text = to_plain_text(article.read_bytes(), filename=article.name)
    cut = thresholds()
    results = find_repeats(session, index, text, thresholds=cut, since=since_date, top_k=top_k)
    if not results:
        click.echo(f"No known statements found (suggest threshold {cut.suggest:.2f}).")
        return
    for result in results:
        who = f" [{result.speaker.name}]" if result.speaker else ""
        click.echo(f"\n\u00bb {result.segment.text}{who}")
        for candidate in result.candidates:
            statement = candidate.statement
            verdict = statement.current_rating.verdict_label if statement.current_rating else "not rated"
            speaker = statement.speaker.name if statement.speaker else "unknown speaker"
            click.echo(f"   {candidate.score:.2f} {candidate.strength:<9} #{statement.id} {speaker}: \u201c{statement.text}\u201d ({verdict})")


@main.command("match-report")
@one_transaction
def match_report_command() -> None:
    """Precision and recall of the matcher on reviewed suggestions, and suggested thresholds."""
    from claimtrack.spotting.app import thresholds
    from claimtrack.spotting.report import build_report, format_report, labelled_scores

    cut = thresholds()
    click.echo(format_report(build_report(labelled_scores(db.get_session()), cut), cut))
@main.group("tokens")
def tokens_group() -> None:
    """Manage bearer tokens for the write API."""


@tokens_group.command("create")
@click.argument("email")
@click.option("--name", help="What the token is for, e.g. the integration using it.")
@click.option("--expires-in", "days", type=click.IntRange(1, 3650), metavar="DAYS",
              help="The token stops working after this many days (default: when it is revoked).")
@one_transaction
def tokens_create(email: str, name: str | None, days: int | None) -> None:
    """Create an API token for EMAIL; the token is printed once, as the last line."""
    expires_at = utcnow() + dt.timedelta(days=days) if days else None
    token, secret = create_token(db.get_session(), email, name=name, expires_at=expires_at)
    until = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
    click.echo(f"created API token {token.id} (fingerprint {token.token_hash[:12]}) for {token.user.email}{until}")
    click.echo("Store it now: it cannot be shown again.")
    click.echo(secret)


@tokens_group.command("list")
@click.argument("email", required=False)
@one_transaction
def tokens_list(email: str | None) -> None:
    """Every API token (or EMAIL's): id, fingerprint, owner, name, state, expiry and last use."""
    found = db.get_session().scalars(all_tokens(email)).all()
    now = utcnow()
    for token in found:
        state = "revoked" if token.revoked_at else "live" if token.is_live(now) else "expired"
        expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(f"{token.id}\t{token.token_hash[:12]}\t{token.user.email}\t{state}\texpires {expires}\t"
                   f"last used {used}\t{token.name or ''}")
    if not found:
        click.echo("no API tokens")


@tokens_group.command("revoke")
@click.argument("token_id_or_prefix")
@one_transaction
def tokens_revoke(token_id_or_prefix: str) -> None:
    """Revoke a token by id, by the token itself, or by the start of its fingerprint."""
    token = revoke_token(db.get_session(), token_id_or_prefix)
    click.echo(f"revoked API token {token.id} (fingerprint {token.token_hash[:12]}) of {token.user.email}")
