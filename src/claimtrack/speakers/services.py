"""Finding and creating speakers, and following the addresses of renamed or merged ones."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from claimtrack.accounts.models import User
from claimtrack.audit import services as audit
from claimtrack.errors import Invalid
from claimtrack.speakers.models import RedirectKind, SlugRedirect, Speaker, SpeakerAlias
from claimtrack.text import slugify, squash_whitespace


def _slug_taken(session: Session, slug: str, owner_id: int | None) -> bool:
    """A live speaker's slug, or the old slug of another speaker (its address redirects there)."""
    live = session.scalar(select(Speaker.id).where(Speaker.slug == slug, Speaker.id != (owner_id or 0)))
    moved = session.scalar(select(SlugRedirect.speaker_id).where(
        SlugRedirect.kind == RedirectKind.SPEAKER, SlugRedirect.old_slug == slug, SlugRedirect.speaker_id != (owner_id or 0),
    ))
    return live is not None or moved is not None


def unique_slug(session: Session, name: str, owner_id: int | None = None) -> str:
    """A slug for ``name`` that no other speaker's address uses, now or as a redirect.

    ``owner_id``: the speaker being renamed, whose own slugs (current and old) may be reused.
    """
    base = slugify(name)
    slug, n = base, 1
    while _slug_taken(session, slug, owner_id):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_speaker(
    session: Session,
    name: str,
    *,
    role_title: str | None = None,
    affiliation: str | None = None,
    country: str | None = None,
    aliases: Iterable[str] = (),
    slug: str | None = None,
    actor: User | None = None,
) -> Speaker:
    """Create a speaker with its aliases.

    :raise Invalid: on ``speaker`` when the name is empty.
    """
    name = squash_whitespace(name)
    if not name:
        raise Invalid("a speaker needs a name", field="speaker")
    speaker = Speaker(
        name=name,
        slug=slug or unique_slug(session, name),
        role_title=role_title,
        affiliation=affiliation,
        country=country.upper() if country else None,
    )
    speaker.aliases = [SpeakerAlias(alias=a) for a in dict.fromkeys(squash_whitespace(a) for a in aliases) if a]
    session.add(speaker)
    audit.record(session, actor, "create", speaker)
    return speaker


def find_speaker_by_name(session: Session, name: str) -> Speaker | None:
    """The speaker whose name or alias equals ``name``, ignoring case; None if there is none."""
    wanted = squash_whitespace(name).lower()
    speaker = session.scalar(select(Speaker).where(func.lower(Speaker.name) == wanted).limit(1))
    if speaker is None:
        speaker = session.scalar(
            select(Speaker).join(SpeakerAlias).where(func.lower(SpeakerAlias.alias) == wanted).limit(1)
        )
    return speaker


def speaker_moved_to(session: Session, old_slug: str) -> str | None:
    """The current slug of the speaker that had ``old_slug`` before a rename or merge, or None."""
    return session.scalar(
        select(Speaker.slug)
        .join(SlugRedirect, SlugRedirect.speaker_id == Speaker.id)
        .where(SlugRedirect.kind == RedirectKind.SPEAKER, SlugRedirect.old_slug == old_slug)
    )


def merged_speaker_id(session: Session, old_id: int) -> int | None:
    """The id of the speaker that speaker ``old_id`` was merged into (followed to the end), or None."""
    return session.scalar(select(SlugRedirect.speaker_id).where(SlugRedirect.old_speaker_id == old_id))


def topic_moved_to(session: Session, old_slug: str) -> str | None:
    """The current slug of the topic that had ``old_slug`` before a rename, or None."""
    moved = session.scalar(
        select(SlugRedirect)
        .options(joinedload(SlugRedirect.topic))
        .where(SlugRedirect.kind == RedirectKind.TOPIC, SlugRedirect.old_slug == old_slug)
    )
    return moved.topic.slug if moved is not None and moved.topic is not None else None
