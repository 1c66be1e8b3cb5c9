"""Statements as the desk types them: resolving the speaker, logging, editing, repeats.

Shared by the desk forms and the write API, so both validate and store alike.
Like every service, these flush and audit; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.articles.models import Appearance
from claimtrack.articles.services import record_appearance
from claimtrack.audit import services as audit
from claimtrack.claims.models import DatePrecision, LinkRelation, Source, SourceKind, Statement
from claimtrack.claims.revisions import PublicFields, record_revision
from claimtrack.claims.rules import check_appeared_on, check_statement
from claimtrack.claims.services import (
    get_or_create_source,
    get_or_create_topics,
    link_statements,
    log_statement,
    truncate_date,
)
from claimtrack.errors import Conflict, Invalid
from claimtrack.speakers.directory import SpeakerHit, suggest_speakers
from claimtrack.speakers.models import Speaker
from claimtrack.speakers.services import create_speaker, find_speaker_by_name
from claimtrack.workflow import StaleDraft, checked_note


class UnknownSpeaker(Invalid):
    """No speaker has that name or alias, but some come close: the user must pick one or confirm a new one.

    An :class:`Invalid` on the ``speaker`` field; ``suggestions`` are the close names, best first.
    """

    def __init__(self, name: str, suggestions: list[SpeakerHit]) -> None:
        names = ", ".join(s.name for s in suggestions)
        super().__init__(
            f"No speaker is called {name!r}. Did you mean {names}? Pick one, or confirm a new speaker.", field="speaker"
        )
        self.suggestions = suggestions


class StaleVersion(StaleDraft):
    """The edit was made to an older version of the statement than the stored one (the same answer,
    in the same words, as a stale publish)."""

    def __init__(self, statement: Statement, edited_version: int) -> None:
        super().__init__(statement, edited_version)
        self.statement_id = statement.id


@dataclass
class SourceInput:
    """Where it was said, as typed. For ``publisher`` and ``title``, None means "not sent: keep what
    is stored" (an API client that never heard of the title) and "" means "cleared on the form"."""

    url: str | None = None
    publisher: str | None = None
    kind: SourceKind = SourceKind.ARTICLE
    title: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.url or self.publisher or self.title)


@dataclass
class StatementInput:
    """A statement as typed into the desk form or posted to the API."""

    text: str
    speaker: str
    said_on: dt.date | None = None
    said_on_precision: DatePrecision = DatePrecision.DAY
    source: SourceInput = field(default_factory=SourceInput)
    context: str | None = None
    claim: str | None = None
    topics: list[str] = field(default_factory=list)
    expected_by: dt.date | None = None
    #: Create the speaker even when similar names exist.
    new_speaker: bool = False
    #: Role or title for a speaker created here.
    speaker_role: str | None = None


def existing_speaker(session: Session, name: str, *, create: bool = False) -> Speaker | None:
    """The speaker with this exact name or alias, or None when a new one may be created.

    :raise UnknownSpeaker: when no name matches, similar speakers exist, and ``create`` is not set.
    """
    found = find_speaker_by_name(session, name)
    if found is not None:
        return found
    suggestions = suggest_speakers(session, name, limit=3)
    if suggestions and not create:
        raise UnknownSpeaker(name, suggestions)
    return None


def resolve_speaker(
    session: Session, name: str, *, create: bool = False, role_title: str | None = None, actor: User | None = None
) -> Speaker:
    """The speaker with this exact name or alias; a new one when none resembles it or ``create`` is set.

    :raise UnknownSpeaker: see :func:`existing_speaker`.
    :raise Invalid: on ``speaker`` when the name is empty.
    """
    found = existing_speaker(session, name, create=create)
    if found is not None:
        return found
    return create_speaker(session, name, role_title=(role_title or "").strip() or None, actor=actor)


