"""The desk's review workflow: publishing statements, outcomes and links bound to the version read,
editing outcomes, discarding draft links, and the queue of what waits for review.

The walk that found it (for ratings first): an editor read a draft, someone changed it, the editor
clicked Publish, and what went public was not what the editor had read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.audit import services as audit
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.models import LinkRelation, Statement, StatementLink
from claimtrack.claims.services import link_statements, log_statement
from claimtrack.orm import PublicationStatus
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation, OutcomeUpdate
from claimtrack.outcomes.services import link_outcome, publish_link, record_outcome
from claimtrack.ratings.services import publish_rating, rate_statement
from claimtrack.speakers.services import create_speaker
from tests.desk.conftest import MakeUser, see_committed, sqlite_only

CLOSE = "A deal to end the fighting is really close."
SWAPPED = "A deal to end the fighting will never happen."
DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED


def _statement(session: Session, text: str = CLOSE, actor: User | None = None) -> Statement:
    speaker = create_speaker(session, "Keith Kellogg")
    statement = log_statement(session, text, speaker=speaker, said_on=dt.date(2025, 12, 3), actor=actor)
    session.commit()
    return statement


def _published(session: Session, text: str) -> Statement:
    statement = log_statement(session, text, speaker=None, said_on=dt.date(2025, 12, 4))
    workflow.publish(session, statement, None, version=None)
    session.commit()
    return statement


def _version_on(page: str, action: str) -> str:
    """The version the page's form posting to ``action`` sends."""
    found = re.search(rf'action="{re.escape(action)}".*?name="version"[^>]*value="(\d+)"', page, re.S)
    assert found, f"the page has a form posting to {action} with the version it showed"
    return found.group(1)


def _edit_form(statement: Statement, text: str) -> dict[str, object]:
    return {"text": text, "speaker": "Keith Kellogg", "said_on": "2025-12-03", "said_on_precision": "day",
            "source_kind": "article", "version": str(statement.version)}


def _publish_events(session: Session) -> int:
    """How many publishes people made (the arranging code publishes as the system)."""
    return session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "publish", AuditEvent.actor_id.is_not(None))
    ) or 0


# -- Who sees what, who may publish ------------------------------------------------------------------


def _drafts_on_one_page(session: Session, fact_checker: User) -> tuple[Statement, StatementLink, OutcomeLink]:
    statement = _statement(session, actor=fact_checker)
    other = _published(session, "Radical changes are needed to the American proposals.")
    statement_link = link_statements(session, statement, other, LinkRelation.CONTRADICTS, actor=fact_checker)
    outcome = record_outcome(session, "No deal was signed by the new year.", occurred_on=dt.date(2026, 1, 1), actor=fact_checker)
    outcome_link = link_outcome(session, outcome, statement, OutcomeRelation.CONTRADICTS, actor=fact_checker)
    session.commit()
    return statement, statement_link, outcome_link


def test_fact_checkers_see_each_draft_wait_for_an_editor_and_editors_get_a_publish_button_bound_to_its_version(
    fc_client: FlaskClient, editor_client: FlaskClient, fact_checker: User, session: Session
) -> None:
    statement, statement_link, outcome_link = _drafts_on_one_page(session, fact_checker)
    url = f"/desk/statements/{statement.id}"
    fc_page, editor_page = fc_client.get(url).get_data(as_text=True), editor_client.get(url).get_data(as_text=True)

    assert fc_page.count('class="status-badge status-draft">Draft') == 3, "the statement and both of its links"
    assert fc_page.count("Waiting for an editor's review") == 3
    assert "/publish" not in fc_page.replace("/desk/ratings/", ""), "no publish form for a fact-checker"

    assert editor_page.count("Waiting for an editor's review") == 0
    assert _version_on(editor_page, f"/desk/statements/{statement.id}/publish") == str(statement.version)
    assert _version_on(editor_page, f"/desk/statements/links/{statement_link.id}/publish") == str(statement_link.version)
    assert _version_on(editor_page, f"/desk/outcome-links/{outcome_link.id}/publish") == str(outcome_link.version)
    assert f'name="outcome_version" value="{outcome_link.outcome.version}"' in editor_page, "the draft outcome's version too"
    outcomes_page = editor_client.get("/desk/outcomes/").get_data(as_text=True)
    assert _version_on(outcomes_page, f"/desk/outcomes/{outcome_link.outcome_id}/publish") == "1"
    assert "Waiting for an editor's review" in fc_client.get("/desk/outcomes/").get_data(as_text=True)


