"""A published statement's words, speaker, date and source change only as a public revision with a note."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.editing import SourceInput, StatementInput, update_statement
from claimtrack.claims.models import DatePrecision, Statement, StatementRevision
from claimtrack.claims.revisions import DiffPart, revision_changes, word_diff
from claimtrack.claims.services import get_or_create_source, log_statement
from claimtrack.errors import Conflict, Invalid
from claimtrack.speakers.services import create_speaker
from tests.desk.conftest import see_committed

WORDS = "Only two major issues remain."


def _published(session: Session) -> Statement:
    speaker = create_speaker(session, "Keith Kellogg")
    source = get_or_create_source(session, "https://example.org/a", title="Interview", publisher="Example")
    statement = log_statement(session, WORDS, speaker=speaker, said_on=dt.date(2025, 12, 1), source=source, topics=["Peace"])
    workflow.publish(session, statement, None, version=None)
    session.commit()
    return statement


def _input(text: str = WORDS, topics: tuple[str, ...] = ("Peace",), context: str | None = None) -> StatementInput:
    return StatementInput(text=text, speaker="Keith Kellogg", said_on=dt.date(2025, 12, 1), context=context,
                          source=SourceInput(url="https://example.org/a"), topics=list(topics))


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_save_that_changes_nothing_writes_nothing(session: Session, editor: User) -> None:
    statement = _published(session)
    version, events = statement.version, _count(session, AuditEvent)
    update_statement(session, statement, _input(), version=version, actor=editor)
    session.commit()
    assert statement.version == version and _count(session, AuditEvent) == events
    assert _count(session, StatementRevision) == 0


def test_new_words_need_a_public_note_and_keep_the_words_first_published(session: Session, editor: User) -> None:
    statement = _published(session)
    with pytest.raises(Invalid) as refused:
        update_statement(session, statement, _input("Only one major issue remains."), version=statement.version, actor=editor)
    assert refused.value.field == "revision_note"
    session.rollback()
    update_statement(session, statement, _input("Only one major issue remains."), version=statement.version, actor=editor,
                     revision_note="Quote corrected against the transcript.")
    session.commit()
    first, second = session.scalars(select(StatementRevision).order_by(StatementRevision.number)).all()
    assert (first.number, first.text, first.note) == (1, WORDS, None)
    assert (second.number, second.text, second.note) == (2, "Only one major issue remains.", "Quote corrected against the transcript.")
    assert first.speaker_name == second.speaker_name == "Keith Kellogg" and second.source_title == "Interview"


def test_topics_and_context_change_without_a_revision(session: Session, editor: User) -> None:
    statement = _published(session)
    update_statement(session, statement, _input(topics=("Peace", "Talks"), context="At a briefing."),
                     version=statement.version, actor=editor)
    session.commit()
    assert [t.name for t in statement.topics] == ["Peace", "Talks"] and statement.context == "At a briefing."
    assert _count(session, StatementRevision) == 0


def test_a_draft_changes_in_place_and_a_retracted_statement_not_at_all(session: Session, editor: User) -> None:
    draft = log_statement(session, WORDS, speaker=None)
    session.commit()
    update_statement(session, draft, _input("Only one major issue remains."), version=draft.version, actor=editor)
    session.commit()
    assert draft.text == "Only one major issue remains." and _count(session, StatementRevision) == 0
    published = _published(session)
    workflow.retract(session, published, editor, note="Misattributed: the words were the interviewer's.")
    session.commit()
    with pytest.raises(Conflict, match="retracted"):
        update_statement(session, published, _input("Other words."), version=published.version, actor=editor,
                         revision_note="Anything.")


def test_the_word_diff_marks_removed_and_added_words_in_order() -> None:
    assert word_diff("Only two major issues remain.", "Only one major issue remains.") == [
        DiffPart("same", "Only "), DiffPart("removed", "two"), DiffPart("added", "one"), DiffPart("same", " major "),
        DiffPart("removed", "issues"), DiffPart("added", "issue"), DiffPart("same", " "),
        DiffPart("removed", "remain."), DiffPart("added", "remains."),
    ]


def _edit_form(statement: Statement, **overrides: str) -> dict[str, str]:
    """The desk's edit form for a statement made by :func:`_published`, with ``overrides`` typed over it."""
    form = {"text": statement.text, "speaker": "Keith Kellogg", "said_on": "2025-12-01", "said_on_precision": "day",
            "source_url": "https://example.org/a", "source_title": "Interview", "source_publisher": "Example",
            "source_kind": "article", "topics": "Peace", "version": str(statement.version)}
    return {**form, **overrides}


