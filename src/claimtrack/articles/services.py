"""Storing checked articles and recording appearances of known statements."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.articles.models import Appearance, AppearanceStatus, Article
from claimtrack.audit import services as audit
from claimtrack.errors import Invalid

if TYPE_CHECKING:
    # Types only: claims builds on articles (a statement logged again is an appearance).
    from claimtrack.claims.models import Source, Statement
    from claimtrack.speakers.models import Speaker


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_published_on(published_on: dt.date | None, today: dt.date | None = None) -> None:
    """An article cannot have been published after today.

    :raise Invalid: (field "published_on") when ``published_on`` is after ``today``.
    """
    if published_on is not None and published_on > (today or dt.date.today()):
        raise Invalid("The publication date cannot be in the future.", field="published_on")


def store_article(
    session: Session,
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    published_on: dt.date | None = None,
    actor: User | None = None,
) -> Article:
    """The stored article with this exact text, or a new one.

    A stored article that had no publication date takes ``published_on``, so repeats
    found in it from then on carry the date.

    :raise Invalid: on ``text`` when it is empty; see :func:`check_published_on`.
    """
    if not text.strip():
        raise Invalid("the article has no text", field="text")
    check_published_on(published_on)
    digest = content_hash(text)
    existing = session.scalar(select(Article).where(Article.content_hash == digest))
    if existing is not None:
        if existing.published_on is None and published_on is not None:
            before = audit.snapshot(existing)
            existing.published_on = published_on
            audit.record(session, actor, "update", existing, before=before)
        return existing
    article = Article(
        text=text,
        content_hash=digest,
        url=url,
        title=title,
        publisher=publisher,
        published_on=published_on,
        created_by_id=actor.id if actor else None,
    )
    session.add(article)
    audit.record(session, actor, "create", article)
    return article


def record_appearance(
    session: Session,
    statement: Statement,
    *,
    speaker: Speaker | None = None,
    source: Source | None = None,
    appeared_on: dt.date | None = None,
    article: Article | None = None,
    matched_text: str | None = None,
    start_offset: int | None = None,
    end_offset: int | None = None,
    score: float | None = None,
    status: AppearanceStatus = AppearanceStatus.CONFIRMED,
    note: str | None = None,
    actor: User | None = None,
) -> Appearance:
    """Record that ``statement`` was said or reported again.

    Appearances logged by hand are confirmed by the person logging them;
    the matcher creates suggested ones for review.
    """
    appearance = Appearance(
        statement=statement,
        speaker=speaker,
        source=source,
        appeared_on=appeared_on,
        article=article,
        matched_text=matched_text,
        start_offset=start_offset,
        end_offset=end_offset,
        score=score,
        status=status,
        note=note,
        created_by_id=actor.id if actor else None,
    )
    if status is not AppearanceStatus.SUGGESTED and actor is not None:
        appearance.reviewer_id = actor.id
        appearance.reviewed_at = dt.datetime.now(dt.UTC)
    session.add(appearance)
    audit.record(session, actor, "create", appearance)
    return appearance