def test_a_fact_checker_cannot_publish_anything_and_nothing_changes(
    fc_client: FlaskClient, fact_checker: User, session: Session
) -> None:
    statement, statement_link, outcome_link = _drafts_on_one_page(session, fact_checker)
    for url, version in (
        (f"/desk/statements/{statement.id}/publish", statement.version),
        (f"/desk/statements/links/{statement_link.id}/publish", statement_link.version),
        (f"/desk/outcomes/{outcome_link.outcome_id}/publish", 1),
        (f"/desk/outcome-links/{outcome_link.id}/publish", outcome_link.version),
    ):
        assert fc_client.post(url, data={"version": version, "outcome_version": 1}).status_code == 403, url
    see_committed(session)
    assert {statement.status, statement_link.status, outcome_link.status, outcome_link.outcome.status} == {DRAFT}
    assert _publish_events(session) == 0


def test_an_editor_publishes_their_own_draft_and_a_fact_checkers(
    fc_client: FlaskClient, editor_client: FlaskClient, client: FlaskClient, fact_checker: User, editor: User,
    session: Session,
) -> None:
    theirs = _statement(session, actor=fact_checker)
    mine = log_statement(session, "Only two major issues remain.", speaker=None, actor=editor)
    session.commit()
    for statement in (theirs, mine):
        page = editor_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
        action = f"/desk/statements/{statement.id}/publish"
        published = editor_client.post(action, data={"version": _version_on(page, action)})
        assert published.status_code == 302 and published.location == f"/desk/statements/{statement.id}"
        see_committed(session)
        assert statement.status is PUBLISHED and statement.published_by_id == editor.id
        assert client.get(f"/claims/{statement.id}").status_code == 200, "readers see it now"
    assert 'class="status-badge status-published">Published' in fc_client.get(f"/desk/statements/{mine.id}").get_data(as_text=True)
    again = editor_client.post(f"/desk/statements/{mine.id}/publish", data={"version": mine.version})
    assert again.status_code == 409 and "already published" in again.get_data(as_text=True)


@sqlite_only
def test_a_publish_without_the_version_is_refused(editor_client: FlaskClient, fact_checker: User, session: Session) -> None:
    statement, statement_link, outcome_link = _drafts_on_one_page(session, fact_checker)
    for url in (f"/desk/statements/{statement.id}/publish", f"/desk/statements/links/{statement_link.id}/publish",
                f"/desk/outcomes/{outcome_link.outcome_id}/publish", f"/desk/outcome-links/{outcome_link.id}/publish"):
        assert editor_client.post(url).status_code == 400, url
    see_committed(session)
    assert _publish_events(session) == 0


def test_editors_publish_statement_links_and_outcome_links_with_their_draft_outcome(
    editor_client: FlaskClient, client: FlaskClient, fact_checker: User, session: Session
) -> None:
    statement, statement_link, outcome_link = _drafts_on_one_page(session, fact_checker)
    page = editor_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    for action in (f"/desk/statements/{statement.id}/publish", f"/desk/statements/links/{statement_link.id}/publish"):
        assert editor_client.post(action, data={"version": _version_on(page, action)}).status_code == 302
    action = f"/desk/outcome-links/{outcome_link.id}/publish"
    published = editor_client.post(action, data={"version": _version_on(page, action), "outcome_version": "1"})
    assert published.status_code == 302 and published.location.endswith(f"#outcome-link-{outcome_link.id}")
    see_committed(session)
    assert {statement_link.status, outcome_link.status, outcome_link.outcome.status} == {PUBLISHED}
    public = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "No deal was signed by the new year." in public and "Radical changes are needed" in public


# -- A stale publish: the swap --------------------------------------------------------------