def test_only_a_published_statements_edit_form_asks_for_a_public_note(fc_client: FlaskClient, session: Session) -> None:
    draft = log_statement(session, WORDS, speaker=None)
    session.commit()
    draft_form = fc_client.get(f"/desk/statements/{draft.id}/edit").get_data(as_text=True)
    assert 'name="revision_note"' not in draft_form and "Revision note" not in draft_form
    published = _published(session)
    form = fc_client.get(f"/desk/statements/{published.id}/edit").get_data(as_text=True)
    assert '<label for="revision_note">Revision note (public)</label>' in form
    assert "Changing its words, speaker, date or source needs a note" in form and "readers see it" in form


def test_a_retracted_statements_edit_page_answers_409_and_nothing_changes(
    fc_client: FlaskClient, session: Session, editor: User
) -> None:
    statement = _published(session)
    workflow.retract(session, statement, editor, note="Misattributed: the words were the interviewer's.")
    session.commit()
    version, events = statement.version, _count(session, AuditEvent)
    shown = fc_client.get(f"/desk/statements/{statement.id}/edit")
    page = shown.get_data(as_text=True)
    assert shown.status_code == 409
    assert "was retracted; a retraction is final, so it is not edited." in page
    assert "Misattributed: the words were the interviewer&#39;s." in page and "<form" not in page.split("<h1")[1]
    posted = fc_client.post(f"/desk/statements/{statement.id}/edit",
                            data=_edit_form(statement, text="Other words.", revision_note="Anything."))
    assert posted.status_code == 409
    see_committed(session)
    assert statement.text == WORDS and statement.version == version and _count(session, AuditEvent) == events


def test_the_conflict_page_keeps_the_typed_note(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, session: Session
) -> None:
    statement = _published(session)
    stale = _edit_form(statement, text="Only one major issue remains.", revision_note="Corrected against the tape.")
    assert client_for(editor).post(f"/desk/statements/{statement.id}/edit", data=_edit_form(statement, context="Theirs.")).status_code == 302
    conflict = client_for(fact_checker).post(f"/desk/statements/{statement.id}/edit", data=stale)
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409 and "Someone else saved this statement first" in page
    assert re.search(r'<textarea[^>]* name="revision_note"[^>]*>\s*Corrected against the tape.</textarea>', page)
    see_committed(session)
    assert _count(session, StatementRevision) == 0


def test_the_desk_statement_page_lists_the_revisions_with_their_notes(
    fc_client: FlaskClient, session: Session, editor: User
) -> None:
    statement = _published(session)
    assert "None: the words, speaker, date and source are as first published." in fc_client.get(
        f"/desk/statements/{statement.id}").get_data(as_text=True)
    for text, note in (("Only one major issue remains.", "First fix."), ("Only one issue remains.", "Second fix.")):
        update_statement(session, statement, _input(text), version=statement.version, actor=editor, revision_note=note)
        session.commit()
    page = fc_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    section = page.split('id="revisions-heading"')[1].split("</section>")[0]
    assert section.index("Revision 3") < section.index("Second fix.") < section.index("Revision 2") < section.index("First fix.")
    assert f"by {editor.display_name}" in section
    assert "Only one <del>major </del>issue remains." in section
    assert f'href="/claims/{statement.id}#revision-3"' in section


def test_revision_changes_pair_each_revision_with_the_one_before() -> None:
    def revision(number: int, text: str) -> StatementRevision:
        return StatementRevision(number=number, text=text, said_on=dt.date(2025, 12, 1),
                                 said_on_precision=DatePrecision.DAY, speaker_name="Keith Kellogg")

    changes = revision_changes([revision(3, "c d"), revision(1, "a b"), revision(2, "a d")])
    assert [(c.number, c.previous_text, c.text) for c in changes] == [(2, "a b", "a d"), (3, "a d", "c d")]
    assert changes[0].diff == [DiffPart("same", "a "), DiffPart("removed", "b"), DiffPart("added", "d")]
    assert revision_changes([revision(1, "a")]) == [] and changes[1].changes == []
