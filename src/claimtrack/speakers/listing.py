"""What the desk's speaker and topic pages list: speakers found by name, what points at one, topics.

Counts statements and appearances per speaker, which sit above speakers in the feature order, as the
import contract in pyproject.toml records.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from claimtrack.articles.models import Appearance
from claimtrack.claims.models import Statement, Topic, statement_topics
from claimtrack.speakers.directory import RESOLVE_CUTOFF, SpeakerDirectory, SpeakerHit
from claimtrack.speakers.models import SlugRedirect, Speaker, SpeakerAlias
from claimtrack.text import squash_whitespace

#: Rows on one page of the desk's speaker list.
PER_PAGE = 50


@dataclass(frozen=True)
class SpeakerRow:
    speaker: Speaker
    statements: int


def _statement_counts(session: Session, speaker_ids: list[int]) -> dict[int, int]:
    if not speaker_ids:
        return {}
    rows = session.execute(
        select(Statement.speaker_id, func.count()).where(Statement.speaker_id.in_(speaker_ids)).group_by(Statement.speaker_id)
    )
    return {speaker_id: n for speaker_id, n in rows if speaker_id is not None}


def speaker_list(session: Session, query: str = "", page: int = 1, per_page: int = PER_PAGE) -> tuple[list[SpeakerRow], int]:
    """Speakers by name whose name or an alias contains ``query`` (ignoring case), one page, and how many match."""
    wanted = squash_whitespace(query).lower()
    condition = None
    if wanted:
        by_alias = select(SpeakerAlias.speaker_id).where(func.lower(SpeakerAlias.alias).contains(wanted, autoescape=True))
        condition = or_(func.lower(Speaker.name).contains(wanted, autoescape=True), Speaker.id.in_(by_alias))
    counted_query = select(func.count()).select_from(Speaker)
    listed = select(Speaker).options(selectinload(Speaker.aliases)).order_by(Speaker.name, Speaker.id)
    if condition is not None:
        counted_query, listed = counted_query.where(condition), listed.where(condition)
    total = session.scalar(counted_query) or 0
    speakers = list(session.scalars(listed.limit(per_page).offset((page - 1) * per_page)))
    counts = _statement_counts(session, [s.id for s in speakers])
    return [SpeakerRow(s, counts.get(s.id, 0)) for s in speakers], total


@dataclass(frozen=True)
class SpeakerUsage:
    """What points at a speaker: what a merge would move."""

    statements: int
    appearances: int
    #: Earlier public addresses that lead to this speaker now.
    old_slugs: list[str]


def speaker_usage(session: Session, speaker: Speaker) -> SpeakerUsage:
    statements = session.scalar(select(func.count()).select_from(Statement).where(Statement.speaker_id == speaker.id))
    appearances = session.scalar(select(func.count()).select_from(Appearance).where(Appearance.speaker_id == speaker.id))
    old_slugs = session.scalars(
        select(SlugRedirect.old_slug).where(SlugRedirect.speaker_id == speaker.id).order_by(SlugRedirect.old_slug)
    )
    return SpeakerUsage(statements or 0, appearances or 0, list(old_slugs))


def likely_duplicates(session: Session, speaker: Speaker, limit: int = 5) -> list[SpeakerHit]:
    """Other speakers whose name or an alias is close to this one's name: candidates for a merge."""
    hits = SpeakerDirectory.load(session).rank(speaker.name, cutoff=RESOLVE_CUTOFF, limit=None)
    return [h for h in hits if h.speaker_id != speaker.id][:limit]


def topic_list(session: Session) -> list[tuple[Topic, int]]:
    """Every topic by name, with how many statements are filed under it."""
    rows = session.execute(select(statement_topics.c.topic_id, func.count()).group_by(statement_topics.c.topic_id))
    counts: dict[int, int] = dict(rows.all())
    return [(t, counts.get(t.id, 0)) for t in session.scalars(select(Topic).order_by(Topic.name, Topic.id))]