def test_an_editor_cannot_publish_a_statement_whose_words_changed_after_reading_it(
    client_for: Callable[[User], FlaskClient], client: FlaskClient, fact_checker: User, editor: User, session: Session
) -> None:
    statement = _statement(session, actor=fact_checker)
    editor_client, fc_client = client_for(editor), client_for(fact_checker)
    action = f"/desk/statements/{statement.id}/publish"

    page = editor_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert CLOSE in page
    read_version = _version_on(page, action)

    swapped = fc_client.post(f"/desk/statements/{statement.id}/edit", data=_edit_form(statement, SWAPPED))
    assert swapped.status_code == 302
    see_committed(session)
    assert statement.text == SWAPPED and str(statement.version) != read_version

    refused = editor_client.post(action, data={"version": read_version})
    assert refused.status_code == 409
    conflict = refused.get_data(as_text=True)
    assert "Nothing was <strong>published</strong>" in conflict
    read_part, current_part = conflict.split('id="current"')
    assert CLOSE in read_part and SWAPPED not in read_part.split('id="reviewed"')[1], "the words the editor read"
    assert SWAPPED in current_part, "the words stored now"
    assert '<dd class="changed">' in current_part, "what differs is marked"
    see_committed(session)
    assert statement.status is DRAFT and _publish_events(session) == 0
    assert client.get(f"/claims/{statement.id}").status_code == 404, "nothing is public"

    # Having read the current words on the conflict page, the editor publishes those.
    published = editor_client.post(action, data={"version": _version_on(conflict, action)})
    assert published.status_code == 302
    see_committed(session)
    assert statement.status is PUBLISHED
    assert SWAPPED in client.get(f"/claims/{statement.id}").get_data(as_text=True)


def test_a_stale_outcome_link_publish_shows_the_outcome_as_read_and_publishes_neither(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, session: Session
) -> None:
    statement, _statement_link, link = _drafts_on_one_page(session, fact_checker)
    workflow.publish(session, statement, None, version=None)  # an outcome settles a public statement
    session.commit()
    editor_client, fc_client = client_for(editor), client_for(fact_checker)
    page = editor_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    action = f"/desk/outcome-links/{link.id}/publish"
    sent = {"version": _version_on(page, action), "outcome_version": "1"}

    edited = fc_client.post(f"/desk/outcomes/{link.outcome_id}/edit?statement={statement.id}",
                            data={"description": "A deal was signed on 2 January.", "occurred_on": "2026-01-02", "version": "1"})
    assert edited.status_code == 302 and edited.location == f"/desk/statements/{statement.id}#outcomes-heading"

    refused = editor_client.post(action, data=sent)
    assert refused.status_code == 409
    conflict = refused.get_data(as_text=True)
    assert "No deal was signed by the new year." in conflict and "A deal was signed on 2 January." in conflict
    see_committed(session)
    assert link.status is DRAFT and link.outcome.status is DRAFT and _publish_events(session) == 0

    published = editor_client.post(action, data={"version": _version_on(conflict, action), "outcome_version": "2"})
    assert published.status_code == 302
    see_committed(session)
    assert link.status is PUBLISHED and link.outcome.status is PUBLISHED
    assert link.outcome.description == "A deal was signed on 2 January."


def test_a_stale_outcome_publish_from_the_outcomes_page_is_refused(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, session: Session
) -> None:
    outcome = record_outcome(session, "Talks paused in January.", actor=fact_checker)
    session.commit()
    editor_client = client_for(editor)
    action = f"/desk/outcomes/{outcome.id}/publish"
    read = _version_on(editor_client.get("/desk/outcomes/").get_data(as_text=True), action)
    client_for(fact_checker).post(f"/desk/outcomes/{outcome.id}/edit", data={"description": "Talks resumed in January.", "version": read})
    refused = editor_client.post(action, data={"version": read})
    assert refused.status_code == 409 and "Talks paused in January." in refused.get_data(as_text=True)
    see_committed(session)
    assert outcome.status is DRAFT and outcome.description == "Talks resumed in January."


def test_the_audit_trail_answers_what_any_reviewed_item_held_at_a_version(
    session: Session, fact_checker: User
) -> None:
    statement = _statement(session, actor=fact_checker)
    first = statement.version
    statement.text = SWAPPED
    audit.record(session, fact_checker, "update", statement, before=None)
    session.commit()
    held = audit.recorded_state(session, statement, first)
    assert held is not None and held["text"] == CLOSE
    now = audit.recorded_state(session, statement, statement.version)
    assert now is not None and now["text"] == SWAPPED
    assert audit.recorded_state(session, statement, 99) is None


# -- Editing outcomes --------------------------------------------------------------------------------


def _outcome_form(**overrides: object) -> dict[str, object]:
    return {"description": "No deal was signed by the new year.", "occurred_on": "2026-01-01",
            "evidence_url": "https://news.example/no-deal", "evidence_title": "No deal", **overrides}


