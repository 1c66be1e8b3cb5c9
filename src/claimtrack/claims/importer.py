"""Importing statements from JSON Lines, one statement a line.

The contract (used by benchmarks and newsroom scripts alike)::

    {"id": external id, "text": required, "title"?, "speaker"?, "said_on"?, "source_url"?}

``title`` is the headline of an existing fact-check of the statement; ``said_on``
(YYYY-MM-DD, YYYY-MM or YYYY) may not be in the future, as on the desk. Lines are
validated as they stream in and written in batches inside one transaction: if
any line is bad, every error is reported with its line number and the whole
import is rolled back, so nothing is ever half-written. Re-importing an id
updates that statement instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, case, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.changes import BULK_REBUILD_THRESHOLD, log_rebuild, log_upserts
from claimtrack.claims.models import DatePrecision, Source, SourceKind, Statement
from claimtrack.claims.revisions import PublicFields, record_revision
from claimtrack.claims.rules import check_said_on
from claimtrack.errors import Invalid
from claimtrack.orm import PublicationStatus, utcnow
from claimtrack.speakers.models import Speaker, SpeakerAlias
from claimtrack.text import clean_text, counted, slugify, squash_whitespace
from claimtrack.workflow import checked_note

BATCH_SIZE = 5000
MAX_ERRORS_REPORTED = 20
MAX_TEXT_LENGTH = 20_000


@dataclass(frozen=True)
class ImportRecord:
    external_id: str
    text: str
    title: str | None
    speaker: str | None
    said_on: dt.date | None
    precision: DatePrecision
    source_url: str | None
    line_no: int = 0


class LineError(ValueError):
    def __init__(self, line_no: int, message: str) -> None:
        super().__init__(f"line {line_no}: {message}")
        self.line_no = line_no


class ImportFailed(ValueError):
    """The file had bad lines; nothing was imported."""

    def __init__(self, errors: list[LineError], total_bad: int) -> None:
        self.errors = errors
        self.total_bad = total_bad
        more = f" (and {total_bad - len(errors)} more)" if total_bad > len(errors) else ""
        super().__init__(f"{counted(total_bad, 'bad line')}{more}; nothing was imported\n" + "\n".join(map(str, errors)))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    speakers_created: int = 0
    lines: int = 0
    skipped_blank: int = 0
    written: int = 0
    #: External ids written, kept only up to BULK_REBUILD_THRESHOLD: beyond that the log asks for a rebuild.
    ids: list[str] = field(default_factory=list, repr=False)

    def __str__(self) -> str:
        return (
            f"imported {self.written} statements "
            f"({self.created} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.speakers_created} new speakers)"
        )


def _optional_str(obj: dict[str, Any], key: str, line_no: int) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise LineError(line_no, f"{key!r} must be a string, not {type(value).__name__}")
    return value.strip() or None


def parse_said_on(value: str, line_no: int) -> tuple[dt.date, DatePrecision]:
    """Accept YYYY-MM-DD, YYYY-MM or YYYY; the shorter forms keep their precision."""
    try:
        if len(value) == 4:
            return dt.date(int(value), 1, 1), DatePrecision.YEAR
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01"), DatePrecision.MONTH
        return dt.date.fromisoformat(value[:10]), DatePrecision.DAY
    except ValueError:
        raise LineError(line_no, f"'said_on' must be a date like 2025-12-03, 2025-12 or 2025, not {value!r}") from None


def parse_record(line_no: int, line: str) -> ImportRecord | None:
    """One line of the file as a record; None for a blank line.

    :raise LineError: naming the line and what is wrong with it.
    """
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in " at" ("Invalid control character at"): say it once.
        raise LineError(line_no, f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise LineError(line_no, "each line must be a JSON object")
    for key, value in obj.items():  # "\\u0000" decodes to a NUL character, which PostgreSQL refuses in text
        if isinstance(value, str) and "\x00" in value:
            raise LineError(line_no, f"{key!r} contains a NUL character (\\u0000); remove it")
    # The other control characters are cleaned as on the desk and in the API (\v from Word is a line break).
    obj = {key: clean_text(value) if isinstance(value, str) else value for key, value in obj.items()}
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or str(raw_id).strip() == "":
        raise LineError(line_no, "'id' is required (a string or a number)")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise LineError(line_no, "'text' is required and must be a non-empty string")
    if len(text) > MAX_TEXT_LENGTH:
        raise LineError(line_no, f"'text' is longer than {MAX_TEXT_LENGTH} characters")
    said_on, precision = None, DatePrecision.DAY
    said_raw = _optional_str(obj, "said_on", line_no)
    if said_raw:
        said_on, precision = parse_said_on(said_raw, line_no)
        try:
            check_said_on(said_on)
        except Invalid as exc:
            raise LineError(line_no, f"'said_on' {said_raw}: {exc.message}") from None
    source_url = _optional_str(obj, "source_url", line_no)
    if source_url and not source_url.startswith(("http://", "https://")):
        raise LineError(line_no, "'source_url' must be an http(s) URL")
    speaker = _optional_str(obj, "speaker", line_no)
    return ImportRecord(
        external_id=str(raw_id).strip(),
        text=text.strip(),
        title=_optional_str(obj, "title", line_no),
        speaker=squash_whitespace(speaker) if speaker else None,
        said_on=said_on,
        precision=precision,
        source_url=source_url,
        line_no=line_no,
    )


class _Resolver:
    """Resolves speaker names and source URLs to ids, a batch at a time, with caches across batches."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.speakers: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.speakers_created = 0

    def resolve_speakers(self, names: set[str]) -> None:
        """Find each name among speakers' names and aliases (ignoring case); create the rest."""
        wanted = {name.lower(): name for name in names if name.lower() not in self.speakers}
        if not wanted:
            return
        keys = list(wanted)
        by_alias = select(SpeakerAlias.speaker_id, func.lower(SpeakerAlias.alias)).where(func.lower(SpeakerAlias.alias).in_(keys))
        by_name = select(Speaker.id, func.lower(Speaker.name)).where(func.lower(Speaker.name).in_(keys))
        for query in (by_alias, by_name):  # a speaker's own name wins over another's alias
            self.speakers.update({key: sid for sid, key in self.connection.execute(query)})
        missing = [wanted[key] for key in keys if key not in self.speakers]
        if missing:
            self._create_speakers(missing)

    def _create_speakers(self, names: list[str]) -> None:
        slugs = {name: slugify(name) for name in names}
        # The numbered forms ("keith-kellogg-2") count as taken too: an earlier import may have made them.
        bases = set(slugs.values())
        numbered = [Speaker.slug.like(f"{base}-%") for base in bases]
        taken = set(self.connection.scalars(select(Speaker.slug).where(or_(Speaker.slug.in_(bases), *numbered))))
        rows = []
        for name in names:
            slug, n = slugs[name], 1
            while slug in taken:
                n += 1
                slug = f"{slugs[name]}-{n}"
            taken.add(slug)
            rows.append({"name": name, "slug": slug, "created_at": utcnow()})
        self.connection.execute(insert(Speaker), rows)
        created = select(Speaker.id, func.lower(Speaker.name)).where(Speaker.slug.in_([r["slug"] for r in rows]))
        self.speakers.update({key: sid for sid, key in self.connection.execute(created)})
        self.speakers_created += len(rows)

    def resolve_sources(self, urls: set[str]) -> None:
        missing = urls - self.sources.keys()
        if not missing:
            return
        rows = self.connection.execute(select(Source.url, Source.id).where(Source.url.in_(missing)))
        self.sources.update({url: sid for url, sid in rows if url})
        new = missing - self.sources.keys()
        if new:
            now = utcnow()
            self.connection.execute(
                insert(Source),
                [{"url": u, "kind": SourceKind.ARTICLE.value, "created_at": now} for u in sorted(new)],
            )
            rows = self.connection.execute(select(Source.url, Source.id).where(Source.url.in_(new)))
            self.sources.update({url: sid for url, sid in rows if url})


