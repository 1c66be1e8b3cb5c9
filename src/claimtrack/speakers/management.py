"""The desk's care of speakers and topics: edit a speaker, merge two, rename a topic; each audited.

Every public page names speakers and topics, so a change here keeps their old public addresses
working (a :class:`SlugRedirect` from the old slug) and re-logs, in the statement change log, the
statements whose speaker name the match index holds, so matching uses the new name at once.

Merging moves everything that points at a speaker (statements and their revisions, appearances),
which sits above speakers in the feature order: this module reaches up across it, as the import
contract in pyproject.toml records. Editors and admins only; ``actor`` None is the system.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.accounts.permissions import may_manage_speakers
from claimtrack.articles.models import Appearance
from claimtrack.audit import services as audit
from claimtrack.claims.changes import BULK_REBUILD_THRESHOLD, log_rebuild, log_upserts
from claimtrack.claims.models import Statement, StatementRevision, Topic
from claimtrack.errors import Conflict, Invalid, PermissionDenied
from claimtrack.speakers.directory import suggest_speakers
from claimtrack.speakers.models import RedirectKind, SlugRedirect, Speaker, SpeakerAlias
from claimtrack.speakers.services import unique_slug
from claimtrack.text import clean_text, counted, slugify, squash_whitespace

#: As long as the columns allow.
MAX_NAME = 200
MAX_ROLE = 300


class StaleSpeaker(Conflict):
    """An edit or merge was made to an older version of a speaker than the stored one; nothing changed."""

    def __init__(self, speaker: Speaker, seen_version: int) -> None:
        super().__init__(
            f"{speaker.name} was changed by someone else since you opened it: it is at version {speaker.version} "
            f"now, not version {seen_version} you read. Nothing was saved: check the current version and decide again."
        )
        self.speaker = speaker
        self.current_version = speaker.version


def _check_may_manage(actor: User | None) -> None:
    if actor is not None and not may_manage_speakers(actor):
        raise PermissionDenied("only editors and admins edit, rename and merge speakers and topics")


def _check_version(speaker: Speaker, version: int | None) -> None:
    if version is not None and version != speaker.version:
        raise StaleSpeaker(speaker, version)


def _clean_name(value: str | None, what: str) -> str:
    """:raise Invalid: on ``name`` when it is empty or too long."""
    name = squash_whitespace(clean_text(value or ""))
    if not name:
        raise Invalid(f"a {what} needs a name", field="name")
    if len(name) > MAX_NAME:
        raise Invalid(f"keep the name under {MAX_NAME} characters (it has {len(name)})", field="name")
    return name


def _clean_role(value: str | None) -> str | None:
    """:raise Invalid: on ``role_title`` when it is too long."""
    role = squash_whitespace(clean_text(value or ""))
    if len(role) > MAX_ROLE:
        raise Invalid(f"keep the role or title under {MAX_ROLE} characters (it has {len(role)})", field="role_title")
    return role or None


def clean_aliases(lines: Iterable[str], name: str) -> list[str]:
    """Aliases as stored: spacing squashed, blanks dropped, and repeats of another alias or of the name
    (ignoring case) left out.

    :raise Invalid: on ``aliases`` when one is longer than a name may be.
    """
    seen = {name.casefold()}
    aliases = []
    for line in lines:
        alias = squash_whitespace(clean_text(line))
        if not alias or alias.casefold() in seen:
            continue
        if len(alias) > MAX_NAME:
            raise Invalid(f"an alias is at most {MAX_NAME} characters; \u201c{alias[:30]}\u2026\u201d has {len(alias)}",
                          field="aliases")
        seen.add(alias.casefold())
        aliases.append(alias)
    return aliases


def speakers_called(session: Session, label: str) -> list[Speaker]:
    """Every speaker whose name or an alias is ``label`` (ignoring case), by id."""
    wanted = squash_whitespace(label).lower()
    by_alias = select(SpeakerAlias.speaker_id).where(func.lower(SpeakerAlias.alias) == wanted)
    return list(session.scalars(
        select(Speaker).where(or_(func.lower(Speaker.name) == wanted, Speaker.id.in_(by_alias))).order_by(Speaker.id)
    ))


def _refuse_clash(session: Session, speaker: Speaker, label: str, field: str) -> None:
    """:raise Invalid: on ``field`` when another speaker already goes by ``label``."""
    for other in speakers_called(session, label):
        if other.id == speaker.id:
            continue
        what = "the name" if other.name.lower() == label.lower() else "an alias"
        raise Invalid(
            f"\u201c{label}\u201d is already {what} of {other.name} (#{other.id}); if they are one person, "
            "merge the two speakers instead",
            field=field,
        )


def _snapshot(speaker: Speaker) -> dict[str, Any]:
    """The speaker's columns and aliases, for the audit trail's before and after."""
    return {**audit.snapshot(speaker), "aliases": sorted(a.alias for a in speaker.aliases)}


def _set_aliases(speaker: Speaker, aliases: Sequence[str]) -> None:
    """Keep the rows of aliases that stay, drop the others, add the new ones."""
    kept = [a for a in speaker.aliases if a.alias in aliases]
    known = {a.alias for a in kept}
    added = [SpeakerAlias(alias=a) for a in aliases if a not in known]
    # In the relationship's order, as a reload would give them.
    speaker.aliases = sorted(kept + added, key=lambda a: a.alias)


def _move_address(session: Session, kind: RedirectKind, old_slug: str, new_slug: str, **target: int) -> None:
    """Point ``old_slug`` at the item now at ``new_slug`` (named by ``speaker_id=`` or ``topic_id=``).

    A redirect from ``new_slug`` goes (the slug is live again); so does one from ``old_slug`` to
    another item, which the item at ``old_slug`` had been shadowing.
    """
    session.execute(delete(SlugRedirect).where(SlugRedirect.kind == kind, SlugRedirect.old_slug.in_([old_slug, new_slug])))
    session.add(SlugRedirect(kind=kind, old_slug=old_slug, **target))


def _relog(session: Session, statement_ids: Sequence[int]) -> None:
    """Have every process's match index read these statements again (their speaker's name changed)."""
    if len(statement_ids) > BULK_REBUILD_THRESHOLD:
        log_rebuild(session.connection())
    else:
        log_upserts(session.connection(), statement_ids)


def _statement_ids(session: Session, speaker_id: int) -> list[int]:
    return list(session.scalars(select(Statement.id).where(Statement.speaker_id == speaker_id).order_by(Statement.id)))


def update_speaker(
    session: Session,
    speaker: Speaker,
    *,
    name: str,
    role_title: str | None,
    aliases: Iterable[str],
    actor: User | None,
    version: int | None,
) -> bool:
    """Change a speaker's name, role or title, and aliases; False when nothing changed (nothing is written).

    A new name gives a new slug, and the old address redirects to it; the speaker's statements are
    re-logged for the match index.

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise StaleSpeaker: when the speaker changed since ``version``.
    :raise Invalid: on ``name``, ``role_title`` or ``aliases``: empty or too long, or a new name or
        alias that another speaker already goes by.
    """
    _check_may_manage(actor)
    _check_version(speaker, version)
    name = _clean_name(name, "speaker")
    role = _clean_role(role_title)
    wanted = clean_aliases(aliases, name)
    stored = [a.alias for a in speaker.aliases]
    if name == speaker.name and role == speaker.role_title and sorted(wanted) == sorted(stored):
        return False
    renamed = name != speaker.name
    if renamed:
        _refuse_clash(session, speaker, name, "name")
    stored_keys = {a.casefold() for a in stored}
    for alias in wanted:
        if alias.casefold() not in stored_keys:
            _refuse_clash(session, speaker, alias, "aliases")
    before = _snapshot(speaker)
    if renamed:
        slug = unique_slug(session, name, owner_id=speaker.id)
        if slug != speaker.slug:
            _move_address(session, RedirectKind.SPEAKER, speaker.slug, slug, speaker_id=speaker.id)
            speaker.slug = slug
    speaker.name = name
    speaker.role_title = role
    _set_aliases(speaker, wanted)
    speaker.version += 1
    event = audit.record(session, actor, "update", speaker, before=before)
    event.after = _snapshot(speaker)
    if renamed:
        _relog(session, _statement_ids(session, speaker.id))
    return True


@dataclass(frozen=True)
class MergeResult:
    kept: Speaker
    statements: int
    appearances: int
    #: Aliases the kept speaker gained: the other's name and aliases it did not have.
    new_aliases: list[str]

    def summary(self) -> str:
        moved = f"{counted(self.statements, 'statement')} and {counted(self.appearances, 'appearance')}"
        return f"Merged into {self.kept.name}: {moved} moved over."


def merge_speakers(
    session: Session,
    keep: Speaker,
    other: Speaker,
    *,
    actor: User | None,
    keep_version: int | None,
    other_version: int | None,
) -> MergeResult:
    """Merge ``other`` into ``keep``, which stays; ``other`` is deleted.

    Its statements (and their revisions) and appearances move over; its name and aliases become
    aliases of ``keep``, and what ``keep`` lacks of its role, affiliation and country is taken
    from it. Its public address and its read API id redirect to ``keep`` from then on, and the
    moved statements are re-logged for the match index.

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Invalid: on ``other`` when both are the same speaker.
    :raise StaleSpeaker: when either changed since the version read.
    """
    _check_may_manage(actor)
    if keep.id == other.id:
        raise Invalid("a speaker cannot be merged into itself: pick the duplicate to merge with it", field="other")
    _check_version(keep, keep_version)
    _check_version(other, other_version)
    keep_before, other_before = _snapshot(keep), _snapshot(other)
    statement_ids = _statement_ids(session, other.id)
    appearance_ids = list(session.scalars(select(Appearance.id).where(Appearance.speaker_id == other.id).order_by(Appearance.id)))

    for model in (Statement, StatementRevision, Appearance):
        session.execute(update(model).where(model.speaker_id == other.id).values(speaker_id=keep.id))
    session.execute(update(SlugRedirect).where(SlugRedirect.speaker_id == other.id).values(speaker_id=keep.id))
    _move_address(session, RedirectKind.SPEAKER, other.slug, keep.slug, speaker_id=keep.id, old_speaker_id=other.id)

    wanted = clean_aliases([*(a.alias for a in keep.aliases), other.name, *(a.alias for a in other.aliases)], keep.name)
    new_aliases = [a for a in wanted if a not in keep_before["aliases"]]
    for attr in ("role_title", "affiliation", "country"):
        if getattr(keep, attr) is None:
            setattr(keep, attr, getattr(other, attr))

    gone = audit.record(session, actor, "merge", other, before=other_before)
    gone.after = {"merged_into_id": keep.id, "statements": statement_ids, "appearances": appearance_ids}
    # Forget the collections loaded before the moves, so deleting the row touches nothing that moved.
    session.expire(other)
    session.delete(other)
    session.flush()

    _set_aliases(keep, wanted)
    keep.version += 1
    kept = audit.record(session, actor, "merge", keep, before=keep_before)
    kept.after = {**_snapshot(keep), "merged_from_id": other_before["id"], "statements": statement_ids,
                  "appearances": appearance_ids}
    _relog(session, statement_ids)
    return MergeResult(keep, len(statement_ids), len(appearance_ids), new_aliases)


def find_merge_partner(session: Session, speaker: Speaker, wanted: str | None) -> Speaker:
    """The speaker meant by ``wanted`` (a name or alias as stored, or a number such as "#12") to merge with ``speaker``.

    :raise Invalid: on ``other`` when it names no speaker, several, or ``speaker`` itself.
    """
    text = squash_whitespace(wanted or "")
    if not text:
        raise Invalid("name the speaker to merge with this one", field="other")
    number = text.removeprefix("#")
    if number.isdigit():
        found = session.get(Speaker, int(number))
        if found is None:
            raise Invalid(f"there is no speaker #{number}", field="other")
        matches = [found]
    else:
        matches = [s for s in speakers_called(session, text) if s.id != speaker.id]
    if len(matches) > 1:
        named = ", ".join(f"{s.name} (#{s.id})" for s in matches)
        raise Invalid(f"several speakers go by \u201c{text}\u201d: {named}. Type the number of the one you mean",
                      field="other")
    if not matches:
        hits = [h for h in suggest_speakers(session, text) if h.speaker_id != speaker.id][:5]
        hint = f" Did you mean {', '.join(f'{h.name} (#{h.speaker_id})' for h in hits)}?" if hits else ""
        raise Invalid(f"no other speaker goes by \u201c{text}\u201d.{hint} Type a name or alias as stored, or a "
                      "number such as #12", field="other")
    if matches[0].id == speaker.id:
        raise Invalid("that is this speaker: a speaker cannot be merged into itself", field="other")
    return matches[0]


def rename_topic(session: Session, topic: Topic, name: str, *, actor: User | None) -> bool:
    """Rename a topic; False when the name is unchanged (nothing is written).

    A new slug keeps the old address as a redirect.

    :raise PermissionDenied: when the actor is not an editor or admin.
    :raise Invalid: on ``name`` when it is empty, too long, or another topic's name (ignoring case and spacing).
    """
    _check_may_manage(actor)
    name = _clean_name(name, "topic")
    if name == topic.name:
        return False
    slug = slugify(name)
    clash = session.scalar(select(Topic).where(Topic.slug == slug, Topic.id != topic.id))
    if clash is not None:
        raise Invalid(f"there is already a topic called \u201c{clash.name}\u201d", field="name")
    before = audit.snapshot(topic)
    if slug != topic.slug:
        _move_address(session, RedirectKind.TOPIC, topic.slug, slug, topic_id=topic.id)
        topic.slug = slug
    topic.name = name
    audit.record(session, actor, "rename", topic, before=before)
    return True
