"""A published quote's revisions are public: on the claim page, in its feeds and in the read API.

The story of the issue: the demo's "Only two major issues…" is published; a fact-checker changes it
to "Only one major issue…" through the desk. Without a note nothing is saved; with one, readers see
the new words, the note and what changed, wherever the claim's history is shown.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.editing import SourceInput, StatementInput, update_statement
from claimtrack.claims.models import DatePrecision, Statement, StatementRevision
from claimtrack.claims.services import log_statement
from claimtrack.text import said_date
from tests.desk.conftest import (  # noqa: F401 (fixtures)
    app_config,
    client_for,
    demo,
    editor,
    fact_checker,
    fc_client,
    make_user,
    see_committed,
)
from tests.public.test_claim_page import event_titles
from tests.public.test_feeds_and_sitemaps import ATOM, parse_atom

OLD_WORDS = "Only two major issues remain to be resolved."
NEW_WORDS = "Only one major issue remains to be resolved."
NOTE = "Quote corrected against the envoy's full remarks: he spoke of one major issue."


def _two_issues(session: Session) -> Statement:
    statement = session.scalars(select(Statement).where(Statement.external_id == "demo-kellogg-two-issues")).one()
    assert statement.is_published and statement.text == OLD_WORDS
    return statement


def _edit_form(statement: Statement, **overrides: str) -> dict[str, str]:
    """The edit form as the desk fills it in for ``statement``, with ``overrides`` typed over it."""
    source, speaker = statement.source, statement.speaker
    assert source is not None and speaker is not None and statement.said_on is not None
    form = {
        "text": statement.text, "speaker": speaker.name, "said_on": statement.said_on.isoformat(),
        "said_on_precision": statement.said_on_precision.value, "source_url": source.url or "",
        "source_title": source.title or "", "source_publisher": source.publisher or "", "source_kind": source.kind.value,
        "context": statement.context or "", "claim": statement.claim or "",
        "topics": ", ".join(t.name for t in statement.topics), "version": str(statement.version),
    }
    form.update(overrides)
    return form


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _field_errors(page: str, field: str) -> list[str]:
    block = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def _heading(page: str) -> str:
    found = re.search(r'<h1 class="claim-words">(.*?)</h1>', page, re.S)
    assert found is not None
    return found.group(1)


def _timeline(page: str) -> str:
    found = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S)
    assert found is not None
    return found.group(1)


def _revised_entries(feed: ET.Element) -> list[ET.Element]:
    return [e for e in feed.findall(f"{ATOM}entry") if (e.findtext(f"{ATOM}title") or "").startswith("Quote revised")]


def test_new_words_without_a_note_are_refused_on_the_note_field_and_nothing_is_saved(
    fc_client: FlaskClient, demo: Session  # noqa: F811
) -> None:
    statement = _two_issues(demo)
    version, events = statement.version, _count(demo, AuditEvent)
    form = fc_client.get(f"/desk/statements/{statement.id}/edit").get_data(as_text=True)
    assert "Revision note (public)" in form and "readers see it on the claim page" in form

    refused = fc_client.post(f"/desk/statements/{statement.id}/edit", data=_edit_form(statement, text=NEW_WORDS))

    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert _field_errors(page, "revision_note") == [
        "This statement is published: say what changed and why, in a note readers will see "
        "(for example: Quote corrected against the transcript)."
    ]
    assert re.search(rf'<textarea[^>]* name="text"[^>]*>\s*{NEW_WORDS}</textarea>', page), "what was typed is kept"
    see_committed(demo)
    assert demo.get(Statement, statement.id).text == OLD_WORDS  # type: ignore[union-attr]
    assert demo.get(Statement, statement.id).version == version  # type: ignore[union-attr]
    assert _count(demo, StatementRevision) == 0 and _count(demo, AuditEvent) == events


@pytest.fixture
def revised(fc_client: FlaskClient, demo: Session) -> Statement:  # noqa: F811
    """Claim #3 of the demo, its words changed through the desk with a public note."""
    statement = _two_issues(demo)
    saved = fc_client.post(f"/desk/statements/{statement.id}/edit",
                           data=_edit_form(statement, text=NEW_WORDS, revision_note=NOTE))
    assert saved.status_code == 302
    see_committed(demo)
    return statement


