"""Checking an article: matched first, stored after, so a long article never blocks other writers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from claimtrack.articles.models import Appearance, Article
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.db import make_session_factory
from claimtrack.demo import load_fixtures
from claimtrack.spotting.live_index import LiveIndex
from claimtrack.spotting.services import check_and_store

pytestmark = pytest.mark.isolated_database  # two sessions that really commit, on a database of the test's own

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"


def _long_article(size: int) -> str:
    paragraphs = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    text, n = "", 0
    while len(text) < size:
        text += f"Part {n}.\n\n" + paragraphs[n % len(paragraphs)] + "\n\n"
        n += 1
    return text[:size]


def _wait_briefly_for_locks(session: Session, engine_name: str) -> None:
    # A writer that finds the database locked gives up after 0.2 s instead of the usual 5 s.
    if engine_name == "sqlite":
        session.execute(text("PRAGMA busy_timeout = 200"))
    else:
        session.execute(text("SET lock_timeout = '200ms'"))


def test_another_writer_is_not_blocked_while_a_long_article_is_matched(engine: Engine, engine_name: str) -> None:
    sessions = make_session_factory(engine)
    with sessions() as setup:
        load_fixtures(setup)
        setup.commit()
    seconds_to_write: list[float] = []

    def write_halfway(done: int, total: int) -> None:
        """Halfway through the matching, someone else saves a statement on a connection of their own."""
        if seconds_to_write or done < total // 2:
            return
        with sessions() as other:
            _wait_briefly_for_locks(other, engine_name)
            started = time.perf_counter()
            log_statement(other, "A statement saved while an article is being matched.", speaker=None)
            other.commit()
            seconds_to_write.append(time.perf_counter() - started)

    with sessions() as checking:
        checked = check_and_store(checking, LiveIndex(), _long_article(100_000), progress=write_halfway)
        checking.commit()

    assert seconds_to_write and seconds_to_write[0] < 1.0
    with sessions() as after:
        assert after.scalar(select(Statement.id).where(Statement.text.startswith("A statement saved while"))) is not None
        stored = after.get_one(Article, checked.article.id)
        appearances = after.scalars(select(Appearance).where(Appearance.article_id == stored.id)).all()
        assert len(stored.text) == 100_000 and len(appearances) == len(checked.created) > 0