def _source(session: Session, given: SourceInput, actor: User | None) -> Source | None:
    """The source for a new statement or appearance: an address already known keeps its source,
    whose missing title or publisher the typed ones fill in."""
    if not given.given:
        return None
    source = get_or_create_source(
        session, given.url or None, publisher=given.publisher or None, title=given.title or None, kind=given.kind,
        actor=actor,
    )
    if source.id is not None and not (source.title and source.publisher):
        before = audit.snapshot(source)
        source.title = source.title or given.title or None
        source.publisher = source.publisher or given.publisher or None
        if audit.snapshot(source) != before:
            audit.record(session, actor, "update", source, before=before)
    return source


def _edited_source(session: Session, current: Source | None, given: SourceInput, actor: User | None) -> Source:
    """The source an edited statement points at: the one it had while the address stays the same,
    else the one at the new address (created when new). Nothing is changed yet: see :func:`_apply_source`."""
    url = given.url or None
    if current is not None and current.url == url:
        return current
    return get_or_create_source(
        session, url, publisher=given.publisher or None, title=given.title or None, kind=given.kind, actor=actor
    )


def _apply_source(session: Session, source: Source, given: SourceInput, actor: User | None) -> bool:
    """Store the typed title, publisher and kind on ``source``; a field not sent (None) keeps its value,
    so an edit never loses a title the form or the client did not carry. True when a stored source changed."""
    before = audit.snapshot(source)
    if given.publisher is not None:
        source.publisher = given.publisher.strip() or None
    if given.title is not None:
        source.title = given.title.strip() or None
    source.kind = given.kind
    if source.id is None or audit.snapshot(source) == before:
        return False
    audit.record(session, actor, "update", source, before=before)
    return True


def log_statement_as_typed(
    session: Session, data: StatementInput, *, contradicts: Sequence[Statement] = (), actor: User | None = None
) -> Statement:
    """Log a new statement and link it as contradicting the ``contradicts`` statements.

    :raise UnknownSpeaker: see :func:`resolve_speaker`.
    :raise Invalid: for empty text or an expected-by date before the date said.
    """
    speaker = resolve_speaker(session, data.speaker, create=data.new_speaker, role_title=data.speaker_role, actor=actor)
    statement = log_statement(
        session,
        data.text,
        speaker=speaker,
        said_on=data.said_on,
        said_on_precision=data.said_on_precision,
        source=_source(session, data.source, actor),
        claim=data.claim,
        context=(data.context or "").strip() or None,
        topics=data.topics,
        expected_by=data.expected_by,
        actor=actor,
    )
    for earlier in contradicts:
        link_statements(session, statement, earlier, LinkRelation.CONTRADICTS, actor=actor)
    return statement


def _typed(given: str | None, stored: str | None) -> str | None:
    """A source field after the edit: not sent (None) keeps it, sent empty clears it."""
    return stored if given is None else (given.strip() or None)


def check_editable(statement: Statement) -> None:
    """Whether ``statement`` may be edited at all: the edit page asks before showing its form.

    :raise Conflict: when it was retracted (a retraction is final).
    """
    if statement.is_retracted:
        raise Conflict(f"statement {statement.id} was retracted; a retraction is final, so it is not edited")


