"""Finding known statements in a new text, and recording what reviewers decide.

The web page, ``claimtrack match`` and the tests all call :func:`find_repeats`; the desk stores what it
finds with :func:`check_and_store`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from claimtrack.accounts.models import User
from claimtrack.articles.models import Appearance, AppearanceStatus, Article
from claimtrack.articles.services import check_published_on, record_appearance, store_article
from claimtrack.audit import services as audit
from claimtrack.claims.models import Statement
from claimtrack.errors import Invalid
from claimtrack.matching import STRONG_THRESHOLD, SUGGEST_THRESHOLD
from claimtrack.orm import utcnow
from claimtrack.speakers.directory import SpeakerDirectory, SpeakerHit
from claimtrack.speakers.models import Speaker
from claimtrack.spotting.live_index import LiveIndex
from claimtrack.spotting.segment import Segment, segment_article


@dataclass(frozen=True)
class Thresholds:
    """Newsrooms run two: a lower one to suggest a match for review, a higher one for a strong match."""

    suggest: float = SUGGEST_THRESHOLD
    strong: float = STRONG_THRESHOLD

    def __post_init__(self) -> None:
        """:raise Invalid: unless 0 <= suggest <= strong <= 1."""
        if not 0.0 <= self.suggest <= self.strong <= 1.0:
            raise Invalid("thresholds must satisfy 0 <= suggest <= strong <= 1")

    def strength(self, score: float) -> str:
        return "strong" if score >= self.strong else "suggested"


@dataclass
class Candidate:
    statement: Statement
    score: float
    strength: str


@dataclass
class SentenceMatch:
    """One sentence of the text with the known statements it may repeat, best first."""

    segment: Segment
    speaker: SpeakerHit | None
    candidates: list[Candidate] = field(default_factory=list)


def find_repeats(
    session: Session,
    index: LiveIndex,
    text: str,
    *,
    thresholds: Thresholds = Thresholds(),
    since: dt.date | None = None,
    top_k: int = 3,
    directory: SpeakerDirectory | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[SentenceMatch]:
    """The sentences of ``text`` that repeat known statements (score >= suggest threshold).

    ``progress(done, total)`` hears after each sentence or quote how many of them are matched.

    A quoted span is matched on its own and counts for the sentence it stands in.
    The attributed speaker, when the text names one, raises the score of that
    speaker's statements.
    """
    directory = directory or SpeakerDirectory.load(session)
    # Caught up with the change log once, not once per sentence: a long article has thousands.
    matcher = index.refresh(session)
    segments = segment_article(text)
    sentences = [s for s in segments if s.kind == "sentence"]
    sentence = segments[0] if segments else None
    found: dict[int, dict[int, float]] = {}  # sentence start -> statement id -> best score
    speakers: dict[int, SpeakerHit | None] = {}
    for done, segment in enumerate(segments, start=1):
        # segment_article gives each sentence before its quotes: a quote counts for the sentence before it.
        if segment.kind == "sentence" or sentence is None:
            sentence = segment
        hit = directory.resolve(segment.speaker_mention)
        speakers[sentence.start] = speakers.get(sentence.start) or hit
        matches = matcher.search(
            segment.query or segment.text,
            top_k=top_k,
            since=since,
            speaker=hit.name if hit else None,
            min_score=thresholds.suggest,
        )
        best = found.setdefault(sentence.start, {})
        for match in matches:
            best[match.doc_id] = max(best.get(match.doc_id, 0.0), match.score)
        if progress is not None:
            progress(done, len(segments))
    ids = {sid for scores in found.values() for sid in scores}
    statements = {
        s.id: s
        for s in session.scalars(
            select(Statement)
            .where(Statement.id.in_(ids))
            .options(joinedload(Statement.speaker), joinedload(Statement.current_rating))
        )
    }
    results = []
    for sentence in sentences:
        scores = found.get(sentence.start, {})
        candidates = [
            Candidate(statements[sid], score, thresholds.strength(score))
            for sid, score in sorted(scores.items(), key=lambda kv: -kv[1])
            if sid in statements
        ][:top_k]
        if candidates:
            results.append(SentenceMatch(sentence, speakers.get(sentence.start), candidates))
    return results


@dataclass
class CheckedArticle:
    """What checking an article found and stored: the article, its matched sentences, the new suggestions."""

    article: Article
    matches: list[SentenceMatch]
    created: list[Appearance]


def check_and_store(
    session: Session,
    index: LiveIndex,
    text: str,
    *,
    thresholds: Thresholds = Thresholds(),
    since: dt.date | None = None,
    url: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    published_on: dt.date | None = None,
    actor: User | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckedArticle:
    """Match ``text`` against the known statements, then store it and its matches as suggestions to review.

    Match first, write after: matching only reads, and the article and its suggestions are
    written together at the end, so however long the article, the transaction that writes
    is short. On SQLite a write transaction holds the one lock every writer of the database
    waits for (logins, the API, other desks): it must never be held while thousands of
    sentences are matched.

    :raise Invalid: on ``published_on`` when it is in the future (before any matching),
        on ``text`` when it is empty.
    """
    check_published_on(published_on)
    matches = find_repeats(session, index, text, thresholds=thresholds, since=since, progress=progress)
    article = store_article(
        session, text, url=url, title=title, publisher=publisher, published_on=published_on, actor=actor
    )
    created = record_suggestions(session, article, matches, actor)
    session.flush()
    return CheckedArticle(article, matches, created)


def record_suggestions(session: Session, article: Article, matches: list[SentenceMatch], actor: User | None) -> list[Appearance]:
    """Store each candidate as a suggested appearance for review, once per article, statement and place."""
    existing = {
        (a.statement_id, a.start_offset)
        for a in session.scalars(select(Appearance).where(Appearance.article_id == article.id))
    }
    created = []
    for match in matches:
        for candidate in match.candidates:
            key = (candidate.statement.id, match.segment.start)
            if key in existing:
                continue
            created.append(
                record_appearance(
                    session,
                    candidate.statement,
                    article=article,
                    speaker=session.get_one(Speaker, match.speaker.speaker_id) if match.speaker else None,
                    appeared_on=article.published_on,
                    matched_text=match.segment.text,
                    start_offset=match.segment.start,
                    end_offset=match.segment.end,
                    score=round(candidate.score, 4),
                    status=AppearanceStatus.SUGGESTED,
                    actor=actor,
                )
            )
            existing.add(key)
    return created


def review_appearance(session: Session, appearance: Appearance, confirmed: bool, actor: User) -> Appearance:
    """Confirm or reject a suggested (or earlier reviewed) appearance; the decision is audited.

    Reviewed appearances are the labelled set that ``match-report`` measures the matcher on.
    """
    before = audit.snapshot(appearance)
    appearance.status = AppearanceStatus.CONFIRMED if confirmed else AppearanceStatus.REJECTED
    appearance.reviewer_id = actor.id
    appearance.reviewed_at = utcnow()
    audit.record(session, actor, "confirm" if confirmed else "reject", appearance, before=before)
    return appearance
