"""Public revisions of published statements, and the word-level differences between them.

Once a statement is published, what readers quote from it (the words, who said them, when, where)
changes only with a note that says why, kept as a :class:`StatementRevision`. Topics, context and
the other desk fields change without one: the audit trail keeps those.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.audit import services as audit
from claimtrack.claims.models import DatePrecision, Source, Statement, StatementRevision
from claimtrack.speakers.models import Speaker
from claimtrack.text import said_date

#: Fields of a revision readers see, in the order the claim page lists their changes.
PUBLIC_FIELDS = ("text", "speaker_name", "said_on", "said_on_precision", "source_url", "source_title", "source_publisher")


@dataclass(frozen=True)
class PublicFields:
    """What the public reads of a statement, as a revision stores it."""

    text: str
    speaker_id: int | None
    speaker_name: str | None
    said_on: dt.date | None
    said_on_precision: DatePrecision
    source_url: str | None
    source_title: str | None
    source_publisher: str | None

    @classmethod
    def of(cls, text: str, speaker: Speaker | None, said_on: dt.date | None, precision: DatePrecision,
           source: Source | None, source_title: str | None, source_publisher: str | None) -> PublicFields:
        """The title and publisher are given apart from ``source``: an edit may be about to change them."""
        return cls(text, speaker.id if speaker else None, speaker.name if speaker else None, said_on, precision,
                   source.url if source else None, source_title, source_publisher)

    @classmethod
    def of_statement(cls, statement: Statement) -> PublicFields:
        source = statement.source
        return cls.of(statement.text, statement.speaker, statement.said_on, statement.said_on_precision, source,
                      source.title if source else None, source.publisher if source else None)

    def differs_from(self, other: PublicFields) -> bool:
        return any(getattr(self, name) != getattr(other, name) for name in (*PUBLIC_FIELDS, "speaker_id"))


def _add(session: Session, statement: Statement, number: int, fields: PublicFields, note: str | None,
         actor: User | None) -> StatementRevision:
    revision = StatementRevision(
        statement=statement, number=number, note=note, created_by_id=actor.id if actor else None,
        text=fields.text, speaker_id=fields.speaker_id, speaker_name=fields.speaker_name, said_on=fields.said_on,
        said_on_precision=fields.said_on_precision, source_url=fields.source_url, source_title=fields.source_title,
        source_publisher=fields.source_publisher,
    )
    session.add(revision)
    return revision


def record_revision(
    session: Session, statement: Statement, before: PublicFields, after: PublicFields, note: str, actor: User | None
) -> StatementRevision:
    """Keep a published statement's change to its public fields, with its note.

    The first revision also stores the statement as it was first published (number 1), so every
    revision can be shown against the one before it.
    """
    latest = session.scalar(
        select(func.max(StatementRevision.number)).where(StatementRevision.statement_id == statement.id)
    )
    if latest is None:
        _add(session, statement, 1, before, None, actor)
        latest = 1
    revision = _add(session, statement, latest + 1, after, note, actor)
    audit.record(session, actor, "revise", revision)
    return revision


@dataclass(frozen=True)
class DiffPart:
    """A run of words: ``kind`` is "same", "removed" or "added"."""

    kind: str
    text: str


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[DiffPart]:
    """The words removed from ``old`` and added in ``new``, in reading order, spaces kept."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    parts: list[DiffPart] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("removed", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("added", "".join(b[j1:j2])))
    return parts


@dataclass(frozen=True)
class FieldChange:
    """One changed public field of a revision, as readers see it: "Speaker", "Jane Doe" -> "J. Doe"."""

    label: str
    before: str
    after: str


def field_changes(before: StatementRevision, after: StatementRevision) -> list[FieldChange]:
    """What changed besides the words (those are shown as a :func:`word_diff`)."""
    changes = []
    if before.speaker_name != after.speaker_name:
        changes.append(FieldChange("Speaker", before.speaker_name or "unknown", after.speaker_name or "unknown"))
    old_date = said_date(before.said_on, before.said_on_precision) if before.said_on else "date unknown"
    new_date = said_date(after.said_on, after.said_on_precision) if after.said_on else "date unknown"
    if old_date != new_date:
        changes.append(FieldChange("Date said", old_date, new_date))
    for label, name in (("Source", "source_url"), ("Source title", "source_title"), ("Publisher", "source_publisher")):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append(FieldChange(label, old or "none", new or "none"))
    return changes


@dataclass(frozen=True)
class RevisionChange:
    """A revision (number 2 or later) read against the one before it: what readers are shown of it."""

    revision: StatementRevision
    previous: StatementRevision

    @property
    def number(self) -> int:
        return self.revision.number

    @property
    def note(self) -> str:
        return self.revision.note or ""

    @property
    def made_at(self) -> dt.datetime:
        return self.revision.created_at

    @property
    def text(self) -> str:
        return self.revision.text

    @property
    def previous_text(self) -> str:
        return self.previous.text

    @property
    def words_changed(self) -> bool:
        return self.revision.text != self.previous.text

    @cached_property
    def diff(self) -> list[DiffPart]:
        """The words against the previous revision's; empty when they did not change."""
        return word_diff(self.previous.text, self.revision.text) if self.words_changed else []

    @cached_property
    def changes(self) -> list[FieldChange]:
        """What changed besides the words: speaker, date said, source."""
        return field_changes(self.previous, self.revision)


def revision_changes(revisions: Sequence[StatementRevision]) -> list[RevisionChange]:
    """Each revision after the first, paired with the one before it, oldest first.

    ``revisions`` are one statement's, in any order; number 1 (the statement as first published)
    is no change of its own.
    """
    ordered = sorted(revisions, key=lambda r: r.number)
    return [RevisionChange(after, before) for before, after in pairwise(ordered)]
