"""Read-side queries for the public site and the read API.

Everything here shows only what is public: published ratings and confirmed
appearances. Pages, the JSON API, feeds and the benchmark call these, never
the relationships ``Statement.ratings`` or ``Statement.appearances`` (which
hold drafts and suggestions too). What was retracted is read only to leave its
trace: a notice in the timeline, and the tombstone of a retracted statement.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager, joinedload, selectinload

from claimtrack.accounts.models import User
from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.claims.models import LinkRelation, Statement, StatementLink, StatementRevision, Topic, statement_topics
from claimtrack.claims.revisions import RevisionChange
from claimtrack.orm import INCLUDE_RETRACTED, PublicationStatus
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.outcomes.review import is_due_for_review
from claimtrack.publishing.timeline import RetractedItems, TimelineEvent, build_timeline
from claimtrack.publishing.trackrecord import TrackRecord, track_records
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.search.service import load_statements
from claimtrack.speakers.models import Speaker

LIST_PER_PAGE = 20
#: A query that reads retracted rows too, to show them as retracted (see :mod:`.visibility`).
WITH_RETRACTED = {INCLUDE_RETRACTED: True}
#: What leaves a public trace: the published record and what was retracted from it, never a draft.
_ON_RECORD = (PublicationStatus.PUBLISHED, PublicationStatus.RETRACTED)


@dataclass(frozen=True)
class RelatedStatement:
    #: How the related statement stands to this one, e.g. "Contradicts" or "Supported by".
    label: str
    relation: str
    statement: Statement
    note: str | None


# (relation, this statement is the link's source?) -> label
RELATION_LABELS = {
    (LinkRelation.CONTRADICTS, True): "Contradicts",
    (LinkRelation.CONTRADICTS, False): "Contradicted by",
    (LinkRelation.SUPPORTS, True): "Supports",
    (LinkRelation.SUPPORTS, False): "Supported by",
    (LinkRelation.REPEATS, True): "Repeats",
    (LinkRelation.REPEATS, False): "Repeated in",
}


@dataclass
class ClaimView:
    statement: Statement
    #: Published rating versions, oldest first.
    ratings: list[Rating]
    appearances: list[Appearance]
    outcome_links: list[OutcomeLink]
    related: list[RelatedStatement]
    timeline: list[TimelineEvent]
    #: Rating versions, outcome links and statement links retracted: the timeline's notices.
    retracted: RetractedItems = field(default_factory=RetractedItems)

    @property
    def is_tombstone(self) -> bool:
        """The statement itself was retracted: its page answers 410 Gone with the notice and its history."""
        return self.statement.is_retracted

    @property
    def current_rating(self) -> Rating | None:
        """The current verdict, from the one pointer every page and feed reads (drafts never become current)."""
        return self.statement.current_rating

    @property
    def source_name(self) -> str | None:
        """What the page calls the statement's source: its title, else its publisher, else its address's host."""
        source = self.statement.source
        if source is None:
            return None
        return source.title or source.publisher or (urlsplit(source.url).hostname if source.url else None)

    @property
    def rated_by(self) -> str | None:
        """The public name of who wrote the current verdict."""
        rating = self.current_rating
        return public_name(rating.rater) if rating else None

    @property
    def edited_by(self) -> str | None:
        """The public name of the editor who published the current verdict."""
        rating = self.current_rating
        return public_name(rating.published_by) if rating else None

    def review_overdue(self, today: dt.date) -> bool:
        """Whether the statement is due for review, by the rule the desk's queue asks too."""
        rating = self.current_rating
        return is_due_for_review(
            self.statement.expected_by,
            today,
            has_outcome=bool(self.outcome_links),
            current_verdict=rating.verdict_info if rating else None,
        )


def public_name(user: User | None) -> str | None:
    """A user's display name for a byline. A name that holds an address (someone typed their
    email as their name) is left out: a byline never shows an email address."""
    if user is None or not user.display_name.strip() or "@" in user.display_name:
        return None
    return user.display_name.strip()


