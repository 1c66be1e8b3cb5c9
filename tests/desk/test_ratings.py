"""Rating as drafts, publishing by editors, corrections as new versions, safe rationale."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role, User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.ratings.models import Rating, RatingStatus
from tests.desk.conftest import see_committed, sqlite_only


def _statement(session: Session, text: str = "Only two major issues remain to be resolved.") -> Statement:
    statement = log_statement(session, text, speaker=None)
    session.commit()
    return statement


def _rate(client: FlaskClient, statement_id: int, **overrides: str):  # type: ignore[no-untyped-def]
    data = {"verdict": "truth:half_true", "rationale": "Two issues are *named* by others.", "evidence": ""}
    data.update(overrides)
    return client.post(f"/desk/statements/{statement_id}/ratings/new", data=data)


def test_fact_checker_rating_is_saved_as_a_draft_and_not_shown_publicly(fc_client: FlaskClient, session: Session, fact_checker: User) -> None:
    statement = _statement(session)
    response = _rate(fc_client, statement.id, evidence="https://example.org/report The report\nhttps://example.org/b")
    assert response.status_code == 302
    see_committed(session)
    rating = session.scalars(select(Rating)).one()
    assert rating.status is RatingStatus.DRAFT and rating.rater_id == fact_checker.id
    assert rating.evidence == [{"url": "https://example.org/report", "title": "The report"}, {"url": "https://example.org/b", "title": None}]
    assert session.get(Statement, statement.id).current_rating is None  # type: ignore[union-attr]
    assert fc_client.get(f"/claims/{statement.id}").status_code == 404, "a draft statement with a draft rating is not public"
    desk_page = fc_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert "Half true" in desk_page and "Publish this rating" not in desk_page, "fact-checkers see no publish button"
    assert "Half true" in fc_client.get("/desk/").get_data(as_text=True), "the draft waits for review"


@sqlite_only
def test_rating_form_errors_show_beside_the_fields(fc_client: FlaskClient, session: Session) -> None:
    statement = _statement(session)
    response = _rate(fc_client, statement.id, verdict="truth:nonsense", rationale="", evidence="ftp://x.example/file")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="verdict-error"' in page and "Explain the verdict" in page
    assert "Line 1 does not start with a web address" in page
    assert "ftp://x.example/file" in page, "what was typed is kept"
    unpicked = _rate(fc_client, statement.id, verdict="").get_data(as_text=True)
    assert "Pick a verdict." in unpicked
    see_committed(session)
    assert session.scalar(select(Rating.id)) is None


def test_editor_can_publish_a_draft_rating(fc_client: FlaskClient, editor_client: FlaskClient, session: Session, editor: User) -> None:
    statement = _statement(session)
    _rate(fc_client, statement.id)
    see_committed(session)
    rating = session.scalars(select(Rating)).one()
    assert "Publish this rating" in editor_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert "Half true" in editor_client.get("/desk/").get_data(as_text=True), "the draft waits for review"
    response = editor_client.post(f"/desk/ratings/{rating.id}/publish", data={"version": rating.version})
    assert response.status_code == 302
    see_committed(session)
    assert rating.status is RatingStatus.PUBLISHED and rating.published_by_id == editor.id
    assert session.get(Statement, statement.id).current_rating_id == rating.id  # type: ignore[union-attr]
    public = fc_client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "Half true" in public and "<em>named</em>" in public
    again = editor_client.post(f"/desk/ratings/{rating.id}/publish", data={"version": rating.version}, follow_redirects=True)
    assert "already published" in again.get_data(as_text=True)


@sqlite_only
def test_fact_checker_cannot_publish(fc_client: FlaskClient, session: Session) -> None:
    statement = _statement(session)
    _rate(fc_client, statement.id)
    rating_id = session.scalar(select(Rating.id))
    assert fc_client.post(f"/desk/ratings/{rating_id}/publish", data={"version": 1}).status_code == 403
    see_committed(session)
    assert session.get(Rating, rating_id).status is RatingStatus.DRAFT  # type: ignore[union-attr]


def test_rerating_a_published_statement_needs_a_kind_and_a_note_and_keeps_the_history(
    fc_client: FlaskClient, editor_client: FlaskClient, session: Session
) -> None:
    statement = _statement(session)
    _rate(fc_client, statement.id)
    first_id = session.scalar(select(Rating.id))
    editor_client.post(f"/desk/ratings/{first_id}/publish", data={"version": 1})
    form = fc_client.get(f"/desk/statements/{statement.id}/ratings/new").get_data(as_text=True)
    assert "Note to readers" in form and "A correction: the published rating was wrong" in form
    refused = _rate(fc_client, statement.id, verdict="truth:mostly_false", kind="correction")
    assert refused.status_code == 422 and "say what is new or what was wrong" in refused.get_data(as_text=True)
    accepted = _rate(fc_client, statement.id, verdict="truth:mostly_false", kind="correction",
                     correction_note="A third issue surfaced.")
    assert accepted.status_code == 302
    see_committed(session)
    first, second = session.scalars(select(Rating).order_by(Rating.id)).all()
    assert second.supersedes_id == first.id and second.correction_note == "A third issue surfaced."
    assert first.verdict == "half_true" and first.status is RatingStatus.PUBLISHED, "history is never rewritten"
    editor_client.post(f"/desk/ratings/{second.id}/publish", data={"version": second.version})
    see_committed(session)
    assert session.get(Statement, statement.id).current_rating_id == second.id  # type: ignore[union-attr]
    page = fc_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert "Mostly false" in page and "Half true" in page and "A third issue surfaced." in page


@sqlite_only
def test_rationale_markdown_is_rendered_sanitised(fc_client: FlaskClient, session: Session) -> None:
    statement = _statement(session)
    _rate(fc_client, statement.id, rationale='<script>alert(1)</script> [x](javascript:alert(2)) **ok**')
    page = fc_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "href=\"javascript" not in page
    assert "<strong>ok</strong>" in page


def test_the_rater_fixes_a_draft_in_place_before_it_is_published(fc_client: FlaskClient, editor_client: FlaskClient, session: Session) -> None:
    statement = _statement(session)
    _rate(fc_client, statement.id, evidence="https://example.org/report The report")
    see_committed(session)
    rating = session.scalars(select(Rating)).one()
    form = fc_client.get(f"/desk/ratings/{rating.id}/edit").get_data(as_text=True)
    assert 'selected value="truth:half_true"' in form and "https://example.org/report The report" in form
    bad = fc_client.post(f"/desk/ratings/{rating.id}/edit", data={"verdict": "truth:false", "rationale": "", "version": 1})
    assert bad.status_code == 422 and "Explain the verdict" in bad.get_data(as_text=True)
    fixed = fc_client.post(f"/desk/ratings/{rating.id}/edit",
                           data={"verdict": "truth:false", "rationale": "Nobody named two issues.", "evidence": "", "version": 1})
    assert fixed.status_code == 302
    see_committed(session)
    assert session.scalars(select(Rating)).one().verdict == "false", "the draft changed; no second version"
    assert (rating.rationale, rating.evidence) == ("Nobody named two issues.", [])
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "ratings", AuditEvent.action == "update")).all()
    assert [e.before["verdict"] for e in events] == ["half_true"]
    assert editor_client.post(f"/desk/ratings/{rating.id}/publish", data={"version": 2}).status_code == 302
    after = fc_client.post(f"/desk/ratings/{rating.id}/edit", data={"verdict": "truth:true", "rationale": "Changed my mind.", "version": 3},
                           follow_redirects=True)
    assert "This rating is published, so it cannot change." in after.get_data(as_text=True)
    see_committed(session)
    assert session.get(Rating, rating.id).verdict == "false"  # type: ignore[union-attr]


@sqlite_only
def test_another_fact_checker_cannot_edit_someone_elses_draft(fc_client: FlaskClient, client_for, make_user, session: Session) -> None:  # type: ignore[no-untyped-def]
    statement = _statement(session)
    _rate(fc_client, statement.id)
    see_committed(session)
    rating = session.scalars(select(Rating)).one()
    colleague = client_for(make_user(Role.FACT_CHECKER))
    assert colleague.get(f"/desk/ratings/{rating.id}/edit").status_code == 403
    assert colleague.post(f"/desk/ratings/{rating.id}/edit", data={"verdict": "truth:true", "rationale": "x", "version": 1}).status_code == 403
    assert "Edit draft" not in colleague.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert "Edit draft" in fc_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
