"""A claim's public history as one ordered list: said, repeated, revised, rated, corrected, settled, retracted.

Built only from what may be shown: the caller passes published ratings,
confirmed appearances and the published statement's revisions (see
:func:`claimtrack.publishing.queries.claim_view`), and what was retracted,
which shows as a dated notice with its note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimtrack.claims.models import DatePrecision, Statement, StatementLink, StatementRevision
from claimtrack.claims.revisions import RevisionChange, revision_changes
from claimtrack.text import long_date, said_date

if TYPE_CHECKING:
    from claimtrack.articles.models import Appearance
    from claimtrack.outcomes.models import OutcomeLink
    from claimtrack.ratings.models import Rating

#: Same-day events keep this order; a retraction comes after what it withdraws.
KIND_ORDER = {"said": 0, "appearance": 1, "rating": 2, "revised": 2, "expected": 3, "outcome": 4, "retracted": 5}

OUTCOME_RELATION_LABELS = {
    "confirms": "Events bore it out",
    "contradicts": "Events went against it",
    "partly": "Events partly bore it out",
}


@dataclass(frozen=True)
class TimelineEvent:
    #: said, appearance, rating, revised, expected, outcome or retracted.
    kind: str
    date: dt.date | None
    date_label: str
    title: str
    detail: str | None = None
    url: str | None = None
    #: For ratings: the verdict key (for styling), update or correction (None for the first rating),
    #: its public note and the note's heading, the version's id.
    verdict: str | None = None
    #: For ratings: the scale and verdict label, so the page can link the label to "How we rate";
    #: ``title_prefix`` is the title's words before the label ("Rated", "Updated: still rated").
    scale: str | None = None
    verdict_label: str | None = None
    title_prefix: str | None = None
    rating_kind: str | None = None
    correction_note: str | None = None
    note_label: str | None = None
    rating_id: int | None = None
    #: For outcomes: each change made to the outcome after it was published, as (day, public note), oldest first.
    updates: tuple[tuple[dt.date, str], ...] = ()
    #: Stable fragment id on the claim page ("rating-12"), also the feed entry's id.
    anchor: str = ""
    #: For a revision of the statement: its note, the words before and after, the other fields changed.
    revision: RevisionChange | None = None
    #: For a retraction: its public note, headed by ``note_label`` ("Retracted 5 January 2026");
    #: ``detail`` says what was withdrawn.
    retraction_note: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "date_label": self.date_label,
            "title": self.title,
            "detail": self.detail,
            "url": self.url,
            "verdict": self.verdict,
            "rating_kind": self.rating_kind,
            "correction_note": self.correction_note,
            "retraction_note": self.retraction_note,
            "id": self.anchor,
        }


def _said(statement: Statement) -> TimelineEvent:
    source = statement.source
    where = None
    if source is not None:
        where = ", ".join(part for part in (source.title, source.publisher) if part) or None
    # The speaker heads the page already; the event says only what is new.
    return TimelineEvent(
        kind="said",
        date=statement.said_on,
        date_label=said_date(statement.said_on, statement.said_on_precision),
        title="First said",
        detail=f"Reported in {where}" if where else None,
        url=source.url if source else None,
        anchor="said",
    )


def _appearance(appearance: Appearance) -> TimelineEvent:
    article = appearance.article
    day = appearance.appeared_on or (article.published_on if article else None)
    who = appearance.speaker.name if appearance.speaker else None
    where = None
    if article is not None:
        where = ", ".join(part for part in (article.title, article.publisher) if part) or None
    elif appearance.source is not None:
        where = ", ".join(part for part in (appearance.source.title, appearance.source.publisher) if part) or None
    url = article.url if article else appearance.source.url if appearance.source else None
    return TimelineEvent(
        kind="appearance",
        date=day,
        date_label=said_date(day),
        title=f"Repeated by {who}" if who else "Repeated",
        detail=f"In {where}" if where else appearance.matched_text,
        url=url,
        anchor=f"appearance-{appearance.id}",
    )


def _rating_title_prefix(rating: Rating, previous: Rating | None) -> str:
    """The title's words before the verdict label: "Rated" first; then "Updated" or "Corrected",
    saying the rating changed only when the verdict did."""
    if previous is None:
        return "Rated"
    said = rating.kind.label if rating.kind else "Updated"
    if rating.verdict == previous.verdict and rating.scale == previous.scale:
        return f"{said}: still rated"
    return f"{said}: rating changed to"


def _rating(rating: Rating, previous: Rating | None) -> TimelineEvent:
    day = rating.published_at.date() if rating.published_at else None
    prefix = _rating_title_prefix(rating, previous)
    return TimelineEvent(
        kind="rating",
        date=day,
        date_label=said_date(day),
        title=f"{prefix} {rating.verdict_label}",
        detail=rating.headline,
        verdict=rating.verdict,
        scale=rating.scale,
        verdict_label=rating.verdict_label,
        title_prefix=prefix,
        rating_kind=rating.kind.value if rating.kind else None,
        correction_note=rating.correction_note,
        note_label=rating.kind.note_label if rating.kind else "Note",
        rating_id=rating.id,
        anchor=f"rating-{rating.id}",
    )


def revision_anchor(number: int) -> str:
    """The fragment id of revision ``number`` on the claim page, also its feed entries' id."""
    return f"revision-{number}"