def _upsert_statement(dialect_name: str) -> Any:
    """An INSERT ... ON CONFLICT (external_id) DO UPDATE for this dialect, skipping rows that would not change.

    Re-importing a feed mostly repeats what is stored: leaving those rows alone
    keeps their version (a desk user's open form stays valid), their audit
    trail and their full-text entries untouched.
    """
    table = Statement.__table__
    assert isinstance(table, Table)
    dialect_insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    stmt = dialect_insert(table)
    new = stmt.excluded
    # A field missing from the line keeps the stored value; the precision travels with its date.
    values = {
        "text": new.text,
        "fact_check_title": new.fact_check_title,
        "speaker_id": func.coalesce(new.speaker_id, table.c.speaker_id),
        "said_on": func.coalesce(new.said_on, table.c.said_on),
        "said_on_precision": case((new.said_on.is_(None), table.c.said_on_precision), else_=new.said_on_precision),
        "source_id": func.coalesce(new.source_id, table.c.source_id),
    }
    changed = or_(*(table.c[key].is_distinct_from(value) for key, value in values.items()))
    return stmt.on_conflict_do_update(
        index_elements=[table.c.external_id],
        set_={
            **values,
            "updated_at": new.updated_at,
            "updated_by_id": new.updated_by_id,
            # Bumping the version makes a desk user's open edit form stale.
            "version": table.c.version + 1,
        },
        where=changed,
    )