@dataclass
class Paged:
    """One page of a list, with enough to draw the pager."""

    items: list[Statement]
    total: int
    page: int
    per_page: int = LIST_PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass
class SpeakerView:
    speaker: Speaker
    record: TrackRecord
    statements: Paged


@dataclass
class TopicView:
    topic: Topic
    statements: Paged
    speakers: list[Speaker] = field(default_factory=list)


def rating_versions(session: Session, statement_id: int) -> tuple[list[Rating], list[Rating]]:
    """The statement's published rating versions (in the order they were published) and its retracted ones."""
    versions = session.scalars(
        select(Rating)
        .where(Rating.statement_id == statement_id, Rating.status.in_((RatingStatus.PUBLISHED, RatingStatus.RETRACTED)))
        .order_by(Rating.published_at, Rating.id)
        .execution_options(**WITH_RETRACTED)
    ).all()
    return [r for r in versions if r.is_published], [r for r in versions if r.is_retracted]


def confirmed_appearances(session: Session, statement_id: int) -> list[Appearance]:
    return list(session.scalars(
        select(Appearance)
        .where(Appearance.statement_id == statement_id, Appearance.status == AppearanceStatus.CONFIRMED)
        .options(joinedload(Appearance.article), joinedload(Appearance.speaker), joinedload(Appearance.source))
        .order_by(Appearance.appeared_on, Appearance.id)
    ))


def statement_revisions(session: Session, statement_id: int) -> list[StatementRevision]:
    """The statement's public revisions, first publication (number 1) included, in one query."""
    return list(session.scalars(
        select(StatementRevision).where(StatementRevision.statement_id == statement_id).order_by(StatementRevision.number)
    ))


def outcome_links_of(session: Session, statement_id: int) -> tuple[list[OutcomeLink], list[OutcomeLink]]:
    """The outcome links that settle the statement (published, with a published outcome) and the retracted ones.

    A retracted link settles nothing: it is only a notice in the timeline.
    """
    links = session.scalars(
        select(OutcomeLink)
        .where(OutcomeLink.statement_id == statement_id, OutcomeLink.status.in_(_ON_RECORD))
        .options(joinedload(OutcomeLink.outcome).selectinload(Outcome.updates))
        .order_by(OutcomeLink.id)
        .execution_options(**WITH_RETRACTED)
    ).all()
    # The outcome may be hidden (None) even when the link is not: load and skip, never crash.
    shown = [link for link in links if link.outcome is not None]
    settling = [link for link in shown if link.is_published and link.outcome.is_published]
    return settling, [link for link in shown if link.is_retracted]


def statement_links_of(session: Session, statement_id: int) -> list[StatementLink]:
    """The statement's published and retracted links to other statements, either way round."""
    return list(session.scalars(
        select(StatementLink)
        .where(or_(StatementLink.from_statement_id == statement_id, StatementLink.to_statement_id == statement_id),
               StatementLink.status.in_(_ON_RECORD))
        .order_by(StatementLink.id)
        .execution_options(**WITH_RETRACTED)
    ))


def related_statements(
    session: Session, statement_id: int, links: list[StatementLink] | None = None
) -> list[RelatedStatement]:
    """The statements linked to this one by a published link (``links``: this statement's, when already loaded).

    A link whose other statement the reader may not see (a draft, a retracted one) is simply left out.
    """
    live = [link for link in (statement_links_of(session, statement_id) if links is None else links) if link.is_published]
    others = {link.to_statement_id if link.from_statement_id == statement_id else link.from_statement_id for link in live}
    by_id = {s.id: s for s in load_statements(session, sorted(others)) if s.is_published}
    related = []
    for link in live:
        outgoing = link.from_statement_id == statement_id
        other = by_id.get(link.to_statement_id if outgoing else link.from_statement_id)
        if other is not None:
            related.append(RelatedStatement(RELATION_LABELS[(link.relation, outgoing)], link.relation.value, other, link.note))
    return related


