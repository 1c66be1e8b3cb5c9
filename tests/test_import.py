"""Importing statements from JSON Lines: fast path, updates, and bad lines that write nothing."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.claims.changes import changes_since
from claimtrack.claims.importer import ImportFailed, import_statements, numbered_lines
from claimtrack.claims.models import ChangeKind, DatePrecision, Statement, StatementRevision
from claimtrack.cli import main
from claimtrack.speakers.models import Speaker
from claimtrack.speakers.services import create_speaker
from tests.servers import run_cli


def jsonl(*objects: object) -> list[tuple[int, str]]:
    text = "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objects) + "\n"
    return list(numbered_lines(io.StringIO(text)))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Statement))


def test_import_creates_statements_and_resolves_speakers_by_alias(session: Session) -> None:
    create_speaker(session, "Dmitry Peskov", aliases=["Kremlin spokesperson"])
    session.commit()
    report = import_statements(
        session,
        jsonl(
            {"id": "c1", "text": "Radical changes are needed.", "speaker": "kremlin spokesperson", "said_on": "2025-12"},
            "",
            {"id": 7, "text": "A deal is close.", "title": "Is a deal close?", "speaker": "Keith  Kellogg",
             "source_url": "https://example.org/talks", "said_on": "2025-12-03"},
        ),
    )
    session.commit()
    assert (report.created, report.updated, report.speakers_created, report.skipped_blank) == (2, 0, 1, 1)
    first = session.scalar(select(Statement).where(Statement.external_id == "c1"))
    assert first.speaker.name == "Dmitry Peskov"
    assert first.said_on_precision is DatePrecision.MONTH and first.said_on.isoformat() == "2025-12-01"
    second = session.scalar(select(Statement).where(Statement.external_id == "7"))
    assert second.fact_check_title == "Is a deal close?"
    assert second.speaker.name == "Keith Kellogg" and second.speaker.slug == "keith-kellogg"
    assert second.source.url == "https://example.org/talks"
    assert second.created_at.tzinfo is not None
    kinds = [(c.kind, c.statement_id) for c in changes_since(session, 0)]
    assert (ChangeKind.UPSERT, second.id) in kinds, "imported statements are matchable at once"


def test_import_cleans_word_line_breaks_and_other_controls(session: Session) -> None:
    import_statements(session, jsonl({"id": "v1", "text": "A deal is close.\vVery close.\x01",
                                      "title": "Close?\f", "speaker": "Keith\x1b Kellogg"}))
    session.commit()
    statement = session.scalars(select(Statement).where(Statement.external_id == "v1")).one()
    assert statement.text == "A deal is close.\nVery close."
    assert statement.fact_check_title == "Close?"
    assert statement.speaker.name == "Keith Kellogg"


def test_reimporting_the_same_ids_updates_instead_of_duplicating(session: Session) -> None:
    import_statements(session, jsonl({"id": "a", "text": "old words", "speaker": "Someone"}))
    session.commit()
    report = import_statements(session, jsonl({"id": "a", "text": "new words"}, {"id": "b", "text": "another"}),
                               revision_note="Corrected in the archive.")
    session.commit()
    assert (report.created, report.updated) == (1, 1)
    assert count(session) == 2
    updated = session.scalar(select(Statement).where(Statement.external_id == "a"))
    session.refresh(updated)
    assert updated.text == "new words"
    assert updated.speaker is not None, "a missing speaker on re-import keeps the known one"
    assert updated.version == 2


def test_an_import_changes_published_words_only_as_a_public_revision(session: Session, runner: FlaskCliRunner,
                                                                   tmp_path: Path) -> None:
    import_statements(session, jsonl({"id": "a", "text": "Two issues remain.", "speaker": "Keith Kellogg"}))
    session.commit()
    statement = session.scalars(select(Statement)).one()
    assert statement.is_published, "an import brings in the newsroom's archive, public already"
    changed = tmp_path / "changed.jsonl"
    changed.write_text('{"id": "b", "text": "A new one."}\n{"id": "a", "text": "One issue remains."}\n', encoding="utf-8")
    refused = runner.invoke(main, ["import", str(changed)])
    assert refused.exit_code == 1 and "line 2: statement 'a' is published" in refused.stderr
    assert "--revision-note" in refused.stderr and "nothing was imported" in refused.stderr
    session.expire_all()
    assert count(session) == 1 and statement.text == "Two issues remain."

    done = runner.invoke(main, ["import", str(changed), "--revision-note", "Quote corrected against the transcript."])
    assert done.exit_code == 0, done.stderr
    session.expire_all()
    revisions = session.scalars(select(StatementRevision).order_by(StatementRevision.number)).all()
    assert [(r.number, r.text, r.note) for r in revisions] == [
        (1, "Two issues remain.", None), (2, "One issue remains.", "Quote corrected against the transcript.")]
    again = runner.invoke(main, ["import", str(changed), "--revision-note", "Nothing changed."])
    assert again.exit_code == 0 and session.scalar(select(func.count()).select_from(StatementRevision)) == 2, \
        "an unchanged line makes no revision"


def test_an_import_never_changes_a_retracted_statement(session: Session) -> None:
    import_statements(session, jsonl({"id": "a", "text": "Two issues remain."}))
    statement = session.scalars(select(Statement)).one()
    workflow.retract(session, statement, None, note="Misattributed.")
    session.commit()
    with pytest.raises(ImportFailed, match="line 1: statement 'a' was retracted; a retraction is final"):
        import_statements(session, jsonl({"id": "a", "text": "Other words."}), revision_note="Anything.")
    session.rollback()
    assert session.get_one(Statement, statement.id).text == "Two issues remain."


def test_reimporting_unchanged_lines_leaves_those_statements_alone(session: Session) -> None:
    first = {"id": "a", "text": "A deal is close.", "speaker": "Someone", "said_on": "2025-12"}
    import_statements(session, jsonl(first, {"id": "b", "text": "Talks go on."}))
    session.commit()
    last_change = max(c.seq for c in changes_since(session, 0))
    # "a" repeats without its optional fields (they keep their stored values); "b" changes.
    report = import_statements(session, jsonl({"id": "a", "text": "A deal is close."}, {"id": "b", "text": "Talks end."}),
                               revision_note="Updated from the archive.")
    session.commit()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert "1 unchanged" in str(report)
    a, b = (session.scalar(select(Statement).where(Statement.external_id == i)) for i in ("a", "b"))
    session.refresh(a)
    session.refresh(b)
    assert a.version == 1, "an unchanged statement keeps its version, so open desk forms stay valid"
    assert (a.said_on.isoformat(), a.said_on_precision) == ("2025-12-01", DatePrecision.MONTH)
    assert b.version == 2
    logged = {c.statement_id for c in changes_since(session, last_change)}
    assert logged == {b.id}, "only the changed statement is sent to the match index"


def test_speakers_whose_names_share_a_slug_get_numbered_slugs_across_imports(session: Session) -> None:
    # "Keith Kellogg", "Keith, Kellogg" and "keith kellogg!" all slugify to keith-kellogg but are new names each time.
    for n, name in enumerate(["Keith Kellogg", "Keith, Kellogg", "Keith Kellogg!"]):
        import_statements(session, jsonl({"id": f"s{n}", "text": f"Statement {n}.", "speaker": name}))
        session.commit()
    slugs = sorted(session.scalars(select(Speaker.slug)))
    assert slugs == ["keith-kellogg", "keith-kellogg-2", "keith-kellogg-3"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x"}', "line 2: 'text' is required"),
        ("not json", "line 2: not valid JSON"),
        ('["a list"]', "line 2: each line must be a JSON object"),
        ('{"text": "no id"}', "line 2: 'id' is required"),
        ('{"id": "x", "text": "t", "said_on": "03/12/2025"}', "line 2: 'said_on' must be a date"),
        ('{"id": "x", "text": "t", "said_on": "2999-01"}', "line 2: 'said_on' 2999-01: The date it was said cannot be in the future"),
        ('{"id": "x", "text": "t", "source_url": "file:///etc/passwd"}', "line 2: 'source_url' must be an http(s) URL"),
        ('{"id": "x", "text": "t", "speaker": 5}', "line 2: 'speaker' must be a string"),
        ('{"id": "good", "text": "again"}', "line 2: id 'good' already appears on line 1"),
        ('{"id": "x", "text": "nul\\u0000byte"}', "line 2: 'text' contains a NUL character"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_written(session: Session, line: str, message: str) -> None:
    lines = jsonl({"id": "good", "text": "A fine statement.", "speaker": "New Person"}, line)
    with pytest.raises(ImportFailed) as failure:
        import_statements(session, lines)
    session.rollback()
    assert message in str(failure.value)
    assert count(session) == 0
    assert session.scalar(select(func.count()).select_from(Speaker)) == 0


def test_a_bad_line_after_a_full_batch_still_writes_nothing(session: Session) -> None:
    from claimtrack.claims import importer

    good = [{"id": f"s{i}", "text": f"statement number {i}"} for i in range(importer.BATCH_SIZE + 10)]
    with pytest.raises(ImportFailed, match=f"line {len(good) + 1}:"):
        import_statements(session, jsonl(*good, "{broken"))
    session.rollback()
    assert count(session) == 0


def test_cli_import_reports_line_numbers_and_wrong_encoding(runner: FlaskCliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "1", "text": "We are in the last ten metres."}\n', encoding="utf-8")
    done = runner.invoke(main, ["import", str(good)])
    assert done.exit_code == 0 and "1 new" in done.stdout
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes('{"id": "2", "text": "caf\u00e9"}\n'.encode("latin-1"))
    done = runner.invoke(main, ["import", str(latin1)])
    assert done.exit_code == 1
    assert "line 1: not UTF-8" in done.stderr and "nothing was imported" in done.stderr
    missing = runner.invoke(main, ["import", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_cli_import_names_the_line_said_in_the_future_and_writes_nothing(runner: FlaskCliRunner, session: Session,
                                                                         tmp_path: Path) -> None:
    future = tmp_path / "future.jsonl"
    future.write_text('{"id": "1", "text": "Talks resumed."}\n{"id": "2", "text": "Talks ended.", "said_on": "2999-05-01"}\n',
                      encoding="utf-8")
    done = runner.invoke(main, ["import", str(future)])
    assert done.exit_code == 1
    assert "line 2: 'said_on' 2999-05-01: The date it was said cannot be in the future." in done.stderr
    assert "nothing was imported" in done.stderr
    session.expire_all()
    assert count(session) == 0


def _fulltext_ids(session: Session, word: str) -> set[int]:
    rows = session.connection().exec_driver_sql("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?", (word,))
    return {row[0] for row in rows}


def _has_insert_trigger(session: Session) -> bool:
    found = session.connection().exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'statements_fts_after_insert'"
    )
    return found.first() is not None


def _statement_indexes(session: Session) -> dict[str, str]:
    rows = session.connection().exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'statements'"
    )
    return dict(rows.all())


# The fast path's DDL relies on how SQLite transactions run in production, not on the shared test connection.
@pytest.mark.isolated_database
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_large_import_keeps_sqlite_full_text_current(session: Session) -> None:
    from claimtrack.claims import importer

    indexes = _statement_indexes(session)
    assert "ix_statements_speaker_said_on" in indexes
    rows = [{"id": f"s{i}", "text": f"ferry timetable number {i}"} for i in range(importer.BATCH_SIZE + 3)]
    rows.append({"id": "last", "text": "The lighthouse keeper retires."})
    import_statements(session, jsonl(*rows))
    session.commit()
    assert _has_insert_trigger(session), "the trigger is back for the desk's inserts"
    assert _statement_indexes(session) == indexes, "every index deferred by the import is back"
    plan = session.connection().exec_driver_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM statements WHERE speaker_id = 1 ORDER BY said_on"
    ).all()
    assert any("ix_statements_speaker_said_on" in row[-1] for row in plan)
    last = session.scalar(select(Statement.id).where(Statement.external_id == "last"))
    assert _fulltext_ids(session, "lighthouse") == {last}
    assert len(_fulltext_ids(session, "ferry")) == importer.BATCH_SIZE + 3
    log_one = import_statements(session, jsonl({"id": "desk-like", "text": "A lighthouse festival."}))
    session.commit()
    assert log_one.created == 1 and len(_fulltext_ids(session, "lighthouse")) == 2


@pytest.mark.isolated_database
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_failed_large_import_restores_the_full_text_trigger_and_indexes(session: Session) -> None:
    from claimtrack.claims import importer

    indexes = _statement_indexes(session)
    rows = [{"id": f"s{i}", "text": f"ferry timetable number {i}"} for i in range(importer.BATCH_SIZE + 3)]
    with pytest.raises(ImportFailed):
        import_statements(session, jsonl(*rows, "{broken"))
    session.rollback()
    assert _has_insert_trigger(session)
    assert _statement_indexes(session) == indexes
    assert count(session) == 0 and _fulltext_ids(session, "ferry") == set()


@pytest.mark.slow
def test_an_import_killed_midway_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    """Fault injection: SIGKILL a large import after it has dropped its deferred indexes and written batches."""
    import signal
    import sqlite3
    import subprocess
    import time

    from tests.servers import CLAIMTRACK

    env = dict(os.environ, CLAIMTRACK_INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("CLAIMTRACK_DATABASE_URL", None)
    assert run_cli(env, "db", "upgrade").returncode == 0
    database = tmp_path / "instance" / "claimtrack.db"
    with sqlite3.connect(database) as conn:
        schema_before = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    lines = tmp_path / "big.jsonl"
    with open(lines, "w", encoding="utf-8") as out:
        for n in range(200_000):
            out.write(json.dumps({"id": f"k{n}", "text": f"Ferry timetable number {n} changes in spring.", "speaker": f"Speaker {n % 50}"}) + "\n")
    process = subprocess.Popen([*CLAIMTRACK, "import", "--no-index", str(lines)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(str(database) + "-wal")
    deadline = time.monotonic() + 60
    # Several batches in the write-ahead log means the first batch is long past and the indexes are dropped.
    while process.poll() is None and time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 16_000_000):
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL, "the import was killed while it ran"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM statements").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM speakers").fetchone() == (0,)
        assert sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()) == schema_before, \
            "every index and trigger the import dropped is there again"
    again = run_cli(env, "import", "--no-index", str(lines))
    assert again.returncode == 0 and "200000 new" in again.stdout


@pytest.mark.slow
def test_fuzzed_lines_are_imported_or_named_never_half_written(session: Session) -> None:
    """Seeded mutations of a good line (cut, spliced, stray bytes): each is either a statement
    or an error naming its line, and the table holds exactly the accepted ones."""
    import random

    rng = random.Random(int(os.environ.get("FUZZ_SEED", "20261126")))  # FUZZ_SEED=n explores other mutations
    good = json.dumps({"id": "seed", "text": "A deal is really close.", "title": "Is it?", "speaker": "Keith Kellogg",
                       "said_on": "2025-12", "source_url": "https://news.example/a"}).encode()
    junk = [b"\xff", b"\xc3", b"\x00", b"\\u0000", b"\\", b'"', b"{", b"}", b"[", b",", b":", b"null", b"1e999", b"\xe2\x80\xa8", b"\n"]
    accepted = 0
    for n in range(300):
        line = bytearray(good.replace(b'"seed"', f'"f{n}"'.encode()))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(line) + 1)
            action = rng.random()
            if action < 0.4:
                del line[at : at + rng.randint(1, 8)]
            elif action < 0.8:
                line[at:at] = rng.choice(junk)
            else:
                line[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 3)))
        try:
            with session.begin_nested():
                import_statements(session, numbered_lines(io.BytesIO(bytes(line) + b"\n")))
            accepted += 1
        except ImportFailed as failure:
            # A stray newline splits the line in two or three: each part is named by its own number.
            assert all(re.match(r"line [123]: \S", str(e)) and " at at " not in str(e) for e in failure.errors), failure
    session.commit()
    assert count(session) == accepted
    assert 0 < accepted < 300, "the mutations produced both good and bad lines"
