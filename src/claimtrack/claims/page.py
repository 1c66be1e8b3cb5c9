"""What the desk's statement page shows, gathered in one place for the views that re-render it; and
what the publish conflict page shows of an item, as read and as stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from claimtrack.audit import services as audit
from claimtrack.claims.forms import LinkStatementForm
from claimtrack.claims.models import Source, Statement, StatementLink
from claimtrack.claims.revisions import revision_changes
from claimtrack.forms import ConfirmForm
from claimtrack.orm import Base
from claimtrack.outcomes.forms import LinkOutcomeForm
from claimtrack.outcomes.models import Outcome
from claimtrack.speakers.models import Speaker
from claimtrack.text import long_date, said_date


def statement_page_context(
    session: Session,
    statement: Statement,
    link_form: LinkStatementForm | None = None,
    outcome_form: LinkOutcomeForm | None = None,
) -> dict[str, Any]:
    links = session.scalars(
        select(StatementLink)
        .options(joinedload(StatementLink.from_statement), joinedload(StatementLink.to_statement))
        .where(or_(StatementLink.from_statement_id == statement.id, StatementLink.to_statement_id == statement.id))
        .order_by(StatementLink.id)
    ).all()
    if outcome_form is None:
        outcome_form = LinkOutcomeForm()
    outcomes = session.execute(select(Outcome.id, Outcome.description).order_by(Outcome.id.desc()).limit(200)).all()
    # WTForms' {value: label} shorthand is keyed by text, as the browser sends it; coerce=int reads the id back.
    outcome_form.outcome_id.choices = {str(oid): f"#{oid}: {text[:90]}" for oid, text in outcomes}
    return {
        "statement": statement,
        "ratings": list(reversed(statement.ratings)),
        "links": links,
        "link_form": link_form or LinkStatementForm(formdata=None),
        "outcome_form": outcome_form,
        "has_outcomes": bool(outcomes),
        "confirm_form": ConfirmForm(formdata=None),
        # Newest first, like the ratings: the latest wording is the one a reader is looking at.
        "revisions": list(reversed(revision_changes(statement.revisions))),
    }


#: What a person reads of one version of an item: (label, value) lines, in reading order.
Rows = list[tuple[str, str]]
#: Turns an item's recorded columns (as the audit trail keeps them) into the lines a person reads.
RowsOf = Callable[[Session, dict[str, Any]], Rows]


@dataclass(frozen=True)
class VersionsCompared:
    """An item as a person read it and as it is stored now, for the conflict page."""

    read_version: int
    #: None when the audit trail holds no record of that version.
    read: Rows | None
    current_version: int
    current: Rows

    @property
    def changed(self) -> set[str]:
        """The labels whose values differ between the two versions."""
        if self.read is None:
            return set()
        before = dict(self.read)
        return {label for label, value in self.current if before.get(label) != value}


def compare_versions(session: Session, item: Base, read_version: int, rows_of: RowsOf) -> VersionsCompared:
    """``item`` at ``read_version`` (from the audit trail) beside ``item`` as stored, both as ``rows_of`` reads them."""
    recorded = audit.recorded_state(session, item, read_version)
    current = audit.snapshot(item)
    return VersionsCompared(
        read_version, rows_of(session, recorded) if recorded else None, current["version"], rows_of(session, current)
    )


def recorded_date(value: str | None) -> dt.date | None:
    """A date as the audit trail records it (ISO text), back as a date."""
    return dt.date.fromisoformat(value) if value else None


def statement_rows(session: Session, columns: dict[str, Any]) -> Rows:
    """What a person reads of a statement's version. The speaker and the source are named as they are
    now (the statement's record keeps which ones, not their names then)."""
    speaker = session.get(Speaker, columns["speaker_id"]) if columns.get("speaker_id") else None
    source = session.get(Source, columns["source_id"]) if columns.get("source_id") else None
    expected_by = recorded_date(columns.get("expected_by"))
    return [
        ("Words as said", columns.get("text") or ""),
        ("Speaker", speaker.name if speaker else "Unknown"),
        ("Date said", said_date(recorded_date(columns.get("said_on")), columns.get("said_on_precision") or "day")),
        ("Source", (source.url or source.publisher or source.title or "—") if source else "—"),
        ("Checkable claim", columns.get("claim") or "—"),
        ("Context", columns.get("context") or "—"),
        ("Expected by", long_date(expected_by) if expected_by else "—"),
    ]


def statement_link_rows(session: Session, columns: dict[str, Any]) -> Rows:
    """What a person reads of a link between statements: which two, how they relate, the note."""

    def named(statement_id: int | None) -> str:
        statement = session.get(Statement, statement_id) if statement_id else None
        return f"#{statement.id}: {statement.text}" if statement else "—"

    return [
        ("This statement", named(columns.get("from_statement_id"))),
        ("Relation", columns.get("relation") or "—"),
        ("That statement", named(columns.get("to_statement_id"))),
        ("Note", columns.get("note") or "—"),
    ]