def update_statement(
    session: Session,
    statement: Statement,
    data: StatementInput,
    *,
    version: int,
    actor: User | None = None,
    revision_note: str | None = None,
) -> Statement:
    """Save an edit made to version ``version`` of ``statement``.

    A draft is edited in place. Once published, a change to what readers see of it (the words, the
    speaker, the date said, the source) is a public revision and needs ``revision_note``, which
    readers see; topics, context and the other desk fields change without one (the audit trail
    keeps them). A save that changes nothing writes nothing.

    :raise StaleVersion: when someone saved another version since. The database checks again at
        flush through the mapper's ``version_id_col`` (a ``StaleDataError`` then, which the unit of
        work answers as a :class:`Conflict`).
    :raise Conflict: when the statement was retracted (a retraction is final).
    :raise UnknownSpeaker: see :func:`resolve_speaker`.
    :raise Invalid: for empty text or an expected-by date before the date said; on ``revision_note``
        when a published statement's public fields change without one.
    """
    check_editable(statement)
    if statement.version != version:
        raise StaleVersion(statement, version)
    text = data.text.strip()
    check_statement(text, data.said_on, data.expected_by)
    # Look everything up before touching the statement: a query autoflushes, which would write half the edit.
    speaker = resolve_speaker(session, data.speaker, create=data.new_speaker, role_title=data.speaker_role, actor=actor)
    source = _edited_source(session, statement.source, data.source, actor) if data.source.given else statement.source
    topics = get_or_create_topics(session, data.topics)
    said_on = truncate_date(data.said_on, data.said_on_precision) if data.said_on else None
    revision: tuple[PublicFields, PublicFields, str] | None = None
    if statement.is_published:
        title = _typed(data.source.title, source.title) if source is not None and data.source.given else None
        publisher = _typed(data.source.publisher, source.publisher) if source is not None and data.source.given else None
        if source is not None and not data.source.given:
            title, publisher = source.title, source.publisher
        was = PublicFields.of_statement(statement)
        will_be = PublicFields.of(text, speaker, said_on, data.said_on_precision, source, title, publisher)
        if will_be.differs_from(was):
            if not (revision_note or "").strip():
                raise Invalid(
                    "this statement is published: say what changed and why, in a note readers will see "
                    "(for example: Quote corrected against the transcript)",
                    field="revision_note",
                )
            revision = (was, will_be, checked_note(revision_note, field="revision_note"))
    before = audit.snapshot(statement)
    topics_before = [t.id for t in statement.topics]
    # Replacing the topics loads the old ones; without this that load would flush half the edit.
    with session.no_autoflush:
        if source is not None and data.source.given and _apply_source(session, source, data.source, actor):
            # The source's fields are on the statement's edit form: changing them is an edit of the
            # statement, so a form opened before it is stale (the version only counts the statement's columns).
            statement.version = statement.version + 1
        statement.text = text
        statement.speaker = speaker
        statement.said_on = said_on
        statement.said_on_precision = data.said_on_precision
        statement.source = source
        statement.context = (data.context or "").strip() or None
        statement.claim = (data.claim or "").strip() or None
        statement.topics = topics
        statement.expected_by = data.expected_by
    session.flush()  # the speaker and source ids are set at flush; nothing is written when nothing changed
    if audit.snapshot(statement) == before and [t.id for t in topics] == topics_before:
        return statement  # nothing changed: no new version, no revision, nothing in the audit trail
    statement.updated_by_id = actor.id if actor else None
    audit.record(session, actor, "update", statement, before=before)
    if revision is not None:
        record_revision(session, statement, *revision, actor)
    return statement


@dataclass
class AppearanceInput:
    """A statement said or reported again, as typed by hand."""

    speaker: str | None = None
    appeared_on: dt.date | None = None
    source: SourceInput = field(default_factory=SourceInput)
    note: str | None = None
    new_speaker: bool = False


def record_appearance_as_typed(
    session: Session, statement: Statement, data: AppearanceInput, *, actor: User | None = None
) -> Appearance:
    """Record by hand that ``statement`` was said again (confirmed at once).

    :raise Invalid: on "appeared_on" for a date in the future (see :func:`check_appeared_on`).
    :raise UnknownSpeaker: see :func:`resolve_speaker`.
    """
    # Checked before a new speaker or source is made, so a refusal leaves nothing behind.
    check_appeared_on(data.appeared_on)
    speaker = (
        resolve_speaker(session, data.speaker, create=data.new_speaker, actor=actor)
        if data.speaker and data.speaker.strip()
        else None
    )
    return record_appearance(
        session,
        statement,
        speaker=speaker,
        source=_source(session, data.source, actor),
        appeared_on=data.appeared_on,
        note=(data.note or "").strip() or None,
        actor=actor,
    )

