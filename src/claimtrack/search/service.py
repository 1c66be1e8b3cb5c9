"""Running a search: ids for one page and a total, then the page's statements loaded in bulk."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, func, not_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression

from claimtrack.claims.models import Source, Statement, Topic, statement_topics
from claimtrack.orm import EVERY_ROW, NOT_PUBLIC_SQL, PUBLIC_VIEW, PublicationStatus
from claimtrack.outcomes.models import OutcomeLink, OutcomeRelation
from claimtrack.outcomes.review import due_for_review_condition
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.search.fulltext import count_matches, full_text_match, match_condition, tokens
from claimtrack.search.params import MAX_OFFSET, SearchQuery
from claimtrack.speakers.directory import SpeakerHit, match_speakers


@dataclass
class SearchPage:
    query: SearchQuery
    items: list[Statement]
    total: int
    #: Speakers the ``speaker`` argument was taken to mean, best first.
    speakers: list[SpeakerHit] = field(default_factory=list)
    #: Relevance was asked for but the words match too much to rank; newest first instead.
    relevance_skipped: bool = False
    #: False when ``total`` is a floor: counting stopped at COUNT_LIMIT.
    total_exact: bool = True

    @property
    def pages(self) -> int:
        """Pages that can be shown; never more than the search depth allows."""
        return max(1, math.ceil(min(self.total, MAX_OFFSET) / self.query.per_page))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1

    @property
    def beyond_end(self) -> bool:
        """The page asked for starts after the last result."""
        return self.query.page > self.pages


def _published_rating_condition(query: SearchQuery, current_rating_id: SQLColumnExpression[Any]) -> ColumnElement[bool]:
    # An id list from the ratings index, then statements by their indexed current_rating_id.
    conditions = [Rating.status == RatingStatus.PUBLISHED]
    if query.scale:
        conditions.append(Rating.scale == query.scale)
    if query.verdict:
        conditions.append(Rating.verdict == query.verdict)
    return current_rating_id.in_(select(Rating.id).where(*conditions))


def _outcome_condition(kind: str, today: dt.date) -> ColumnElement[bool]:
    if kind == "overdue":
        # The one due-for-review rule, so search, the claim page and the desk's queue agree.
        return due_for_review_condition(today)
    # Only published links count, as in the due-for-review rule (a published link's outcome is published).
    linked = and_(OutcomeLink.statement_id == Statement.id, OutcomeLink.status == PublicationStatus.PUBLISHED)
    if kind == "awaiting":
        return and_(Statement.expected_by >= today, not_(exists().where(linked)))
    return exists().where(linked, OutcomeLink.relation == OutcomeRelation(kind))


def _unindexed(column: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """``+column``: the same value, but SQLite will not drive the query from its index."""
    element = cast(ColumnElement[Any], column)  # a mapped attribute stands for its column here
    return UnaryExpression(element, operator=operators.custom_op("+"), type_=element.type)


def _as_is(column: SQLColumnExpression[Any]) -> SQLColumnExpression[Any]:
    return column


def filter_conditions(
    query: SearchQuery, today: dt.date, speaker_ids: list[int] | None, walk_dates: bool = False, dialect: str = "sqlite"
) -> list[ColumnElement[bool]]:
    """WHERE conditions for every filter except the words (full text is engine-specific).

    ``walk_dates`` keeps SQLite off the filters' own indexes, so that a broad
    filter walks the date index and stops after one page instead of fetching
    and sorting every match. The index steering applies to SQLite only;
    PostgreSQL's planner weighs its own statistics.
    """
    col = _unindexed if walk_dates else _as_is
    conditions: list[ColumnElement[bool]] = []
    if speaker_ids is not None:
        conditions.append(col(Statement.speaker_id).in_(speaker_ids))
    if query.verdict or query.scale:
        # A verdict is shared by a large share of statements, a speaker by few: with a speaker
        # filter, SQLite should start from the speaker index, not from every statement rated so.
        rating_col = _unindexed if dialect == "sqlite" and (walk_dates or speaker_ids is not None) else col
        conditions.append(_published_rating_condition(query, rating_col(Statement.current_rating_id)))
    if query.said_from:
        conditions.append(Statement.said_on >= query.said_from)
    if query.said_to:
        conditions.append(Statement.said_on <= query.said_to)
    if query.topic:
        conditions.append(
            col(Statement.id).in_(
                select(statement_topics.c.statement_id).join(Topic).where(Topic.slug == query.topic.lower())
            )
        )
    if query.outcome:
        conditions.append(_outcome_condition(query.outcome, today))
    if query.publisher:
        conditions.append(
            col(Statement.source_id).in_(select(Source.id).where(func.lower(Source.publisher) == query.publisher.lower()))
        )
    return conditions


#: Above this many matches, SQLite walks the date index rather than fetching every match.
MANY_MATCHES = 5_000
#: When this share of all statements contains the words, asking FTS5 row by row while
#: walking the date index beats listing every match (a probe costs about a millisecond).
DENSE_SHARE = 0.2
#: Totals of filtered searches are counted this far and no further ("more than 10,000").
COUNT_LIMIT = MAX_OFFSET
#: Ranking scores every match; above this many, relevance gives way to newest first.
RELEVANCE_LIMIT = 5_000

NEWEST = (Statement.said_on.desc().nulls_last(), Statement.id.desc())
OLDEST = (Statement.said_on.asc().nulls_last(), Statement.id.asc())


def _count(session: Session, conditions: list[ColumnElement[bool]]) -> tuple[int, bool]:
    """(total, exact): counting stops at COUNT_LIMIT, as pages end there anyway."""
    limited = select(Statement.id).where(*conditions).limit(COUNT_LIMIT + 1).subquery()
    counted = session.scalar(select(func.count()).select_from(limited)) or 0
    return min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT


def _hidden(session: Session, *conditions: ColumnElement[bool]) -> int:
    """How many statements meeting ``conditions`` the public does not see (drafts, retracted); 0 on the desk.

    The totals taken from the full-text index or from a bare count know no statuses; subtracting
    the few hidden statements (found by a small partial index) keeps them exact and cheap.
    """
    if not session.info.get(PUBLIC_VIEW):
        return 0
    hidden = (
        select(func.count()).select_from(Statement).where(sql_text(NOT_PUBLIC_SQL), *conditions)
        .execution_options(**{EVERY_ROW: True})
    )
    return session.scalar(hidden) or 0


def load_statements(session: Session, ids: list[int]) -> list[Statement]:
    """Statements with what a result card shows, in the order of ``ids``, in two queries."""
    if not ids:
        return []
    rows = session.scalars(
        select(Statement)
        .where(Statement.id.in_(ids))
        .options(
            joinedload(Statement.speaker),
            joinedload(Statement.source),
            joinedload(Statement.current_rating),
            selectinload(Statement.topics),
        )
    ).unique()
    by_id = {s.id: s for s in rows}
    return [by_id[i] for i in ids if i in by_id]


def search_statements(session: Session, query: SearchQuery, today: dt.date | None = None) -> SearchPage:
    """One page of statements matching ``query``, with the total number of matches.

    A ``speaker`` that matches nobody gives an empty page, not every statement.
    Pages past the end are empty (``beyond_end``), never an error.
    """
    today = today or dt.date.today()
    dialect = session.get_bind().dialect.name
    speakers: list[SpeakerHit] = []
    speaker_ids: list[int] | None = None
    if query.speaker:
        speakers = match_speakers(session, query.speaker)
        if not speakers:
            return SearchPage(query, [], 0, [])
        speaker_ids = [m.speaker_id for m in speakers]
    if query.speaker_id is not None:
        speaker_ids = [i for i in speaker_ids if i == query.speaker_id] if speaker_ids is not None else [query.speaker_id]
    words = tokens(query.q)
    # The index alone says how common the words are: that picks the plan, and is the total when nothing else filters.
    # Counted past the limit by as many rows as the public cannot see, so "more than the limit" stays
    # true once they are taken off.
    hidden_anywhere = _hidden(session) if words else 0
    limit = max(RELEVANCE_LIMIT, COUNT_LIMIT) + 1 + hidden_anywhere
    word_matches, share = count_matches(session, words, limit=limit) if words else (0, 0.0)
    if words and word_matches == 0:
        return SearchPage(query, [], 0, speakers)
    many_words = word_matches > MANY_MATCHES
    ranked = bool(words) and query.sort == "relevance" and word_matches <= RELEVANCE_LIMIT
    conditions = filter_conditions(query, today, speaker_ids, dialect=dialect)

    if not conditions and words and word_matches - hidden_anywhere > COUNT_LIMIT:
        total, exact = COUNT_LIMIT, False
    elif not conditions and words:
        shown = word_matches - (_hidden(session, match_condition(dialect, words, Statement.id, "lookup")) if hidden_anywhere else 0)
        total, exact = min(shown, COUNT_LIMIT), shown <= COUNT_LIMIT
    elif not conditions:
        every = session.scalar(select(func.count()).select_from(Statement).execution_options(**{EVERY_ROW: True})) or 0
        total, exact = every - _hidden(session), True
    else:
        word_condition = [match_condition(dialect, words, Statement.id, "scan" if many_words else "lookup")] if words else []
        total, exact = _count(session, [*conditions, *word_condition])
    page = SearchPage(query, [], total, speakers, bool(words) and query.sort == "relevance" and not ranked, exact)
    # Past the depth a search pages through, a page is empty like one past the end, without the scan to reach it.
    if query.offset >= min(total, MAX_OFFSET):
        return page

    if ranked:
        matches = full_text_match(dialect, words).matches.subquery("matches")
        ids_select = select(Statement.id).join(matches, matches.c.id == Statement.id).where(*conditions)
        ids_select = ids_select.order_by(matches.c.score.desc(), *NEWEST)
    else:
        walk = dialect == "sqlite" and total > MANY_MATCHES
        if walk:
            conditions = filter_conditions(query, today, speaker_ids, walk_dates=True, dialect=dialect)
        if words:
            dense = many_words and share >= DENSE_SHARE
            plan = "probe" if dense and (walk or not conditions) else "scan" if many_words else "lookup"
            conditions = [*conditions, match_condition(dialect, words, Statement.id, plan)]
        order = OLDEST if query.sort == "oldest" else NEWEST
        if dialect == "postgresql" and total <= MANY_MATCHES:
            # We counted them: few matches. Sorting on an expression keeps PostgreSQL from
            # walking the date index in hope of finding them early, and it fetches them by the filters' indexes.
            said_on, key = Statement.said_on + 0, Statement.id + 0
            order = (said_on.asc().nulls_last(), key.asc()) if query.sort == "oldest" else (said_on.desc().nulls_last(), key.desc())
        ids_select = select(Statement.id).where(*conditions).order_by(*order)
    ids = list(session.scalars(ids_select.limit(query.per_page).offset(query.offset)))
    page.items = load_statements(session, ids)
    return page
