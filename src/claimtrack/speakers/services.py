"""Finding and creating speakers."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.audit import services as audit
from claimtrack.errors import Invalid
from claimtrack.speakers.models import Speaker, SpeakerAlias
from claimtrack.text import slugify, squash_whitespace


def unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, n = base, 1
    while session.scalar(select(Speaker.id).where(Speaker.slug == slug)) is not None:
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
