"""Atom feeds (RFC 4287): newly published ratings and quote revisions site-wide, and one claim's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from claimtrack.publishing.timeline import revision_anchor
from claimtrack.text import xml_safe

if TYPE_CHECKING:
    from claimtrack.claims.revisions import RevisionChange
    from claimtrack.publishing.timeline import TimelineEvent
    from claimtrack.ratings.models import Rating

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: dt.datetime
    url: str
    summary: str | None = None
    #: Who wrote the entry (the organisation, then the rater's byline); none: the feed's author.
    authors: tuple[str, ...] = ()
    #: The entry in full, as plain text (a revision's note, old and new words); a summary stays short.
    content: str | None = None


def _when(value: dt.datetime | dt.date) -> str:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(
    *, feed_id: str, title: str, self_url: str, site_url: str, author: str,
    entries: list[FeedEntry], fallback_updated: dt.datetime | None = None,
) -> bytes:
    """The feed as UTF-8 XML; ``updated`` is the newest entry's (or ``fallback_updated``, or now).

    Every text and attribute goes out without the characters XML forbids: text stored before
    the desk cleaned them would otherwise make the whole feed unreadable to every reader.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
        if text is not None:
            element.text = xml_safe(text)
        return element

    child(feed, "id", feed_id)
    child(feed, "title", title)
    newest = max((e.updated for e in entries), default=fallback_updated or dt.datetime.now(dt.UTC))
    child(feed, "updated", _when(newest))
    child(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    child(feed, "link", rel="alternate", href=site_url, type="text/html")
    child(child(feed, "author"), "name", author)
    for entry in entries:
        element = child(feed, "entry")
        child(element, "id", entry.id)
        child(element, "title", entry.title)
        child(element, "updated", _when(entry.updated))
        child(element, "link", rel="alternate", href=entry.url, type="text/html")
        for name in entry.authors:
            child(child(element, "author"), "name", name)
        if entry.summary:
            child(element, "summary", entry.summary)
        if entry.content:
            child(element, "content", entry.content, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def rating_entries(ratings: Iterable[Rating], claim_url: Callable[[int], str], organisation: str) -> list[FeedEntry]:
    """One entry per published rating version (updates and corrections included), linking to the claim page.

    The fact-check's authors are ``organisation`` and the rater who wrote it, never the speaker
    whose words were checked.
    """
    entries = []
    for rating in ratings:
        statement = rating.statement
        speaker = statement.speaker.name if statement.speaker else "Unknown speaker"
        url = claim_url(statement.id)
        # A later version says whether it is an update or a correction, in the title a reader scans.
        said = f"{rating.kind.label}, rated" if rating.kind else "Rated"
        summary = f"{speaker}: \u201c{statement.text}\u201d {said} {rating.verdict_label}."
        if rating.correction_note:
            summary += f" {rating.kind.note_label if rating.kind else 'Note'}: {rating.correction_note}"
        if rating.headline:
            title = f"{rating.kind.label}: {rating.headline}" if rating.kind else rating.headline
        else:
            title = f"{speaker}: {said.lower()} {rating.verdict_label}"
        entries.append(FeedEntry(
            id=f"{url}#rating-{rating.id}",
            title=title,
            updated=rating.published_at or rating.created_at,
            url=url,
            summary=summary,
            authors=(organisation, *_byline(rating)),
        ))
    return entries


def _byline(rating: Rating) -> tuple[str, ...]:
    name = rating.rater.display_name.strip() if rating.rater else ""
    return (name,) if name else ()


def timeline_entries(timeline: Iterable[TimelineEvent], page_url: str, created_at: dt.datetime) -> list[FeedEntry]:
    """One entry per dated event of a claim's public timeline ("expected by" is a promise, not news)."""
    entries = []
    for event in timeline:
        if event.kind == "expected":
            continue
        if event.revision is not None:
            entries.append(_revision_entry(event.revision, f"{page_url}#{event.anchor}"))
            continue
        parts = [event.detail, f"{event.note_label}: {event.correction_note}" if event.correction_note else None]
        if event.retraction_note:
            parts.append(f"{event.note_label}: {event.retraction_note}")
        updated = dt.datetime.combine(event.date, dt.time(), tzinfo=dt.UTC) if event.date else created_at
        entries.append(FeedEntry(
            id=f"{page_url}#{event.anchor}",
            title=f"{event.title} ({event.date_label})",
            updated=updated,
            url=page_url,
            summary=" ".join(p for p in parts if p) or None,
        ))
    return entries


#: A feed reader shows titles in a list: a long note is cut there and read in full in the entry.
TITLE_NOTE_LENGTH = 120


def revision_title(change: RevisionChange) -> str:
    """The entry's title, "Quote revised: <note>", the note cut at a word when it is long."""
    note = change.note
    if len(note) > TITLE_NOTE_LENGTH:
        note = note[:TITLE_NOTE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,.;:") + "\u2026"
    return f"Quote revised: {note}"


def revision_text(change: RevisionChange) -> str:
    """The revision in full, as plain text: the note, the old and new words, the other fields changed."""
    lines = [f"Note: {change.note}"]
    if change.words_changed:
        lines += [f"Before: \u201c{change.previous_text}\u201d", f"Now: \u201c{change.text}\u201d"]
    lines += [f"{c.label}: {c.before} \u2192 {c.after}" for c in change.changes]
    return "\n".join(lines)


def _revision_entry(change: RevisionChange, url: str, summary: str | None = None,
                    authors: tuple[str, ...] = ()) -> FeedEntry:
    return FeedEntry(
        id=url,
        title=revision_title(change),
        updated=change.made_at,
        url=url,
        summary=summary or change.note,
        authors=authors,
        content=revision_text(change),
    )


def revision_entries(
    changes: Iterable[RevisionChange], claim_url: Callable[[int], str], organisation: str
) -> list[FeedEntry]:
    """One entry per revision of a published quote, with the same id as in the claim's own feed.

    ``changes`` need their statement and its speaker loaded (see ``queries.latest_revisions``).
    """
    entries = []
    for change in changes:
        statement = change.revision.statement
        speaker = statement.speaker.name if statement.speaker else "Unknown speaker"
        url = f"{claim_url(statement.id)}#{revision_anchor(change.number)}"
        summary = f"{speaker}: \u201c{change.text}\u201d Revised: {change.note}"
        entries.append(_revision_entry(change, url, summary, authors=(organisation,)))
    return entries