def _claim_statement(session: Session, statement_id: int, include_retracted: bool) -> Statement | None:
    """The statement with what its page shows loaded; a retracted one only when asked for (its tombstone)."""
    query = (
        select(Statement)
        .where(Statement.id == statement_id)
        .options(
            joinedload(Statement.speaker),
            joinedload(Statement.source),
            joinedload(Statement.current_rating),
            selectinload(Statement.topics),
        )
    )
    if include_retracted:
        query = query.execution_options(**WITH_RETRACTED)
    return session.scalars(query).unique().first()


def claim_view(
    session: Session, statement_id: int, today: dt.date | None = None, *, include_retracted: bool = False
) -> ClaimView | None:
    """Everything the claim page shows, or None when there is no such statement (for the public: none published).

    With ``include_retracted`` a retracted statement is returned too, to be shown as such
    (:attr:`ClaimView.is_tombstone`): the words as they were, the notice and the history.
    """
    statement = _claim_statement(session, statement_id, include_retracted)
    if statement is None:
        return None
    ratings, retracted_ratings = rating_versions(session, statement_id)
    appearances = confirmed_appearances(session, statement_id)
    outcome_links, retracted_outcomes = outcome_links_of(session, statement_id)
    links = statement_links_of(session, statement_id)
    retracted = RetractedItems(retracted_ratings, retracted_outcomes, [link for link in links if link.is_retracted])
    return ClaimView(
        statement=statement,
        ratings=ratings,
        appearances=appearances,
        outcome_links=outcome_links,
        related=related_statements(session, statement_id, links),
        timeline=build_timeline(
            statement, ratings, appearances, outcome_links, today, retracted=retracted,
            revisions=statement_revisions(session, statement_id),
        ),
        retracted=retracted,
    )