def _published_outcome(session: Session, statement: Statement) -> OutcomeLink:
    outcome = record_outcome(session, "No deal was signed by the new year.", occurred_on=dt.date(2026, 1, 1),
                             evidence_url="https://news.example/no-deal", evidence_title="No deal")
    link = link_outcome(session, outcome, statement, OutcomeRelation.CONTRADICTS)
    publish_link(session, link, None, version=None)
    session.commit()
    return link


def test_anyone_on_the_desk_changes_a_draft_outcome_in_place(fc_client: FlaskClient, session: Session) -> None:
    outcome = record_outcome(session, "No deal was signed.")
    session.commit()
    form = fc_client.get(f"/desk/outcomes/{outcome.id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form and "Note to readers" not in form
    saved = fc_client.post(f"/desk/outcomes/{outcome.id}/edit", data=_outcome_form(version="1"))
    assert saved.status_code == 302 and saved.location == f"/desk/outcomes/#outcome-{outcome.id}"
    see_committed(session)
    assert outcome.description == "No deal was signed by the new year." and outcome.evidence_title == "No deal"
    assert outcome.version == 2 and outcome.status is DRAFT
    assert session.scalar(select(func.count()).select_from(OutcomeUpdate)) == 0, "a draft's change is no public update"
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "outcomes")).all()
    assert events == ["create", "update"]

    unchanged = fc_client.post(f"/desk/outcomes/{outcome.id}/edit", data=_outcome_form(version="2"))
    assert unchanged.status_code == 302
    see_committed(session)
    assert outcome.version == 2, "a save that changes nothing writes nothing"
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "outcomes")) == 2


def test_a_published_outcome_changes_only_by_an_editor_with_a_note_readers_see(
    fc_client: FlaskClient, editor_client: FlaskClient, client: FlaskClient, editor: User, session: Session
) -> None:
    statement = _published(session, "A deal will be signed before the new year.")
    link = _published_outcome(session, statement)
    outcome, url = link.outcome, f"/desk/outcomes/{link.outcome_id}/edit"
    version = str(outcome.version)

    assert "only an editor changes it" in fc_client.get(url).get_data(as_text=True)
    assert fc_client.post(url, data=_outcome_form(occurred_on="2026-01-02", version=version, note="Date.")).status_code == 403

    no_note = editor_client.post(url, data=_outcome_form(occurred_on="2026-01-02", version=version))
    assert no_note.status_code == 422
    assert 'id="note-error"' in no_note.get_data(as_text=True) and "readers will see" in no_note.get_data(as_text=True)
    see_committed(session)
    assert outcome.occurred_on == dt.date(2026, 1, 1) and str(outcome.version) == version

    note = "Date corrected: the talks ended on 2 January."
    saved = editor_client.post(url, data=_outcome_form(occurred_on="2026-01-02", version=version, note=note))
    assert saved.status_code == 302
    see_committed(session)
    assert outcome.occurred_on == dt.date(2026, 1, 2) and outcome.status is PUBLISHED
    update = session.scalars(select(OutcomeUpdate)).one()
    assert update.note == note and update.previous_occurred_on == dt.date(2026, 1, 1) and update.created_by_id == editor.id
    revise = session.scalars(select(AuditEvent).where(AuditEvent.action == "revise", AuditEvent.entity == "outcome_updates")).one()
    assert revise.after is not None and revise.after["note"] == note and revise.actor_id == editor.id

    public = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert f"Outcome updated <time datetime=\"{update.created_at.date().isoformat()}\">" in public
    assert note in public.split('class="outcome-update"')[1]


def test_a_stale_outcome_edit_keeps_both_versions_and_what_was_typed(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, session: Session
) -> None:
    outcome = record_outcome(session, "No deal was signed.")
    session.commit()
    alice, bob = client_for(fact_checker), client_for(editor)
    assert alice.post(f"/desk/outcomes/{outcome.id}/edit", data=_outcome_form(description="Alice's words", version="1")).status_code == 302
    conflict = bob.post(f"/desk/outcomes/{outcome.id}/edit", data=_outcome_form(description="Bob's words", version="1"))
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "Your changes were <strong>not</strong> saved" in page
    assert "No deal was signed." in page and "Alice&#39;s words" in page and "Bob&#39;s words" in page
    assert 'name="version" type="hidden" value="2"' in page, "what Bob typed is now based on the version he was shown"
    see_committed(session)
    assert outcome.description == "Alice's words"
    again = bob.post(f"/desk/outcomes/{outcome.id}/edit", data=_outcome_form(description="Bob's words", version="2"))
    assert again.status_code == 302
    see_committed(session)
    assert outcome.description == "Bob's words"


