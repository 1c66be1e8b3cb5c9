"""Running a search: ids for one page and a total, then the page's statements loaded in bulk."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from claimtrack.claims.models import Source, Statement, Topic, statement_topics
from claimtrack.outcomes.models import OutcomeLink, OutcomeRelation
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.search.fulltext import count_matches, full_text_match, match_condition, tokens
from claimtrack.search.params import SearchQuery
from claimtrack.search.speakers import SpeakerMatch, match_speakers


@dataclass
class SearchPage:
    query: SearchQuery
    items: list[Statement]
    total: int
    #: Speakers the ``speaker`` argument was taken to mean, best first.
    speakers: list[SpeakerMatch] = field(default_factory=list)
    #: Relevance was asked for but the words match too much to rank; newest first instead.
    relevance_skipped: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))

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


def _published_rating_condition(query: SearchQuery) -> ColumnElement[bool]:
    conditions = [Rating.id == Statement.current_rating_id, Rating.status == RatingStatus.PUBLISHED]
    if query.scale:
        conditions.append(Rating.scale == query.scale)
    if query.verdict:
        conditions.append(Rating.verdict == query.verdict)
    return exists().where(*conditions)


def _outcome_condition(kind: str, today: dt.date) -> ColumnElement[bool]:
    linked = exists().where(OutcomeLink.statement_id == Statement.id)
    if kind in ("awaiting", "overdue"):
        due = Statement.expected_by >= today if kind == "awaiting" else Statement.expected_by < today
        return and_(due, not_(linked))
    return exists().where(OutcomeLink.statement_id == Statement.id, OutcomeLink.relation == OutcomeRelation(kind))


def filter_conditions(query: SearchQuery, today: dt.date, speaker_ids: list[int] | None) -> list[ColumnElement[bool]]:
    """WHERE conditions for every filter except the words (full text is engine-specific)."""
    conditions: list[ColumnElement[bool]] = []
    if speaker_ids is not None:
        conditions.append(Statement.speaker_id.in_(speaker_ids))
    if query.verdict or query.scale:
        conditions.append(_published_rating_condition(query))
    if query.said_from:
        conditions.append(Statement.said_on >= query.said_from)
    if query.said_to:
        conditions.append(Statement.said_on <= query.said_to)
    if query.topic:
        conditions.append(
            Statement.id.in_(
                select(statement_topics.c.statement_id).join(Topic).where(Topic.slug == query.topic.lower())
            )
        )
    if query.outcome:
        conditions.append(_outcome_condition(query.outcome, today))
    if query.publisher:
        conditions.append(
            Statement.source_id.in_(select(Source.id).where(func.lower(Source.publisher) == query.publisher.lower()))
        )
    return conditions


#: Above this many word matches, SQLite walks the date index rather than fetching every match.
MANY_MATCHES = 5_000
#: Ranking scores every match; above this many, relevance gives way to newest first.
RELEVANCE_LIMIT = 20_000


def _page_ids(
    session: Session, query: SearchQuery, words: list[str], word_matches: int, conditions: list[ColumnElement[bool]]
) -> tuple[Select[tuple[int]], Select[tuple[int]]]:
    """The select for one page of ids, and the select counting every match."""
    dialect = session.get_bind().dialect.name
    newest = (Statement.said_on.desc().nulls_last(), Statement.id.desc())
    oldest = (Statement.said_on.asc().nulls_last(), Statement.id.asc())
    if words and query.sort == "relevance" and word_matches <= RELEVANCE_LIMIT:
        matches = full_text_match(dialect, words).matches.subquery("matches")
        ids = select(Statement.id).join(matches, matches.c.id == Statement.id).where(*conditions)
        count = select(func.count()).select_from(ids.subquery())
        return ids.order_by(matches.c.score.desc(), *newest), count
    if words:
        conditions = [*conditions, match_condition(dialect, words, Statement.id, many=word_matches > MANY_MATCHES)]
    ids = select(Statement.id).where(*conditions)
    count = select(func.count()).select_from(Statement).where(*conditions)
    return ids.order_by(*(oldest if query.sort == "oldest" else newest)), count


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
    speakers: list[SpeakerMatch] = []
    speaker_ids: list[int] | None = None
    if query.speaker:
        speakers = match_speakers(session, query.speaker)
        if not speakers:
            return SearchPage(query, [], 0, [])
        speaker_ids = [m.speaker_id for m in speakers]
    if query.speaker_id is not None:
        speaker_ids = [i for i in speaker_ids if i == query.speaker_id] if speaker_ids is not None else [query.speaker_id]
    words = tokens(query.q)
    # The index alone says how common the words are, which picks the plan (and is the total when nothing else filters).
    word_matches = count_matches(session, words) if words else 0
    if words and word_matches == 0:
        return SearchPage(query, [], 0, speakers)
    relevance_skipped = bool(words) and query.sort == "relevance" and word_matches > RELEVANCE_LIMIT
    conditions = filter_conditions(query, today, speaker_ids)
    ids_select, count_select = _page_ids(session, query, words, word_matches, conditions)
    total = word_matches if words and not conditions else session.scalar(count_select) or 0
    if query.offset >= total:
        return SearchPage(query, [], total, speakers, relevance_skipped)
    ids = list(session.scalars(ids_select.limit(query.per_page).offset(query.offset)))
    return SearchPage(query, load_statements(session, ids), total, speakers, relevance_skipped)