def _paged_statements(
    session: Session, condition: ColumnElement[bool], page: int, per_page: int = LIST_PER_PAGE
) -> Paged:
    total = session.scalar(select(func.count()).select_from(Statement).where(condition)) or 0
    ids = list(session.scalars(
        select(Statement.id)
        .where(condition)
        .order_by(Statement.said_on.desc().nulls_last(), Statement.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ))
    return Paged(load_statements(session, ids), total, page, per_page)


def speaker_view(session: Session, slug: str, page: int = 1) -> SpeakerView | None:
    """The speaker page's data, or None when no speaker has that slug."""
    speaker = session.scalar(select(Speaker).where(Speaker.slug == slug).options(selectinload(Speaker.aliases)))
    if speaker is None:
        return None
    record = track_records(session, [speaker.id])[speaker.id]
    return SpeakerView(speaker, record, _paged_statements(session, Statement.speaker_id == speaker.id, page))


def topic_view(session: Session, slug: str, page: int = 1) -> TopicView | None:
    """The topic page's data, or None when no topic has that slug."""
    topic = session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        return None
    in_topic = Statement.id.in_(select(statement_topics.c.statement_id).where(statement_topics.c.topic_id == topic.id))
    return TopicView(topic, _paged_statements(session, in_topic, page))


def latest_claims(session: Session, limit: int = 20) -> list[Statement]:
    """Statements most recently said, with everything a card shows loaded in bulk."""
    ids = list(session.scalars(
        select(Statement.id).order_by(Statement.said_on.desc().nulls_last(), Statement.id.desc()).limit(limit)
    ))
    return load_statements(session, ids)


def latest_fact_checks(session: Session, limit: int = 10) -> list[Rating]:
    """Published rating versions of published statements, newest first, with their statement and speaker.

    Joined, not only loaded, with their statement: a retracted statement keeps its published ratings,
    shown on its tombstone only.
    """
    return list(session.scalars(
        select(Rating)
        .join(Rating.statement)
        .where(Rating.status == RatingStatus.PUBLISHED, Statement.status == PublicationStatus.PUBLISHED)
        .options(contains_eager(Rating.statement).joinedload(Statement.speaker))
        .order_by(Rating.published_at.desc(), Rating.id.desc())
        .limit(limit)
    ))


def latest_revisions(session: Session, limit: int = 50) -> list[RevisionChange]:
    """Revisions of published statements, newest first, each with the one before it, its statement and
    speaker, in one query (the statement's join keeps drafts' and retracted statements' out)."""
    previous = aliased(StatementRevision)
    rows = session.execute(
        select(StatementRevision, previous)
        .join(previous, and_(previous.statement_id == StatementRevision.statement_id,
                             previous.number == StatementRevision.number - 1))
        .join(StatementRevision.statement)
        .options(contains_eager(StatementRevision.statement).joinedload(Statement.speaker))
        .order_by(StatementRevision.created_at.desc(), StatementRevision.id.desc())
        .limit(limit)
    ).all()
    return [RevisionChange(revision, before) for revision, before in rows]


@dataclass
class OutcomeSummary:
    outcome: Outcome
    #: The first few statements it settles (speaker loaded), and how many there are in all.
    links: list[OutcomeLink]
    link_count: int


def latest_outcomes(session: Session, limit: int = 5, links_each: int = 3) -> list[OutcomeSummary]:
    """Recorded outcomes, most recent first, each with its first ``links_each`` statements.

    One outcome can settle thousands of statements, so links are cut per outcome in SQL. Links are
    joined to their statement, so for the public a link to a statement they may not see (a draft, a
    retracted one) is neither counted nor shown.
    """
    outcomes = list(session.scalars(
        select(Outcome).order_by(Outcome.occurred_on.desc().nulls_last(), Outcome.id.desc()).limit(limit)
    ))
    ids = [o.id for o in outcomes]
    if not ids:
        return []
    # Joined to the statements, so a link whose statement the public cannot see is neither counted nor shown.
    counts = dict(session.execute(
        select(OutcomeLink.outcome_id, func.count())
        .join(Statement, OutcomeLink.statement_id == Statement.id)
        .where(OutcomeLink.outcome_id.in_(ids))
        .group_by(OutcomeLink.outcome_id)
    ).all())
    numbered = (
        select(OutcomeLink.id, func.row_number().over(partition_by=OutcomeLink.outcome_id, order_by=OutcomeLink.id).label("n"))
        .join(Statement, OutcomeLink.statement_id == Statement.id)
        .where(OutcomeLink.outcome_id.in_(ids))
        .subquery()
    )
    # Ids first, then the few links with their statements: one join over the window would
    # let PostgreSQL join every link of a big outcome to the statements before cutting.
    link_ids = list(session.scalars(select(numbered.c.id).where(numbered.c.n <= links_each)))
    links = session.scalars(
        select(OutcomeLink)
        .where(OutcomeLink.id.in_(link_ids))
        .options(joinedload(OutcomeLink.statement).joinedload(Statement.speaker))
        .order_by(OutcomeLink.id)
    ).all()
    by_outcome: dict[int, list[OutcomeLink]] = {i: [] for i in ids}
    for link in links:
        if link.statement is not None:
            by_outcome[link.outcome_id].append(link)
    return [OutcomeSummary(o, by_outcome[o.id], counts.get(o.id, 0)) for o in outcomes]


def speakers_page(session: Session, page: int = 1, per_page: int = LIST_PER_PAGE) -> tuple[list[Speaker], int]:
    """Speakers by name, with aliases loaded, and how many there are."""
    total = session.scalar(select(func.count()).select_from(Speaker)) or 0
    speakers = list(session.scalars(
        select(Speaker).options(selectinload(Speaker.aliases)).order_by(Speaker.name, Speaker.id)
        .limit(per_page).offset((page - 1) * per_page)
    ))
    return speakers, total


def all_topics(session: Session) -> list[Topic]:
    return list(session.scalars(select(Topic).order_by(Topic.name)))