@sqlite_only
def test_an_outcome_edit_with_bad_input_says_why_and_changes_nothing(fc_client: FlaskClient, session: Session) -> None:
    outcome = record_outcome(session, "No deal was signed.")
    session.commit()
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    refused = fc_client.post(f"/desk/outcomes/{outcome.id}/edit",
                             data=_outcome_form(description="", evidence_url="javascript:alert(1)", occurred_on=future, version="1"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Describe what happened." in page and 'id="evidence_url-error"' in page and "cannot be in the future" in page
    missing_version = fc_client.post(f"/desk/outcomes/{outcome.id}/edit", data=_outcome_form())
    assert missing_version.status_code == 422 and "The form was incomplete; reload the page." in missing_version.get_data(as_text=True)
    see_committed(session)
    assert outcome.description == "No deal was signed." and outcome.version == 1


def test_a_retracted_outcome_is_not_edited(editor_client: FlaskClient, editor: User, session: Session) -> None:
    link = _published_outcome(session, _published(session, "A deal will be signed before the new year."))
    outcome = link.outcome
    workflow.retract(session, outcome, editor, note="Recorded against the wrong talks.")
    session.commit()
    url = f"/desk/outcomes/{outcome.id}/edit"
    assert "A retraction is final" in editor_client.get(url).get_data(as_text=True)
    refused = editor_client.post(url, data=_outcome_form(description="Something else", version=str(outcome.version), note="Why"))
    assert refused.status_code == 409 and "retraction is final" in refused.get_data(as_text=True)
    see_committed(session)
    assert outcome.description == "No deal was signed by the new year."


# -- Discarding a draft outcome link -----------------------------------------------------------------


def test_a_draft_outcome_link_is_discarded_by_its_creator_or_an_editor_and_audited(
    client_for: Callable[[User], FlaskClient], make_user: MakeUser, fact_checker: User, editor: User, session: Session
) -> None:
    from claimtrack.accounts.models import Role

    statement = _statement(session)
    outcome = record_outcome(session, "Talks paused in January.")
    mine = link_outcome(session, outcome, statement, OutcomeRelation.PARTLY, actor=fact_checker)
    session.commit()
    other_checker = client_for(make_user(Role.FACT_CHECKER))
    page = client_for(fact_checker).get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    action = f"/desk/outcome-links/{mine.id}/discard"
    assert action in page and action not in other_checker.get(f"/desk/statements/{statement.id}").get_data(as_text=True)

    assert other_checker.post(action, data={"version": mine.version}).status_code == 403
    link_id = mine.id
    discarded = client_for(fact_checker).post(action, data={"version": _version_on(page, action)})
    assert discarded.status_code == 302
    see_committed(session)
    assert session.get(OutcomeLink, link_id) is None and session.get(Outcome, outcome.id) is not None, "the outcome stays"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "discard")).one()
    assert event.entity == "outcome_links" and event.entity_id == link_id and event.actor_id == fact_checker.id
    assert event.before is not None and event.before["relation"] == "partly" and event.after is None

    by_editor = link_outcome(session, outcome, statement, OutcomeRelation.CONFIRMS, actor=fact_checker)
    session.commit()
    assert client_for(editor).post(f"/desk/outcome-links/{by_editor.id}/discard", data={"version": by_editor.version}).status_code == 302


def test_a_published_outcome_link_is_not_discarded(editor_client: FlaskClient, session: Session) -> None:
    link = _published_outcome(session, _published(session, "A deal will be signed before the new year."))
    refused = editor_client.post(f"/desk/outcome-links/{link.id}/discard", data={"version": link.version})
    assert refused.status_code == 409 and "retract it" in refused.get_data(as_text=True)
    see_committed(session)
    assert session.get(OutcomeLink, link.id) is not None


# -- The queue of what waits for review -------------------------------------------------------------


def _aged(session: Session, item: object, days_ago: int) -> None:
    item.created_at = dt.datetime(2026, 1, 31, 12, tzinfo=dt.UTC) - dt.timedelta(days=days_ago)  # type: ignore[attr-defined]