class _StatementWriter:
    """Upserts batches of statement rows.

    On SQLite, SQLAlchemy's per-row parameter handling costs more than the
    insert itself, so the compiled statement is run through the driver's own
    executemany with values converted once by each column's bind processor.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.statement = _upsert_statement(connection.dialect.name)
        self.raw: Any = None
        if connection.dialect.name == "sqlite":
            dialect = connection.dialect
            compiled = self.statement.compile(dialect=dialect, column_keys=list(_ROW_KEYS))
            self.sql = str(compiled)
            self.order = list(compiled.positiontup or ())
            # Literals inside the statement (the version increment) keep their compiled values.
            self.constants = {k: compiled.binds[k].value for k in self.order if k not in _ROW_KEYS}
            columns = Statement.__table__.c
            self.processors = {
                key: columns[key].type.dialect_impl(dialect).bind_processor(dialect) for key in _ROW_KEYS
            }
            self.raw = connection.connection.driver_connection

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self.raw is None:
            self.connection.execute(self.statement, rows)
            return
        processed = []
        for row in rows:
            values = []
            for key in self.order:
                if key in self.constants:
                    values.append(self.constants[key])
                    continue
                value, proc = row[key], self.processors[key]
                values.append(proc(value) if proc is not None and value is not None else value)
            processed.append(values)
        dbapi_error = self.connection.dialect.loaded_dbapi.Error
        try:
            self.raw.executemany(self.sql, processed)
        except dbapi_error as exc:  # as SQLAlchemy would raise it, so callers see one kind of database error
            raise DBAPIError.instance(self.sql, None, exc, dbapi_error) from exc


_ROW_KEYS = (
    "external_id", "text", "fact_check_title", "speaker_id", "said_on", "said_on_precision", "source_id",
    "language", "created_at", "updated_at", "created_by_id", "updated_by_id", "version", "status", "published_at",
)


@dataclass
class _Revisions:
    """What readers saw of each published statement the import changes, for its public revision."""

    note: str | None
    before: dict[int, PublicFields] = field(default_factory=dict)


def _check_public_changes(
    connection: Connection, batch: list[ImportRecord], resolver: _Resolver, revisions: _Revisions
) -> None:
    """Stored statements that the public has read change only as on the desk: a published one with a
    public revision note (the import's ``--revision-note``), a retracted one never.

    :raise ImportFailed: naming each line that would change one without a note, or a retracted one.
    """
    by_id = {r.external_id: r for r in batch}
    stored = connection.execute(
        select(Statement.id, Statement.external_id, Statement.text, Statement.speaker_id, Speaker.name,
               Statement.said_on, Statement.said_on_precision, Statement.source_id, Source.url, Source.title,
               Source.publisher, Statement.status)
        .outerjoin(Speaker, Speaker.id == Statement.speaker_id)
        .outerjoin(Source, Source.id == Statement.source_id)
        .where(Statement.external_id.in_(list(by_id)), Statement.status != PublicationStatus.DRAFT)
    )
    errors = []
    for sid, external_id, text, speaker_id, speaker, said_on, precision, source_id, url, title, publisher, status in stored:
        record = by_id[external_id or ""]  # found by its external id, so it has one
        # A field missing from the line keeps the stored value (see _upsert_statement).
        changed = (
            record.text != text
            or (record.speaker is not None and resolver.speakers[record.speaker.lower()] != speaker_id)
            or (record.said_on is not None and (record.said_on, record.precision) != (said_on, precision))
            or (record.source_url is not None and resolver.sources[record.source_url] != source_id)
        )
        if not changed:
            continue
        if status is PublicationStatus.RETRACTED:
            errors.append(LineError(record.line_no, f"statement {external_id!r} was retracted; a retraction is final"))
        elif revisions.note is None:
            errors.append(LineError(
                record.line_no,
                f"statement {external_id!r} is published: changing its words, speaker, date or source is a public "
                "revision; import again with --revision-note saying why (readers see it)",
            ))
        else:
            revisions.before[sid] = PublicFields(text, speaker_id, speaker, said_on, precision, url, title, publisher)
    if errors:
        raise ImportFailed(errors[:MAX_ERRORS_REPORTED], len(errors))


def _record_revisions(session: Session, revisions: _Revisions, actor: User | None) -> None:
    """A public revision, with the import's note, for each published statement the import changed."""
    if not revisions.before:
        return
    assert revisions.note is not None  # _check_public_changes refused the changes otherwise
    session.expire_all()  # the rows were written beside the ORM
    for statement_id, before in revisions.before.items():
        statement = session.get_one(Statement, statement_id)
        record_revision(session, statement, before, PublicFields.of_statement(statement), revisions.note, actor)


def _write_batch(
    batch: list[ImportRecord],
    resolver: _Resolver,
    writer: _StatementWriter,
    report: ImportReport,
    actor: User | None,
    now: dt.datetime,
    revisions: _Revisions,
) -> None:
    resolver.resolve_speakers({r.speaker for r in batch if r.speaker})
    resolver.resolve_sources({r.source_url for r in batch if r.source_url})
    _check_public_changes(writer.connection, batch, resolver, revisions)
    actor_id = actor.id if actor else None
    writer.write(
        [
            {
                "external_id": r.external_id,
                "text": r.text,
                "fact_check_title": r.title,
                "speaker_id": resolver.speakers[r.speaker.lower()] if r.speaker else None,
                "said_on": r.said_on,
                "said_on_precision": r.precision.value,
                "source_id": resolver.sources[r.source_url] if r.source_url else None,
                "language": "en",
                "created_at": now,
                "updated_at": now,
                "created_by_id": actor_id,
                "updated_by_id": actor_id,
                "version": 1,
                # An import brings in the newsroom's archive, already public; a line that updates a
                # stored statement keeps its status (a retracted one stays retracted).
                "status": PublicationStatus.PUBLISHED.value,
                "published_at": now,
            }
            for r in batch
        ]
    )
    report.written += len(batch)
    if report.written <= BULK_REBUILD_THRESHOLD:
        report.ids.extend(r.external_id for r in batch)


class _DeferredIndexing:
    """Keeps SQLite's indexes on ``statements`` in step with a large import at a fraction of the cost.

    This fast path exists because of ``make bench``: it took a 1M-line import
    from over the 120 s target to 40 s (benchmarks/IMPORT_RESULTS.md), and
    tests/test_import.py pins what it must keep (full text current, drops rolled
    back on failure, nothing left behind by a killed import).

    Row by row, every insert also updates the full-text index (through the
    search migration's trigger) and five B-tree indexes, which costs more than
    the rows themselves. A bulk import instead indexes its new rows for full
    text in one statement at the end and, once it writes at least a quarter as
    many rows as the table held, rebuilds the B-tree indexes with one sort each.
    Everything is dropped only once the transaction has begun (after the first
    batch), so a failed import rolls the drops back with its rows, and each
    trigger and index is recreated from its own stored SQL.
    """

    TRIGGER = "statements_fts_after_insert"
    #: Rebuilding an index costs a sort of the whole table: worth it once the import adds this share of it.
    REBUILD_SHARE = 0.25

    def __init__(self, connection: Connection, rows_before: int) -> None:
        self.connection = connection
        self.rows_before = rows_before
        self.trigger_sql: str | None = None
        self.index_sql: list[str] | None = None
        self.after_id = 0

    def start(self, written: int) -> None:
        """Called after each batch with the rows written so far."""
        if self.connection.dialect.name != "sqlite":
            return
        if self.trigger_sql is None:
            self._defer_full_text()
        if self.index_sql is None and written >= self.REBUILD_SHARE * self.rows_before:
            self._defer_indexes()

    def _defer_full_text(self) -> None:
        row = self.connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (self.TRIGGER,)
        ).first()
        if row is None:
            return
        self.after_id = self.connection.scalar(select(func.coalesce(func.max(Statement.id), 0))) or 0
        self.connection.exec_driver_sql(f"DROP TRIGGER {self.TRIGGER}")
        self.trigger_sql = row[0]

    def _defer_indexes(self) -> None:
        # Indexes behind a constraint (the unique external_id) have no SQL of their own and stay.
        rows = self.connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'statements' AND sql IS NOT NULL"
        ).all()
        for name, _ in rows:
            self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
        self.index_sql = [sql for _, sql in rows]

    def finish(self) -> None:
        for sql in self.index_sql or ():
            self.connection.exec_driver_sql(sql)
        self.index_sql = None
        if self.trigger_sql is None:
            return
        self.connection.exec_driver_sql(
            "INSERT INTO statements_fts (rowid, text, claim) SELECT id, text, claim FROM statements WHERE id > ?",
            (self.after_id,),
        )
        self.connection.exec_driver_sql(self.trigger_sql)
        self.trigger_sql = None


