"""Logging statements: validation, speaker typeahead, duplicates, reversals, repeats, links, edit conflicts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from claimtrack.accounts.models import User
from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.editing import StaleVersion, StatementInput, update_statement
from claimtrack.claims.models import DatePrecision, LinkRelation, Statement, StatementLink
from claimtrack.db import make_session_factory
from claimtrack.ratings.models import Rating
from claimtrack.speakers.models import Speaker
from tests.desk.conftest import see_committed, sqlite_only

KELLOGG_AGAIN = "A deal to end the fighting is really close now."


def _its_source(statement: Statement) -> dict[str, object]:
    """The statement's own source as the edit form carries it: an edit that keeps it is no public revision."""
    source = statement.source
    assert source is not None
    return {"source_url": source.url or "", "source_title": source.title or "", "source_publisher": source.publisher or "",
            "source_kind": source.kind.value}


def _statement_form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "text": "Ukraine's territory must be restored in full.",
        "speaker": "Volodymyr Zelensky",
        "said_on": "2025-12-07",
        "said_on_precision": "day",
        "source_url": "https://news.example/zelensky-speech",
        "source_publisher": "News Example",
        "source_kind": "speech",
        "topics": "Ukraine, peace talks",
    }
    form.update(overrides)
    return form


def _statement_by_text(session: Session, text: str) -> Statement:
    see_committed(session)
    return session.scalars(select(Statement).where(Statement.text == text)).one()


def _errors(page: str, field: str) -> list[str]:
    block = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def test_fact_checker_can_log_a_statement_with_a_new_speaker_source_and_topics(fc_client: FlaskClient, session: Session, fact_checker: User) -> None:
    response = fc_client.post(
        "/desk/statements/new",
        data=_statement_form(text="Talks will resume in the spring.", speaker="Marta Example", said_on="2025-12-18",
                             said_on_precision="month", expected_by="2026-06-30", speaker_role="Foreign minister"),
    )
    assert response.status_code == 302
    statement = _statement_by_text(session, "Talks will resume in the spring.")
    assert response.location == f"/desk/statements/{statement.id}"
    assert statement.speaker is not None and statement.speaker.name == "Marta Example"
    assert statement.speaker.role_title == "Foreign minister"
    assert statement.said_on == dt.date(2025, 12, 1) and statement.said_on_precision is DatePrecision.MONTH
    assert statement.source is not None and statement.source.url == "https://news.example/zelensky-speech"
    assert {t.name for t in statement.topics} == {"peace talks", "Ukraine"}
    assert statement.expected_by == dt.date(2026, 6, 30) and statement.created_by_id == fact_checker.id
    actions = session.execute(select(AuditEvent.entity, AuditEvent.action).where(AuditEvent.actor_id == fact_checker.id)).all()
    assert ("statements", "create") in actions and ("speakers", "create") in actions
    page = fc_client.get(response.location).get_data(as_text=True)
    assert "Talks will resume in the spring." in page and "December 2025" in page


