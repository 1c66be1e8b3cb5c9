"""The search queries use the indexes migration 0002 builds (a typo in either would silently scan)."""

from __future__ import annotations

import datetime as dt

import pytest
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


# The hand-tuned SQLite plans of search/service.py, pinned: each was chosen by `make bench` at 1M
# statements (benchmarks/SEARCH_RESULTS.md), and SQLite would silently pick another without them.


def sqlite_plan(session: Session, query: dict[str, str], speaker_ids: list[int] | None, walk_dates: bool) -> str:
    from claimtrack.search.service import NEWEST

    conditions = filter_conditions(parse_search_args(query), dt.date(2026, 1, 1), speaker_ids, walk_dates=walk_dates)
    return explain(session, select(Statement.id).where(*conditions).order_by(*NEWEST).limit(20))


@pytest.mark.parametrize("engine_name", ["sqlite"])
@pytest.mark.parametrize("query", [{"verdict": "false"}, {"topic": "ukraine"}, {"publisher": "Reuters"}])
def test_a_broad_filter_walks_the_date_index_and_stops_after_a_page(session: Session, query: dict[str, str]) -> None:
    plan = sqlite_plan(session, query, None, walk_dates=True)
    assert "SCAN statements USING" in plan and "INDEX ix_statements_said_on" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # no fetch-everything-then-sort


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_a_speaker_and_a_verdict_start_from_the_speaker_index(session: Session) -> None:
    # A speaker has few statements, a verdict many: the verdict must not drive the query.
    plan = sqlite_plan(session, {"verdict": "false"}, [1, 2], walk_dates=False)
    assert plan.startswith("SEARCH statements USING INDEX ix_statements_speaker_said_on"), plan