def _revised(change: RevisionChange) -> TimelineEvent:
    """A change to the published words, speaker, date or source: dated when it was made, with its note."""
    day = change.made_at.date()
    return TimelineEvent(
        kind="revised",
        date=day,
        date_label=said_date(day),
        title="Revised",
        anchor=revision_anchor(change.number),
        revision=change,
    )


def _outcome(link: OutcomeLink) -> TimelineEvent:
    outcome = link.outcome
    return TimelineEvent(
        kind="outcome",
        date=outcome.occurred_on,
        date_label=said_date(outcome.occurred_on),
        title=OUTCOME_RELATION_LABELS.get(link.relation.value, "Outcome"),
        detail=outcome.description,
        url=outcome.evidence_url,
        updates=tuple((update.created_at.date(), update.note) for update in outcome.updates),
        anchor=f"outcome-{link.id}",
    )


@dataclass(frozen=True)
class RetractedItems:
    """What was withdrawn from a claim's public record: each leaves a dated notice with its note, never its
    old content presented as current (see :func:`retraction_events`)."""

    ratings: Sequence[Rating] = ()
    outcome_links: Sequence[OutcomeLink] = ()
    statement_links: Sequence[StatementLink] = ()


def _retraction(anchor: str, title: str, what: str, at: dt.datetime | None, note: str | None) -> TimelineEvent:
    """A notice "Retracted <date>: <note>" where the item stood; ``what`` names what was withdrawn."""
    day = at.date() if at else None
    return TimelineEvent(
        kind="retracted",
        date=day,
        date_label=said_date(day),
        title=title,
        detail=what,
        note_label=f"Retracted {long_date(day)}" if day else "Retracted",
        retraction_note=note,
        anchor=anchor,
    )


def _retracted_statement(statement: Statement) -> TimelineEvent:
    return _retraction("retracted", "Statement retracted",
                       "We withdrew this statement from our record. It is kept here as it was, with its history.",
                       statement.retracted_at, statement.retraction_note)


def _retracted_rating(rating: Rating) -> TimelineEvent:
    # Name the version withdrawn, not its reasoning: the verdict is no longer ours.
    published = f", published {long_date(rating.published_at)}," if rating.published_at else ""
    return _retraction(f"rating-{rating.id}-retracted", "Rating retracted",
                       f"Our rating \u201c{rating.verdict_label}\u201d{published} was withdrawn.",
                       rating.retracted_at, rating.retraction_note)


def _retracted_outcome(link: OutcomeLink) -> TimelineEvent:
    return _retraction(f"outcome-{link.id}-retracted", "Outcome retracted",
                       f"\u201c{link.outcome.description}\u201d no longer settles this claim.",
                       link.retracted_at, link.retraction_note)


def _retracted_link(link: StatementLink) -> TimelineEvent:
    return _retraction(f"link-{link.id}-retracted", "Related statement retracted",
                       f"Our link to another statement ({link.relation.value}) was withdrawn.",
                       link.retracted_at, link.retraction_note)


def retraction_events(statement: Statement, retracted: RetractedItems) -> list[TimelineEvent]:
    """A notice for each retracted rating version, outcome link and statement link, and for the statement
    itself when it was retracted (its tombstone): dated when it was withdrawn, with the public note."""
    events = [_retracted_rating(r) for r in retracted.ratings]
    events += [_retracted_outcome(link) for link in retracted.outcome_links]
    events += [_retracted_link(link) for link in retracted.statement_links]
    if statement.is_retracted:
        events.append(_retracted_statement(statement))
    return events


def build_timeline(
    statement: Statement,
    published_ratings: list[Rating],
    confirmed_appearances: list[Appearance],
    outcome_links: list[OutcomeLink],
    today: dt.date | None = None,
    revisions: Sequence[StatementRevision] = (),
    retracted: RetractedItems | None = None,
) -> list[TimelineEvent]:
    """Events oldest first; the statement itself always leads, undated events keep their place at the end.

    ``revisions`` are the statement's (number 1, as first published, included): each later one is a
    "revised" event.
    """
    today = today or dt.date.today()
    events = [_appearance(a) for a in confirmed_appearances]
    events += [_rating(r, published_ratings[i - 1] if i else None) for i, r in enumerate(published_ratings)]
    events += [_revised(change) for change in revision_changes(revisions)]
    events += [_outcome(link) for link in outcome_links]
    events += retraction_events(statement, retracted or RetractedItems())
    if statement.expected_by is not None:
        passed = statement.expected_by < today
        settled = bool(outcome_links)
        detail = (
            "The date has passed and no outcome has been recorded yet." if passed and not settled
            else None if settled else "We will check what happened after this date."
        )
        events.append(TimelineEvent(
            kind="expected",
            date=statement.expected_by,
            date_label=said_date(statement.expected_by, DatePrecision.DAY),
            title="Expected by",
            detail=detail,
            anchor="expected",
        ))
    far_future = dt.date.max
    events.sort(key=lambda e: (e.date or far_future, KIND_ORDER[e.kind]))
    return [_said(statement), *events]