def numbered_lines(stream: Iterable[str | bytes]) -> Iterator[tuple[int, str]]:
    """Number the lines of a text or binary stream from 1, decoding UTF-8 strictly.

    :raise LineError: for a line that is not UTF-8.
    """
    for line_no, line in enumerate(stream, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise LineError(line_no, f"not UTF-8 (byte {exc.start + 1})") from None
        yield line_no, line


def import_statements(
    session: Session,
    lines: Iterable[tuple[int, str]],
    *,
    actor: User | None = None,
    source_name: str = "-",
    on_line: Callable[[str], None] | None = None,
    revision_note: str | None = None,
) -> ImportReport:
    """Import numbered lines into ``session`` (the caller commits, or rolls back on error).

    A line that changes what readers see of a published statement (its words, speaker, date or
    source) needs ``revision_note``, which becomes that statement's public revision note.

    :raise ImportFailed: listing the bad lines (and those that would change a published statement
        without a note, or a retracted one); nothing has been written then.
    :raise Invalid: on ``revision_note`` when it is given but says nothing.
    """
    revisions = _Revisions(checked_note(revision_note, field="revision_note") if revision_note is not None else None)
    report = ImportReport()
    # One timestamp for every row this import writes: afterwards it tells changed rows from unchanged ones.
    stamp = utcnow()
    connection = session.connection()
    before = connection.scalar(select(func.count()).select_from(Statement)) or 0
    resolver = _Resolver(connection)
    writer = _StatementWriter(connection)
    deferred = _DeferredIndexing(connection, before)
    errors: list[LineError] = []
    total_bad = 0
    seen: dict[str, int] = {}
    batch: list[ImportRecord] = []
    iterator = iter(lines)
    while True:
        try:
            line_no, line = next(iterator)
        except StopIteration:
            break
        except LineError as exc:  # undecodable bytes: the stream itself cannot go on
            errors.append(exc)
            total_bad += 1
            break
        report.lines += 1
        if on_line:
            on_line(line)
        try:
            record = parse_record(line_no, line)
            if record is None:
                report.skipped_blank += 1
                continue
            if record.external_id in seen:
                raise LineError(line_no, f"id {record.external_id!r} already appears on line {seen[record.external_id]}")
            seen[record.external_id] = line_no
        except LineError as exc:
            total_bad += 1
            if len(errors) < MAX_ERRORS_REPORTED:
                errors.append(exc)
            continue
        if errors:
            continue  # keep validating to report every bad line, but stop writing
        batch.append(record)
        if len(batch) >= BATCH_SIZE:
            _write_batch(batch, resolver, writer, report, actor, stamp, revisions)
            batch = []
            deferred.start(report.written)  # after a batch: the transaction is open, so drops roll back on failure
    if errors:
        raise ImportFailed(errors, total_bad)
    if batch:
        _write_batch(batch, resolver, writer, report, actor, stamp, revisions)
    deferred.finish()
    _record_revisions(session, revisions, actor)
    report.speakers_created = resolver.speakers_created
    report.created = (connection.scalar(select(func.count()).select_from(Statement)) or 0) - before
    touched = connection.scalar(select(func.count()).select_from(Statement).where(Statement.updated_at == stamp)) or 0
    report.updated = touched - report.created
    report.unchanged = report.written - touched
    _log_import(session, report, actor, source_name, stamp)
    return report


def _log_import(
    session: Session, report: ImportReport, actor: User | None, source_name: str, stamp: dt.datetime
) -> None:
    connection = session.connection()
    if report.created + report.updated > BULK_REBUILD_THRESHOLD:
        log_rebuild(connection)
    elif report.created + report.updated:
        changed = Statement.updated_at == stamp
        if report.written <= BULK_REBUILD_THRESHOLD:  # the ids are at hand: look them up through their index
            changed &= Statement.external_id.in_(report.ids)
        log_upserts(connection, list(connection.scalars(select(Statement.id).where(changed))))
    session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            entity="statements",
            entity_id=None,
            action="import",
            after={
                "file": source_name,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "speakers_created": report.speakers_created,
            },
        )
    )
    session.flush()
