"""Logging statements, their sources and topics, and linking statements to each other.

Services flush and write the audit trail; the caller commits (one commit per
request or command), so a failure leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, utils
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.audit import services as audit
from claimtrack.claims.models import (
    DatePrecision,
    LinkRelation,
    Source,
    SourceKind,
    Statement,
    StatementLink,
    Topic,
)
from claimtrack.claims.rules import check_statement
from claimtrack.errors import Conflict, Invalid
from claimtrack.speakers.models import Speaker
from claimtrack.text import slugify, squash_whitespace


def get_or_create_source(
    session: Session,
    url: str | None,
    *,
    publisher: str | None = None,
    title: str | None = None,
    kind: SourceKind = SourceKind.ARTICLE,
    published_on: dt.date | None = None,
    actor: User | None = None,
) -> Source:
    """The source with that URL, or a new one; a source without URL is always new."""
    if url:
        existing = session.scalar(select(Source).where(Source.url == url))
        if existing is not None:
            return existing
    source = Source(url=url or None, publisher=publisher, title=title, kind=kind, published_on=published_on)
    session.add(source)
    audit.record(session, actor, "create", source)
    return source


def get_or_create_topics(session: Session, names: Iterable[str]) -> list[Topic]:
    """The topics with these names, created as needed; names differing only in case or spacing are one topic."""
    topics: dict[str, Topic] = {}
    for raw in names:
        name = squash_whitespace(raw)
        slug = slugify(name)
        if not name or slug in topics:
            continue
        topic = session.scalar(select(Topic).where(Topic.slug == slug))
        if topic is None:
            topic = Topic(name=name, slug=slug)
            session.add(topic)
        topics[slug] = topic
    return list(topics.values())


def truncate_date(day: dt.date, precision: DatePrecision) -> dt.date:
    """Store a month- or year-precise date as its first day, so sorting stays meaningful."""
    if precision is DatePrecision.MONTH:
        return day.replace(day=1)
    if precision is DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day


def log_statement(
    session: Session,
    text: str,
    *,
    speaker: Speaker | None,
    said_on: dt.date | None = None,
    said_on_precision: DatePrecision = DatePrecision.DAY,
    source: Source | None = None,
    claim: str | None = None,
    context: str | None = None,
    language: str = "en",
    topics: Iterable[str] = (),
    expected_by: dt.date | None = None,
    external_id: str | None = None,
    actor: User | None = None,
) -> Statement:
    """Store a statement as said.

    :raise Invalid: on ``text`` when it is empty, on ``expected_by`` when it precedes the date said.
    """
    text = text.strip()
    check_statement(text, said_on, expected_by)
    statement = Statement(
        text=text,
        claim=(claim or "").strip() or None,
        speaker=speaker,
        said_on=truncate_date(said_on, said_on_precision) if said_on else None,
        said_on_precision=said_on_precision,
        source=source,
        context=context,
        language=language,
        topics=get_or_create_topics(session, topics),
        expected_by=expected_by,
        external_id=external_id,
        created_by_id=actor.id if actor else None,
        updated_by_id=actor.id if actor else None,
    )
    session.add(statement)
    audit.record(session, actor, "create", statement)
    return statement


def link_statements(
    session: Session,
    from_statement: Statement,
    to_statement: Statement,
    relation: LinkRelation,
    note: str | None = None,
    actor: User | None = None,
) -> StatementLink:
    """Record that one statement contradicts, supports or repeats another.

    :raise Invalid: on ``other_id`` when both are the same statement.
    :raise Conflict: when they are already linked that way.
    """
    if from_statement.id == to_statement.id:
        raise Invalid("a statement cannot be linked to itself", field="other_id")
    already = select(StatementLink.id).where(
        StatementLink.from_statement_id == from_statement.id,
        StatementLink.to_statement_id == to_statement.id,
        StatementLink.relation == relation,
    )
    if from_statement.id is not None and to_statement.id is not None and session.scalar(already) is not None:
        raise Conflict("these statements are already linked that way")
    link = StatementLink(
        from_statement=from_statement,
        to_statement=to_statement,
        relation=relation,
        note=note,
        created_by_id=actor.id if actor else None,
    )
    session.add(link)
    audit.record(session, actor, "link", link)
    return link


# -- Finding what is already logged -------------------------------------------

#: A similarity score (0-100) at or above this marks a likely duplicate ("already logged as ...").
SIMILAR_CUTOFF = 75
#: Texts with fewer words than this are compared whole; containment would match almost anything.
MIN_WORDS_FOR_CONTAINMENT = 4
#: Below this, an earlier statement by the same speaker is not "on the same subject" unless a topic is shared.
SAME_SUBJECT_CUTOFF = 45
#: How many of the most recently logged statements are compared besides the speaker's own.
RECENT_CANDIDATES = 500


@dataclass(frozen=True)
class SimilarStatement:
    statement: Statement
    score: float


def _candidates(session: Session, speaker: Speaker | None, candidate_ids: Collection[int]) -> list[Statement]:
    # The speaker's own statements and the latest ones are always compared; the
    # caller's candidates (from the match index) reach across the whole archive.
    recent = select(Statement).order_by(Statement.id.desc()).limit(RECENT_CANDIDATES)
    found = {s.id: s for s in session.scalars(recent)}
    if candidate_ids:
        found.update({s.id: s for s in session.scalars(select(Statement).where(Statement.id.in_(candidate_ids)))})
    if speaker is not None and speaker.id is not None:
        found.update({s.id: s for s in session.scalars(select(Statement).where(Statement.speaker_id == speaker.id))})
    return list(found.values())


def statement_similarity(a: str, b: str) -> float:
    """0-100: word-order-insensitive likeness, or containment of one text's words in the other's."""
    a, b = utils.default_process(a), utils.default_process(b)
    score = fuzz.token_sort_ratio(a, b)
    if min(len(a.split()), len(b.split())) >= MIN_WORDS_FOR_CONTAINMENT:
        score = max(score, fuzz.token_set_ratio(a, b))
    return score


def find_similar_statements(
    session: Session, text: str, speaker: Speaker | None, limit: int = 5, candidate_ids: Collection[int] = ()
) -> list[SimilarStatement]:
    """Stored statements that look like ``text`` (likely duplicates), most similar first.

    ``candidate_ids`` adds statements to compare besides the speaker's and the
    latest ones: the desk passes the match index's best hits for ``text``.
    """
    if not utils.default_process(text):
        return []
    candidates = _candidates(session, speaker, candidate_ids)
    scored = [SimilarStatement(s, statement_similarity(text, s.text)) for s in candidates]
    return sorted((s for s in scored if s.score >= SIMILAR_CUTOFF), key=lambda s: -s.score)[:limit]


def earlier_statements_on_subject(
    session: Session, text: str, speaker: Speaker | None, topics: Iterable[str] = (), exclude: Iterable[int] = (), limit: int = 10
) -> list[Statement]:
    """The same speaker's statements that share a topic with, or resemble, ``text``: candidates for a reversal."""
    if speaker is None or speaker.id is None:
        return []
    slugs = {slugify(t) for t in topics if t.strip()}
    skip = set(exclude)
    wanted = utils.default_process(text)
    chosen = []
    for statement in session.scalars(
        select(Statement).where(Statement.speaker_id == speaker.id).order_by(Statement.said_on.desc().nulls_last())
    ):
        if statement.id in skip:
            continue
        shares_topic = bool(slugs & {t.slug for t in statement.topics})
        resembles = fuzz.token_set_ratio(wanted, utils.default_process(statement.text)) >= SAME_SUBJECT_CUTOFF
        if shares_topic or resembles:
            chosen.append(statement)
    return chosen[:limit]


