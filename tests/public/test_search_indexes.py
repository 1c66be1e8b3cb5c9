"""The search queries use the indexes migration 0002 builds (a typo in either would silently scan)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement
from claimtrack.search import parse_search_args
from claimtrack.search.fulltext import match_condition
from claimtrack.search.service import filter_conditions


def explain(session: Session, statement) -> str:  # type: ignore[no-untyped-def]
    sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if session.get_bind().dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join(str(row[-1]) for row in session.execute(text(prefix + sql)))


def test_full_text_condition_uses_the_search_index(session: Session, engine_name: str) -> None:
    if engine_name == "postgresql":
        session.execute(text("SET enable_seqscan = off"))
    query = select(Statement.id).where(match_condition(engine_name, ["deal"], Statement.id))
    plan = explain(session, query)
    expected = "statements_fts VIRTUAL TABLE" if engine_name == "sqlite" else "ix_search_statements_fulltext"
    assert expected in plan, plan


def test_verdict_filter_uses_the_ratings_index(session: Session, engine_name: str) -> None:
    if engine_name == "postgresql":
        session.execute(text("SET enable_seqscan = off"))
    conditions = filter_conditions(parse_search_args({"verdict": "false"}), dt.date(2026, 1, 1), None)
    plan = explain(session, select(Statement.id).where(*conditions))
    assert "ix_search_ratings_verdict" in plan, plan