@sqlite_only
def test_invalid_statement_shows_errors_beside_fields_and_keeps_the_input(fc_client: FlaskClient, session: Session) -> None:
    response = fc_client.post(
        "/desk/statements/new",
        data=_statement_form(text="", source_url="not a url", said_on="2025-12-07", expected_by="2025-11-01",
                             context="Said at a <b>press</b> conference"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _errors(page, "text") == ["Enter the words as they were said."]
    assert _errors(page, "source_url") and "http" in _errors(page, "source_url")[0]
    assert _errors(page, "expected_by") == ["The expected-by date cannot be before the date it was said."]
    assert 'value="Volodymyr Zelensky"' in page and "Said at a &lt;b&gt;press&lt;/b&gt; conference" in page
    assert 'aria-invalid="true"' in page
    assert session.scalar(select(Statement.id)) is None


@sqlite_only
@pytest.mark.parametrize("url", ["javascript://example.org/%0aalert(1)", "ftp://example.org/a", "https://", "news.example/a"])
def test_a_source_address_must_be_a_web_address(fc_client: FlaskClient, url: str) -> None:
    page = fc_client.post("/desk/statements/new", data=_statement_form(source_url=url)).get_data(as_text=True)
    assert _errors(page, "source_url") == ["Enter a full web address starting with http:// or https://."]


@sqlite_only
def test_missing_date_and_speaker_are_reported(fc_client: FlaskClient) -> None:
    page = fc_client.post("/desk/statements/new", data=_statement_form(speaker="", said_on="")).get_data(as_text=True)
    assert _errors(page, "speaker") == ["Name who said it."]
    assert _errors(page, "said_on")


def test_speaker_typeahead_finds_peskov_from_a_typo_and_by_alias(fc_client: FlaskClient, demo: Session) -> None:
    found = fc_client.get("/desk/speakers/suggest?q=Peskof").get_json()["speakers"]
    assert found[0]["name"] == "Dmitry Peskov"
    by_role = fc_client.get("/desk/speakers/suggest?q=the%20Kremlin").get_json()["speakers"]
    assert by_role[0]["name"] == "Dmitry Peskov" and by_role[0]["matched"] == "the Kremlin"
    assert fc_client.get("/desk/speakers/suggest?q=zz").get_json() == {"speakers": []}
    assert [s["name"] for s in fc_client.get("/desk/speakers/suggest?q=Tr").get_json()["speakers"]] == ["Donald Trump"]


@sqlite_only
def test_a_misspelt_speaker_is_not_created_but_the_close_match_is_offered(fc_client: FlaskClient, demo: Session) -> None:
    response = fc_client.post("/desk/statements/new", data=_statement_form(speaker="Peskof", text="Radical changes are needed."))
    assert response.status_code == 422
    assert "Did you mean Dmitry Peskov?" in _errors(response.get_data(as_text=True), "speaker")[0]
    see_committed(demo)
    assert demo.scalar(select(Speaker).where(Speaker.name == "Peskof")) is None


@sqlite_only
def test_a_speaker_like_an_existing_one_is_created_when_confirmed(fc_client: FlaskClient, demo: Session) -> None:
    response = fc_client.post(
        "/desk/statements/new",
        data=_statement_form(speaker="Dmitri Peskin", new_speaker="y", text="A wholly different remark about trade tariffs."),
    )
    assert response.status_code == 302
    assert _statement_by_text(demo, "A wholly different remark about trade tariffs.").speaker.name == "Dmitri Peskin"  # type: ignore[union-attr]


def test_nul_characters_sent_in_a_form_are_dropped_not_a_server_error(fc_client: FlaskClient, session: Session) -> None:
    response = fc_client.post("/desk/statements/new", data=_statement_form(text="Talks resume\x00 in May.", speaker="Marta\x00 Example",
                                                                           new_speaker="y"))
    assert response.status_code == 302
    statement = _statement_by_text(session, "Talks resume in May.")
    assert statement.speaker is not None and statement.speaker.name == "Marta Example"


def test_word_line_breaks_and_other_controls_sent_in_a_form_are_cleaned(fc_client: FlaskClient, session: Session) -> None:
    # Word writes a line break inside a paragraph as a vertical tab; XML (every Atom feed) forbids it.
    response = fc_client.post("/desk/statements/new", data=_statement_form(
        text="Talks resume in May.\vOr in June.\x01", speaker="Marta\x1b Example", new_speaker="y",
        context="Said twice.\fOn the radio."))
    assert response.status_code == 302
    see_committed(session)
    statement = session.scalars(select(Statement).where(Statement.text.startswith("Talks resume"))).one()
    assert statement.text == "Talks resume in May.\nOr in June."
    assert statement.context == "Said twice.\nOn the radio."
    assert statement.speaker is not None and statement.speaker.name == "Marta Example"


def test_likely_duplicates_are_shown_before_saving(fc_client: FlaskClient, demo: Session) -> None:
    response = fc_client.post("/desk/statements/new", data=_statement_form(speaker="Kellogg", text=KELLOGG_AGAIN))
    page = response.get_data(as_text=True)
    original = demo.scalars(select(Statement).where(Statement.text == "A deal to end the fighting is really close.")).one()
    assert response.status_code == 200 and "Possibly already logged" in page
    assert f'name="appearance_of" value="{original.id}"' in page
    assert 'name="reviewed" type="hidden" value="1"' in page
    assert demo.scalar(select(Statement).where(Statement.text == KELLOGG_AGAIN)) is None, "nothing saved yet"


def test_a_duplicate_older_than_the_latest_statements_is_found_through_the_match_index(
    fc_client: FlaskClient, demo: Session
) -> None:
    from claimtrack.claims.importer import import_statements
    from claimtrack.claims.services import RECENT_CANDIDATES

    # Newer statements by someone else bury the original beyond the latest ones a plain scan compares.
    newer = [(n, f'{{"id": "filler-{n}", "text": "Harbour dues rise by {n} percent.", "speaker": "Port Authority"}}')
             for n in range(1, RECENT_CANDIDATES + 2)]
    import_statements(demo, newer)
    demo.commit()
    response = fc_client.post("/desk/statements/new", data=_statement_form(speaker="Dmitry Peskov", text=KELLOGG_AGAIN))
    original = demo.scalars(select(Statement).where(Statement.text == "A deal to end the fighting is really close.")).one()
    assert response.status_code == 200
    assert f'name="appearance_of" value="{original.id}"' in response.get_data(as_text=True)


def test_a_duplicate_can_be_recorded_as_an_appearance_instead(fc_client: FlaskClient, demo: Session, fact_checker: User) -> None:
    original = demo.scalars(select(Statement).where(Statement.text == "A deal to end the fighting is really close.")).one()
    response = fc_client.post(
        "/desk/statements/new",
        data=_statement_form(speaker="Kellogg", text=KELLOGG_AGAIN, reviewed="1", appearance_of=str(original.id),
                             source_url="https://tv.example/interview", said_on="2025-12-20"),
    )
    assert response.location == f"/desk/statements/{original.id}"
    see_committed(demo)
    appearance = demo.scalars(select(Appearance).where(Appearance.statement_id == original.id)).one()
    assert appearance.status is AppearanceStatus.CONFIRMED and appearance.appeared_on == dt.date(2025, 12, 20)
    assert appearance.source is not None and appearance.source.url == "https://tv.example/interview"
    assert appearance.reviewer_id == fact_checker.id
    assert demo.scalar(select(Statement).where(Statement.text == KELLOGG_AGAIN)) is None


def test_the_speakers_earlier_statements_are_offered_and_a_reversal_is_linked_at_once(fc_client: FlaskClient, demo: Session) -> None:
    reversal = "Peace is nowhere near; the last 10 metres will take years."
    first = fc_client.post("/desk/statements/new", data=_statement_form(speaker="Keith Kellogg", text=reversal))
    earlier = demo.scalars(select(Statement).where(Statement.text.like("We're in the last 10 metres%"))).one()
    assert f'name="contradicts" value="{earlier.id}"' in first.get_data(as_text=True)
    saved = fc_client.post(
        "/desk/statements/new",
        data=_statement_form(speaker="Keith Kellogg", text=reversal, reviewed="1", contradicts=[str(earlier.id)]),
    )
    assert saved.status_code == 302
    statement = _statement_by_text(demo, reversal)
    link = demo.scalars(select(StatementLink).where(StatementLink.from_statement_id == statement.id)).one()
    assert link.to_statement_id == earlier.id and link.relation is LinkRelation.CONTRADICTS
    assert "contradicts" in fc_client.get(saved.location).get_data(as_text=True)


@sqlite_only
def test_statements_can_be_linked_as_supporting_and_not_to_themselves(fc_client: FlaskClient, demo: Session) -> None:
    first, second = demo.scalars(select(Statement).order_by(Statement.id).limit(2)).all()
    ok = fc_client.post(f"/desk/statements/{first.id}/links", data={"relation": "supports", "other_id": second.id, "note": "same talks"})
    assert ok.status_code == 302
    twice = fc_client.post(f"/desk/statements/{first.id}/links", data={"relation": "supports", "other_id": second.id})
    assert twice.status_code == 409 and "already linked" in twice.get_data(as_text=True)
    self_link = fc_client.post(f"/desk/statements/{first.id}/links", data={"relation": "repeats", "other_id": first.id})
    assert self_link.status_code == 422 and "cannot be linked to itself" in self_link.get_data(as_text=True)
    missing = fc_client.post(f"/desk/statements/{first.id}/links", data={"relation": "repeats", "other_id": 9999})
    assert missing.status_code == 422 and "no statement number 9999" in missing.get_data(as_text=True)
    page = fc_client.get(f"/desk/statements/{second.id}").get_data(as_text=True)
    assert "supports" in page and "same talks" in page


@sqlite_only
def test_an_appearance_is_recorded_by_hand_with_who_where_and_when(fc_client: FlaskClient, demo: Session) -> None:
    statement = demo.scalars(select(Statement).order_by(Statement.id)).first()
    assert statement is not None
    invalid = fc_client.post(f"/desk/statements/{statement.id}/appearances/new", data={"appeared_on": ""})
    page = invalid.get_data(as_text=True)
    assert invalid.status_code == 422 and _errors(page, "appeared_on") and "a URL or at least the publisher" in page
    response = fc_client.post(
        f"/desk/statements/{statement.id}/appearances/new",
        data={"speaker": "Trump", "appeared_on": "2025-12-21", "source_url": "https://paper.example/a", "source_kind": "article"},
    )
    assert response.status_code == 302
    see_committed(demo)
    appearance = demo.scalars(select(Appearance).where(Appearance.statement_id == statement.id)).one()
    assert appearance.speaker is not None and appearance.speaker.name == "Donald Trump"


def test_a_stale_edit_gets_a_conflict_page_with_both_versions_and_nothing_is_overwritten(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, demo: Session
) -> None:
    statement = demo.scalars(select(Statement).order_by(Statement.id)).first()
    assert statement is not None
    alice, bob = client_for(fact_checker), client_for(editor)
    version = statement.version
    form_a = alice.get(f"/desk/statements/{statement.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{version}"' in form_a
    edit = _statement_form(text=statement.text, speaker=statement.speaker.name, said_on=statement.said_on.isoformat(),  # type: ignore[union-attr]
                           said_on_precision=statement.said_on_precision.value, version=str(version),
                           **_its_source(statement))
    assert alice.post(f"/desk/statements/{statement.id}/edit", data={**edit, "context": "Alice's context"}).status_code == 302
    conflict = bob.post(f"/desk/statements/{statement.id}/edit", data={**edit, "context": "Bob's context"})
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Alice&#39;s context" in page and "Bob&#39;s context" in page
    assert f'name="version" type="hidden" value="{version + 1}"' in page, "Bob can now save on purpose"
    see_committed(demo)
    assert demo.get(Statement, statement.id).context == "Alice's context"  # type: ignore[union-attr]
    again = bob.post(f"/desk/statements/{statement.id}/edit", data={**edit, "context": "Bob's context", "version": str(version + 1)})
    assert again.status_code == 302
    see_committed(demo)
    assert demo.get(Statement, statement.id).context == "Bob's context"  # type: ignore[union-attr]


def test_publishing_a_rating_does_not_make_an_open_edit_form_stale(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, demo: Session
) -> None:
    statement = demo.scalars(select(Statement).where(Statement.current_rating_id.is_(None)).order_by(Statement.id)).first()
    assert statement is not None
    alice, bob = client_for(fact_checker), client_for(editor)
    version = statement.version
    assert f'name="version" type="hidden" value="{version}"' in alice.get(f"/desk/statements/{statement.id}/edit").get_data(as_text=True)
    drafted = alice.post(f"/desk/statements/{statement.id}/ratings/new",
                         data={"verdict": "truth:half_true", "rationale": "Partly so.", "evidence": ""})
    assert drafted.status_code == 302
    see_committed(demo)
    rating_id = demo.scalars(select(Rating.id).where(Rating.statement_id == statement.id)).one()
    assert bob.post(f"/desk/ratings/{rating_id}/publish", data={"version": 1}).status_code == 302
    see_committed(demo)
    assert demo.get(Statement, statement.id).current_rating_id == rating_id  # type: ignore[union-attr]
    edit = _statement_form(text=statement.text, speaker=statement.speaker.name if statement.speaker else "",
                           said_on=statement.said_on.isoformat() if statement.said_on else "",
                           said_on_precision=statement.said_on_precision.value, version=str(version), context="Alice's context",
                           **_its_source(statement))
    assert alice.post(f"/desk/statements/{statement.id}/edit", data=edit).status_code == 302
    see_committed(demo)
    saved = demo.get(Statement, statement.id)
    assert saved is not None and saved.context == "Alice's context" and saved.version == version + 1


@pytest.mark.isolated_database
def test_two_sessions_saving_the_same_version_cannot_both_win(demo: Session) -> None:
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    other = make_session_factory(demo.get_bind())()  # type: ignore[arg-type]
    try:
        mine, theirs = demo.get(Statement, statement_id), other.get(Statement, statement_id)
        assert mine is not None and theirs is not None and mine.version == theirs.version
        for statement, text in ((mine, "First saver's words."), (theirs, "Second saver's words.")):
            statement.text = text
        demo.commit()
        with pytest.raises(StaleDataError):
            other.flush()
        other.rollback()
        with pytest.raises(StaleVersion):
            update_statement(other, other.get(Statement, statement_id), StatementInput(text="x", speaker="Trump"), version=1)  # type: ignore[arg-type]
    finally:
        other.close()
