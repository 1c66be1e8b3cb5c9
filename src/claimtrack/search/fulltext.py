"""Full-text matching over a statement's words and normalised claim, per engine.

SQLite answers from the FTS5 table ``statements_fts``; PostgreSQL from the GIN
index on :data:`PG_DOCUMENT`. Both are made by migration 0002. User input is
reduced to plain word tokens, so no query syntax (quotes, NEAR, column
filters, operators) from the search box reaches either engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, column, exists, func, literal_column, select, table
from sqlalchemy.orm import Session

#: Must stay identical to the expression of ix_statements_fulltext (migration 0002).
PG_DOCUMENT = "to_tsvector('english', statements.text || ' ' || coalesce(statements.claim, ''))"
PG_CONFIG = "english"

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 12

_fts = table("statements_fts", column("rowid"), column("rank"))


def tokens(q: str) -> list[str]:
    """The words of ``q``, lower-cased, at most :data:`MAX_TOKENS`."""
    return [t.lower() for t in _WORD.findall(q)][:MAX_TOKENS]


@dataclass(frozen=True)
class FullTextMatch:
    """A subquery of matching statement ids (``id``) with a ``score`` (higher is better)."""

    matches: Select[int, float]


def full_text_match(dialect: str, words: list[str]) -> FullTextMatch:
    """Matching ids and scores for ``words`` (all must occur) on ``dialect``.

    :raise ValueError: for an engine without full-text support here, or no words.
    """
    if not words:
        raise ValueError("full-text search needs at least one word")
    if dialect == "sqlite":
        # Each token as an FTS5 string ("..."), implicitly ANDed; bm25 rank is lower-is-better.
        fts_query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        matches = select(
            _fts.c.rowid.label("id"), (-_fts.c.rank).label("score")
        ).where(literal_column("statements_fts").op("MATCH")(fts_query))
        return FullTextMatch(matches)
    if dialect == "postgresql":
        tsquery = func.plainto_tsquery(literal_column(f"'{PG_CONFIG}'"), " ".join(words))
        document: ColumnElement[str] = literal_column(PG_DOCUMENT)
        matches = (
            select(literal_column("statements.id").label("id"), func.ts_rank_cd(document, tsquery).label("score"))
            .select_from(table("statements"))
            .where(document.op("@@")(tsquery))
        )
        return FullTextMatch(matches)
    raise ValueError(f"no full-text search for {dialect}")


def count_matches(session: Session, words: list[str], limit: int) -> tuple[int, float]:
    """How many statements contain all ``words`` (counted from the index up to ``limit``),
    and roughly what share of statements match.

    The share is estimated from the ids the counted matches span, which costs
    nothing extra on SQLite (FTS5 returns matches in id order); elsewhere it is 0.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        matches = full_text_match(dialect, words).matches.limit(limit).subquery()
        count, span = session.execute(select(func.count(), func.max(matches.c.id)).select_from(matches)).one()
        return count, (count / span if span else 0.0)
    tsquery = func.plainto_tsquery(literal_column(f"'{PG_CONFIG}'"), " ".join(words))
    matches = (
        select(literal_column("1").label("one")).select_from(table("statements"))
        .where(literal_column(PG_DOCUMENT).op("@@")(tsquery)).limit(limit).subquery()
    )
    return session.scalar(select(func.count()).select_from(matches)) or 0, 0.0


def match_condition(
    dialect: str, words: list[str], id_column: SQLColumnExpression[int], plan: str = "lookup"
) -> ColumnElement[bool]:
    """A WHERE condition: ``id_column`` is a statement matching ``words``.

    On SQLite the ``plan`` says how, by how common the words are:

    - ``lookup`` (few matches): fetch every match by id;
    - ``scan`` (many matches, counting): list the matches once and test each
      row against the list; ``id + 0`` keeps SQLite from using the id index;
    - ``probe`` (a large share of the table matches, one page): walk the date
      index and ask FTS5 about each row (a rowid-constrained MATCH, about a
      millisecond each), stopping after one page.

    PostgreSQL's planner chooses for itself, so it always gets the plain condition.
    """
    if dialect == "postgresql":
        tsquery = func.plainto_tsquery(literal_column(f"'{PG_CONFIG}'"), " ".join(words))
        return literal_column(PG_DOCUMENT).op("@@")(tsquery)
    if plan == "probe":
        matches = full_text_match(dialect, words).matches.where(_fts.c.rowid == id_column)
        return exists(matches)
    target = id_column + 0 if plan == "scan" else id_column
    return target.in_(select(full_text_match(dialect, words).matches.subquery().c.id))