def test_with_a_note_the_desk_saves_a_public_revision(fc_client: FlaskClient, revised: Statement, demo: Session,  # noqa: F811
                                                     fact_checker: User) -> None:  # noqa: F811
    assert revised.text == NEW_WORDS
    first, second = demo.scalars(
        select(StatementRevision).where(StatementRevision.statement_id == revised.id).order_by(StatementRevision.number)
    ).all()
    assert (first.number, first.text, first.note) == (1, OLD_WORDS, None)
    assert (second.number, second.text, second.note, second.created_by_id) == (2, NEW_WORDS, NOTE, fact_checker.id)
    shown = fc_client.get(f"/desk/statements/{revised.id}").get_data(as_text=True)
    assert "Statement saved as a public revision" in shown


def test_the_claim_page_shows_the_new_words_the_note_and_a_word_diff(client: FlaskClient, revised: Statement) -> None:
    response = client.get(f"/claims/{revised.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert NEW_WORDS in _heading(page) and OLD_WORDS not in _heading(page)
    timeline = _timeline(page)
    assert event_titles(page)[-1] == "Revised", "the revision is the latest event of claim #3's history"
    today = dt.datetime.now(dt.UTC).date()
    assert '<li id="revision-2" class="event event-revised">' in timeline
    assert f'<time datetime="{today.isoformat()}">{said_date(today)}</time>' in timeline.split('id="revision-2"')[1]
    assert "Quote corrected against the envoy&#39;s full remarks" in timeline
    assert "Only <del>two</del><ins>one</ins> major <del>issues</del><ins>issue</ins> " in timeline
    assert "<del>remain</del><ins>remains</ins> to be resolved." in timeline
    assert "revision-changes" not in timeline, "only the words changed"
    assert 'href="#revision-2">What changed</a>' in page, "the header says the quote was revised"


def test_the_claims_feed_has_an_entry_with_the_note_and_the_old_and_new_words(client: FlaskClient, revised: Statement) -> None:
    feed = parse_atom(client, f"/claims/{revised.id}/feed.atom")
    [entry] = _revised_entries(feed)
    assert entry.findtext(f"{ATOM}title") == f"Quote revised: {NOTE}"
    assert entry.findtext(f"{ATOM}id") == f"http://localhost/claims/{revised.id}#revision-2"
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "text"
    assert content.text == f"Note: {NOTE}\nBefore: \u201c{OLD_WORDS}\u201d\nNow: \u201c{NEW_WORDS}\u201d"
    assert feed.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}updated"), "the newest event updates the feed"


def test_the_site_feed_has_the_same_entry_among_the_fact_checks(client: FlaskClient, revised: Statement) -> None:
    feed = parse_atom(client, "/feed.atom")
    [entry] = _revised_entries(feed)
    assert feed.findall(f"{ATOM}entry")[0] is entry, "newest first: the revision came after the demo's ratings"
    assert entry.findtext(f"{ATOM}id") == f"http://localhost/claims/{revised.id}#revision-2"
    assert entry.findtext(f"{ATOM}summary") == f"Keith Kellogg: \u201c{NEW_WORDS}\u201d Revised: {NOTE}"
    assert f"Before: \u201c{OLD_WORDS}\u201d" in (entry.findtext(f"{ATOM}content") or "")
    assert len(feed.findall(f"{ATOM}entry")) == 3, "the demo's two published ratings are still there"


def test_the_read_api_timeline_has_the_revised_event(client: FlaskClient, revised: Statement) -> None:
    body = client.get(f"/api/v1/statements/{revised.id}").get_json()
    assert body["text"] == NEW_WORDS
    [event] = [e for e in body["timeline"] if e["kind"] == "revised"]
    assert body["timeline"][-1] == event and event["id"] == "revision-2" and event["title"] == "Revised"
    revision = event["revision"]
    assert (revision["number"], revision["note"], revision["previous_text"], revision["text"]) == (2, NOTE, OLD_WORDS, NEW_WORDS)
    assert {"kind": "removed", "text": "two"} in revision["diff"] and {"kind": "added", "text": "one"} in revision["diff"]
    assert revision["changes"] == []
    assert all(e["revision"] is None for e in body["timeline"] if e["kind"] != "revised")