def test_every_kind_of_draft_waits_for_review_oldest_first_and_published_ones_leave(
    fc_client: FlaskClient, editor_client: FlaskClient, fact_checker: User, session: Session
) -> None:
    statement, statement_link, outcome_link = _drafts_on_one_page(session, fact_checker)
    rating = rate_statement(session, statement, scale="truth", verdict="false", rationale="No deal.", actor=fact_checker)
    published = _published(session, "Already public, waits for nothing.")
    for item, days_ago in ((outcome_link.outcome, 10), (statement, 8), (rating, 6), (statement_link, 4), (outcome_link, 2)):
        _aged(session, item, days_ago)
    session.commit()

    page = editor_client.get("/desk/").get_data(as_text=True)
    assert "5 items wait for review" in page
    order = [page.index(marker) for marker in (
        f"Review outcome #{outcome_link.outcome_id}", f"Review statement #{statement.id}",
        f"Review the rating on statement #{statement.id}", f"Statement #{statement.id} <strong>contradicts</strong>",
        f"Outcome #{outcome_link.outcome_id} <strong>contradicts</strong>",
    )]
    assert order == sorted(order), "the longest waiting first"
    assert f"#rating-{rating.id}" in page and f"#outcome-link-{outcome_link.id}" in page
    assert "Already public" not in page
    assert page.count(fact_checker.display_name) >= 5, "who made each"

    publish_rating(session, rating, None, version=None)  # publishes the statement with it
    session.commit()
    page = fc_client.get("/desk/").get_data(as_text=True)
    assert "3 items wait for review" in page and f"Review statement #{statement.id}" not in page
    assert published.text not in page


def test_a_long_queue_is_capped_on_the_dashboard_and_paged_in_full(
    editor_client: FlaskClient, session: Session
) -> None:
    statements = [log_statement(session, f"Claim number {i} waits.", speaker=None) for i in range(63)]
    for days_ago, statement in enumerate(reversed(statements)):
        _aged(session, statement, days_ago)
    session.commit()
    dashboard = editor_client.get("/desk/").get_data(as_text=True)
    assert "63 items wait for review" in dashboard
    assert dashboard.count("Review statement #") == 10 and "All 63 items waiting for review" in dashboard
    assert "Claim number 0 waits." in dashboard and "Claim number 10 waits." not in dashboard

    first, second = (editor_client.get(f"/desk/waiting?page={n}").get_data(as_text=True) for n in (1, 2))
    assert first.count("Review statement #") == 50 and second.count("Review statement #") == 13
    assert "Claim number 49 waits." in first and "Claim number 50 waits." in second and "Page 2 of 2" in second
    assert editor_client.get("/desk/waiting?page=99").status_code == 200


def test_drafts_that_can_no_longer_be_published_do_not_wait(
    editor_client: FlaskClient, editor: User, fact_checker: User, session: Session
) -> None:
    statement = _published(session, "A deal will be signed before the new year.")
    outcome = record_outcome(session, "Talks paused.")
    workflow.publish(session, outcome, None, version=None)
    link_outcome(session, outcome, statement, OutcomeRelation.PARTLY, actor=fact_checker)
    rate_statement(session, statement, scale="truth", verdict="false", rationale="Draft.", actor=fact_checker)
    session.commit()
    assert "2 items wait for review" in editor_client.get("/desk/").get_data(as_text=True)
    workflow.retract(session, statement, editor, note="Misattributed.")
    session.commit()
    assert "Nothing waits for review" in editor_client.get("/desk/").get_data(as_text=True)


@sqlite_only
def test_the_queue_loads_in_the_same_few_queries_however_long_it_is(
    app: Flask, editor_client: FlaskClient, fact_checker: User, session: Session
) -> None:
    engine = app.extensions["claimtrack.engine"]
    sent: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        sent.append(statement)

    def queries(url: str) -> int:
        sent.clear()
        event.listen(engine, "before_cursor_execute", on_execute)
        try:
            assert editor_client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", on_execute)
        return len(sent)

    _drafts_on_one_page(session, fact_checker)
    few = {url: queries(url) for url in ("/desk/", "/desk/waiting")}
    for _ in range(4):
        _drafts_on_one_page(session, fact_checker)
    assert {url: queries(url) for url in few} == few
    assert few["/desk/waiting"] <= 15, few
