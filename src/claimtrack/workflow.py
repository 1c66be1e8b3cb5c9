"""One publishing workflow for everything the public reads: a draft, then published, then perhaps retracted.

Statements, outcomes, outcome links and statement links carry the columns of
:class:`~claimtrack.orm.Reviewed`; ratings have their own version history
(:mod:`claimtrack.ratings.services`) but follow the same rules. A fact-checker's
draft waits on the desk for an editor, who may also publish their own. A
person's publish or edit names the ``version`` they read, so what goes public
is what was reviewed. Nothing is deleted: a published item leaves the public
record by retraction, with a public note. Every step is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.accounts.permissions import may_publish
from claimtrack.audit import services as audit
from claimtrack.errors import Conflict, Invalid, PermissionDenied
from claimtrack.orm import Base, PublicationStatus, Reviewed, utcnow
from claimtrack.text import clean_text

#: What each table's items are called in messages.
_NAMES = {
    "statements": "statement",
    "outcomes": "outcome",
    "outcome_links": "outcome link",
    "statement_links": "statement link",
    "ratings": "rating",
}

#: The longest retraction note kept; longer ones are refused, not cut.
MAX_NOTE = 2000


def describe(item: Any) -> str:
    """"statement 12", "outcome link 3": how messages name an item."""
    return f"{_NAMES.get(item.__tablename__, item.__tablename__)} {item.id}"


class StaleDraft(Conflict):
    """A publish, edit or retraction was made to an older version than the stored one.

    ``item`` is the stored row; ``seen_version`` the version the person read. Nothing was changed.
    """

    def __init__(self, item: Any, seen_version: int) -> None:
        super().__init__(
            f"{describe(item).capitalize()} was changed by someone else: it is at version {item.version} now, "
            f"not version {seen_version} you read. Nothing was changed: read it again and decide on the current version."
        )
        self.item = item
        self.seen_version = seen_version
        self.current_version = item.version


def check_version(item: Any, version: int | None) -> None:
    """:raise StaleDraft: when ``version`` is given and is not the stored one."""
    if version is not None and version != item.version:
        raise StaleDraft(item, version)


def _row(item: Reviewed) -> Base:
    """The mapped row behind the mixin: every class that carries :class:`Reviewed` is a model."""
    assert isinstance(item, Base)
    return item


def publish(session: Session, item: Reviewed, actor: User | None, *, version: int | None) -> None:
    """Make a draft public.

    ``actor`` None is the system (the demo, fixtures, imports), which may pass None for ``version``
    as nobody reviewed anything; a person's publish always names the version they reviewed.

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Conflict: when it is published already, or retracted.
    :raise StaleDraft: when the draft was saved since ``version``: nothing is published.
    :raise ValueError: when a person's publish names no version (a bug in the caller).
    """
    if actor is not None and version is None:
        raise ValueError("a person's publish must name the version they reviewed")
    if actor is not None and not may_publish(actor):
        raise PermissionDenied("only editors and admins publish; your draft waits for their review")
    if item.is_published:
        raise Conflict(f"{describe(item)} is already published")
    if item.is_retracted:
        raise Conflict(f"{describe(item)} was retracted; a retraction is final")
    check_version(item, version)
    before = audit.snapshot(_row(item))
    item.status = PublicationStatus.PUBLISHED
    item.published_at = utcnow()
    item.published_by_id = actor.id if actor else None
    audit.record(session, actor, "publish", _row(item), before=before)


def checked_note(note: str | None, *, field: str = "note") -> str:
    """A public note as given, cleaned; it must say something.

    :raise Invalid: on ``field`` when it is empty or too long.
    """
    cleaned = clean_text(note or "").strip()
    if not cleaned:
        raise Invalid("say why, in a note readers will see", field=field)
    if len(cleaned) > MAX_NOTE:
        raise Invalid(f"keep the note under {MAX_NOTE} characters (it has {len(cleaned)})", field=field)
    return cleaned


def check_retractable(item: Any, actor: User | None) -> None:
    """The rules every retraction keeps, ratings' included (they carry the same columns and properties).

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Conflict: when it is a draft (never public: nothing to retract) or retracted already.
    """
    if actor is not None and not may_publish(actor):
        raise PermissionDenied("only editors and admins retract")
    if item.is_retracted:
        raise Conflict(f"{describe(item)} is retracted already")
    if not item.is_published:
        raise Conflict(f"{describe(item)} is a draft: it was never public, so there is nothing to retract")


def mark_retracted(item: Any, actor: User | None, note: str) -> None:
    """Stamp who retracted ``item``, when and why; its status is set by the caller (ratings have their own)."""
    item.retracted_at = utcnow()
    item.retracted_by_id = actor.id if actor else None
    item.retraction_note = note


def retract(session: Session, item: Reviewed, actor: User | None, *, note: str | None, version: int | None = None) -> None:
    """Withdraw a published item from the public record, with a public note; the row stays.

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Conflict: when it is a draft (never public: nothing to retract) or retracted already.
    :raise StaleDraft: when it changed since ``version``.
    :raise Invalid: on ``note`` when it is empty.
    """
    check_retractable(item, actor)
    check_version(item, version)
    cleaned = checked_note(note)
    before = audit.snapshot(_row(item))
    item.status = PublicationStatus.RETRACTED
    mark_retracted(item, actor, cleaned)
    audit.record(session, actor, "retract", _row(item), before=before)