def test_a_topics_only_edit_makes_no_public_revision(fc_client: FlaskClient, client: FlaskClient, demo: Session) -> None:  # noqa: F811
    statement = _two_issues(demo)
    saved = fc_client.post(f"/desk/statements/{statement.id}/edit",
                           data=_edit_form(statement, topics="Ukraine peace talks, Donbas, Crimea, Negotiations"))
    assert saved.status_code == 302
    see_committed(demo)
    assert "Negotiations" in [t.name for t in statement.topics] and _count(demo, StatementRevision) == 0
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "Revised" not in event_titles(page) and "Negotiations" in page
    assert _revised_entries(parse_atom(client, f"/claims/{statement.id}/feed.atom")) == []
    assert _revised_entries(parse_atom(client, "/feed.atom")) == []
    timeline = client.get(f"/api/v1/statements/{statement.id}").get_json()["timeline"]
    assert "revised" not in [e["kind"] for e in timeline]


def test_a_save_that_changes_nothing_creates_no_revision_and_no_new_version(
    fc_client: FlaskClient, client: FlaskClient, demo: Session  # noqa: F811
) -> None:
    statement = _two_issues(demo)
    version, events = statement.version, _count(demo, AuditEvent)
    saved = fc_client.post(f"/desk/statements/{statement.id}/edit", data=_edit_form(statement, revision_note=NOTE),
                           follow_redirects=True)
    assert saved.status_code == 200
    assert "did not change, so there is no public revision and the note was not kept" in saved.get_data(as_text=True)
    see_committed(demo)
    assert statement.version == version and _count(demo, AuditEvent) == events
    assert _count(demo, StatementRevision) == 0
    assert NOTE.split(":")[0] not in client.get(f"/claims/{statement.id}").get_data(as_text=True)


def test_the_speaker_date_and_source_changes_are_listed_as_before_and_after(
    client: FlaskClient, demo: Session, editor: User  # noqa: F811
) -> None:
    statement = _two_issues(demo)
    update_statement(demo, statement, StatementInput(
        text=OLD_WORDS, speaker="Keith Kellogg", said_on=dt.date(2025, 12, 2), said_on_precision=DatePrecision.DAY,
        source=SourceInput(url="https://news.example/transcript", title="Full transcript", publisher="News Example"),
    ), version=statement.version, actor=editor, revision_note="Dated and sourced from the full transcript.")
    demo.commit()
    timeline = _timeline(client.get(f"/claims/{statement.id}").get_data(as_text=True))
    assert "revision-diff" not in timeline, "the words did not change"
    changes = timeline.split('<ul class="revision-changes">')[1].split("</ul>")[0]
    listed = [re.sub(r"<span[^>]*>[^<]*</span>", "|", item) for item in re.findall(r"<li>(.*?)</li>", changes)]
    assert [re.sub(r"\s*\|\s*", "|", item) for item in listed] == [
        "|<del>December 2025</del>||<ins>2 December 2025</ins>",
        "|<del>none</del>||<ins>https://news.example/transcript</ins>",
        "|<del>The Last 10 Metres</del>||<ins>Full transcript</ins>",
        "|<del>NewsNeck</del>||<ins>News Example</ins>",
    ]
    assert [re.sub(r"<[^>]+>", "", label) for label in re.findall(r'<span class="revision-field">(.*?)</span>', changes)] == [
        "Date said:", "Source:", "Source title:", "Publisher:"
    ]
    api = client.get(f"/api/v1/statements/{statement.id}").get_json()
    [event] = [e for e in api["timeline"] if e["kind"] == "revised"]
    assert {"label": "Date said", "before": "December 2025", "after": "2 December 2025"} in event["revision"]["changes"]


def test_words_and_notes_are_escaped_in_the_diff_and_the_feeds(client: FlaskClient, demo: Session, editor: User) -> None:  # noqa: F811
    statement = _two_issues(demo)
    update_statement(demo, statement, StatementInput(text="Only <script>alert(1)</script> issues remain.",
                                                     speaker="Keith Kellogg", said_on=statement.said_on,
                                                     said_on_precision=statement.said_on_precision),
                     version=statement.version, actor=editor, revision_note="Fixed <b>the</b> quote & more.")
    demo.commit()
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<b>the</b>" not in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page and "Fixed &lt;b&gt;the&lt;/b&gt; quote &amp; more." in page
    [entry] = _revised_entries(parse_atom(client, f"/claims/{statement.id}/feed.atom"))
    assert entry.findtext(f"{ATOM}title") == "Quote revised: Fixed <b>the</b> quote & more."