# -- Publishing and retracting ---------------------------------------------------


def publish_statement_link(session: Session, link: StatementLink, actor: User | None, *, version: int | None) -> StatementLink:
    """Publish a link between two statements; both must be public first, so a public link never
    leads to a statement readers cannot see.

    :raise Conflict: when either statement is not published. See :func:`claimtrack.workflow.publish`.
    """
    for end in (link.from_statement, link.to_statement):
        if not end.is_published:
            raise Conflict(f"statement {end.id} is not published: publish it before linking to it in public")
    workflow.publish(session, link, actor, version=version)
    return link


def retract_statement(session: Session, statement: Statement, actor: User | None, *, note: str | None,
                      version: int | None = None) -> Statement:
    """Withdraw a published statement, and with it, under the same note, its published links to other
    statements and to outcomes: nothing public may lead to it. Its page becomes a tombstone; nothing is deleted.

    See :func:`claimtrack.workflow.retract` for what is raised.
    """
    workflow.retract(session, statement, actor, note=note, version=version)
    links = session.scalars(
        select(StatementLink).where(
            or_(StatementLink.from_statement_id == statement.id, StatementLink.to_statement_id == statement.id)
        )
    )
    for link in [*links, *statement.outcome_links]:
        if link.is_published:
            workflow.retract(session, link, actor, note=note)
    return statement