def test_a_long_note_is_cut_in_the_feed_title_and_kept_whole_in_the_entry(
    client: FlaskClient, demo: Session, editor: User  # noqa: F811
) -> None:
    statement = _two_issues(demo)
    note = "Corrected against the recording, which makes clear " + "that the envoy spoke of one issue " * 8
    update_statement(demo, statement, StatementInput(text=NEW_WORDS, speaker="Keith Kellogg", said_on=statement.said_on,
                                                     said_on_precision=statement.said_on_precision),
                     version=statement.version, actor=editor, revision_note=note)
    demo.commit()
    [entry] = _revised_entries(parse_atom(client, f"/claims/{statement.id}/feed.atom"))
    title = entry.findtext(f"{ATOM}title") or ""
    assert title.endswith("\u2026") and len(title) < len("Quote revised: ") + 121
    assert note.strip() in (entry.findtext(f"{ATOM}content") or "")


def test_each_revision_is_shown_against_the_one_before_it(client: FlaskClient, demo: Session, editor: User) -> None:  # noqa: F811
    statement = _two_issues(demo)
    for words, note in ((NEW_WORDS, "First fix."), ("Only one major issue remains.", "Second fix.")):
        update_statement(demo, statement, StatementInput(text=words, speaker="Keith Kellogg", said_on=statement.said_on,
                                                         said_on_precision=statement.said_on_precision),
                         version=statement.version, actor=editor, revision_note=note)
        demo.commit()
    body = client.get(f"/api/v1/statements/{statement.id}").get_json()
    revisions = [e["revision"] for e in body["timeline"] if e["kind"] == "revised"]
    assert [(r["number"], r["note"], r["previous_text"]) for r in revisions] == [
        (2, "First fix.", OLD_WORDS), (3, "Second fix.", NEW_WORDS)
    ]
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert event_titles(page)[-2:] == ["Revised", "Revised"]
    assert "issue <del>remains to be resolved.</del><ins>remains.</ins>" in _timeline(page).split('id="revision-3"')[1]
    assert "Revised" in page.split('class="revised-notice"')[1].split("</p>")[0]
    assert 'href="#revision-3">What changed</a>' in page, "the header points at the latest revision"


def test_a_retracted_statements_revisions_leave_the_site_feed(client: FlaskClient, demo: Session, editor: User) -> None:  # noqa: F811
    kellogg = _two_issues(demo).speaker
    statement = log_statement(demo, "The last details are being settled.", speaker=kellogg, said_on=dt.date(2025, 12, 1))
    workflow.publish(demo, statement, None, version=None)
    update_statement(demo, statement, StatementInput(text="The last details are being settled now.", speaker="Keith Kellogg",
                                                     said_on=dt.date(2025, 12, 1)),
                     version=statement.version, actor=editor, revision_note="A word was missing.")
    demo.commit()
    assert len(_revised_entries(parse_atom(client, "/feed.atom"))) == 1
    workflow.retract(demo, statement, editor, note="Misattributed: the words were the interviewer's.")
    demo.commit()
    assert _revised_entries(parse_atom(client, "/feed.atom")) == []


def test_a_drafts_changes_are_never_public(fc_client: FlaskClient, client: FlaskClient, demo: Session) -> None:  # noqa: F811
    kellogg = _two_issues(demo).speaker
    draft = log_statement(demo, "A draft said in private.", speaker=kellogg, said_on=dt.date(2025, 12, 1))
    demo.commit()
    saved = fc_client.post(f"/desk/statements/{draft.id}/edit", data={
        "text": "A draft, reworded.", "speaker": "Keith Kellogg", "said_on": "2025-12-01", "said_on_precision": "day",
        "source_kind": "article", "version": str(draft.version), "revision_note": "Never shown.",
    })
    assert saved.status_code == 302
    see_committed(demo)
    assert draft.text == "A draft, reworded." and _count(demo, StatementRevision) == 0
    assert client.get(f"/claims/{draft.id}").status_code == 404
    assert _revised_entries(parse_atom(client, "/feed.atom")) == []
