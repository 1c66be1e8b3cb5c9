"""Desk pages for statements: log one (checking for duplicates), view, edit, link, record repeats."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from claimtrack.accounts.access import desk_user, requires_role
from claimtrack.claims import services
from claimtrack.claims.editing import (
    AppearanceInput,
    UnknownSpeaker,
    existing_speaker,
    log_statement_as_typed,
    record_appearance_as_typed,
    update_statement,
)
from claimtrack.claims.forms import AppearanceForm, EditStatementForm, LinkStatementForm, NewStatementForm
from claimtrack.claims.models import LinkRelation, Statement
from claimtrack.db import get_session
from claimtrack.spotting.app import live_index
from claimtrack.claims.page import statement_page_context

#: How many of the match index's best hits the duplicate check compares.
DUPLICATE_CANDIDATES = 20

bp = Blueprint("claims", __name__, url_prefix="/desk/statements")

Page = str | Response | tuple[str, int]


def _statement(statement_id: int) -> Statement:
    """:raise 404: when there is no such statement."""
    statement = get_session().get(Statement, statement_id)
    if statement is None:
        abort(404, f"There is no statement number {statement_id}.")
    return statement


def _speaker_error(form: NewStatementForm | EditStatementForm | AppearanceForm, exc: UnknownSpeaker) -> None:
    get_session().rollback()
    form.speaker.errors = [*form.speaker.errors, str(exc)]


def _render_new(form: NewStatementForm, status: int, **review: object) -> tuple[str, int]:
    return render_template("desk/statement_new.html", form=form, **review), status


@bp.route("/new", methods=["GET", "POST"])
@requires_role()
def new() -> Page:
    """Log a statement; before saving, show likely duplicates and the speaker's earlier statements on the subject."""
    form = NewStatementForm()
    if not form.validate_on_submit():
        return _render_new(form, 422 if form.is_submitted() else 200)
    session, data = get_session(), form.statement_input()
    try:
        speaker = existing_speaker(session, data.speaker, create=data.new_speaker)
        repeat_of = request.form.get("appearance_of", type=int)
        if repeat_of:
            original = _statement(repeat_of)
            record_appearance_as_typed(
                session,
                original,
                AppearanceInput(speaker=data.speaker, appeared_on=data.said_on, source=data.source, new_speaker=data.new_speaker),
                actor=desk_user(),
            )
            session.commit()
            flash("Recorded as another appearance of the statement already logged.", "info")
            return redirect(url_for("claims.show", statement_id=original.id))
        if form.reviewed.data != "1":
            # The match index reaches duplicates anywhere in the archive, not only the speaker's or the latest.
            hits = live_index().search(session, data.text, top_k=DUPLICATE_CANDIDATES)
            similar = services.find_similar_statements(session, data.text, speaker, candidate_ids=[h.doc_id for h in hits])
            earlier = services.earlier_statements_on_subject(
                session, data.text, speaker, data.topics, exclude=[s.statement.id for s in similar]
            )
            if similar or earlier:
                form.reviewed.data = "1"
                return _render_new(form, 200, similar=similar, earlier=earlier)
        contradicts = [s for s in (session.get(Statement, i) for i in form.contradicts.data or []) if s is not None]
        statement = log_statement_as_typed(session, data, contradicts=contradicts, actor=desk_user())
        session.commit()
    except UnknownSpeaker as exc:
        _speaker_error(form, exc)
        return _render_new(form, 422)
    except ValueError as exc:
        session.rollback()
        form.text.errors = [*form.text.errors, str(exc)]
        return _render_new(form, 422)
    flash("Statement logged. Rate it when you are ready.", "info")
    return redirect(url_for("claims.show", statement_id=statement.id))


@bp.get("/<int:statement_id>")
@requires_role()
def show(statement_id: int) -> str:
    """The desk's view of a statement: ratings with drafts, links, outcomes, appearances."""
    return render_template("desk/statement.html", **statement_page_context(get_session(), _statement(statement_id)))


@bp.route("/<int:statement_id>/edit", methods=["GET", "POST"])
@requires_role()
def edit(statement_id: int) -> Page:
    """Edit a statement; a save made to an outdated version answers 409 with both versions."""
    statement = _statement(statement_id)
    form = EditStatementForm(obj=None if request.method == "POST" else _edit_defaults(statement))
    if not form.validate_on_submit():
        return render_template("desk/statement_edit.html", form=form, statement=statement), 422 if form.is_submitted() else 200
    session = get_session()
    try:
        update_statement(session, statement, form.statement_input(), version=int(form.version.data), actor=desk_user())
        session.commit()
    except StaleDataError:
        session.rollback()
        theirs = _statement(statement_id)
        session.refresh(theirs)
        # Keep what this user typed, now based on the version they have seen, so saving again is a deliberate choice.
        form.version.data = str(theirs.version)
        return render_template("desk/statement_conflict.html", form=form, statement=theirs), 409
    except UnknownSpeaker as exc:
        _speaker_error(form, exc)
        return render_template("desk/statement_edit.html", form=form, statement=statement), 422
    except ValueError as exc:
        session.rollback()
        form.text.errors = [*form.text.errors, str(exc)]
        return render_template("desk/statement_edit.html", form=form, statement=statement), 422
    flash("Statement saved.", "info")
    return redirect(url_for("claims.show", statement_id=statement_id))


class _EditDefaults:
    """The stored statement shaped like the edit form's fields."""

    def __init__(self, statement: Statement) -> None:
        self.text = statement.text
        self.speaker = statement.speaker.name if statement.speaker else ""
        self.said_on = statement.said_on
        self.said_on_precision = statement.said_on_precision.value
        self.source_url = statement.source.url if statement.source else ""
        self.source_publisher = statement.source.publisher if statement.source else ""
        self.source_kind = statement.source.kind.value if statement.source else "article"
        self.context = statement.context
        self.claim = statement.claim
        self.topics = ", ".join(t.name for t in statement.topics)
        self.expected_by = statement.expected_by
        self.version = str(statement.version)


def _edit_defaults(statement: Statement) -> _EditDefaults:
    return _EditDefaults(statement)


@bp.post("/<int:statement_id>/links")
@requires_role()
def link(statement_id: int) -> Page:
    """Link this statement to another one (contradicts / supports / repeats)."""
    statement = _statement(statement_id)
    form = LinkStatementForm()
    session = get_session()
    if form.validate_on_submit():
        other = session.get(Statement, form.other_id.data)
        if other is None:
            form.other_id.errors = [*form.other_id.errors, f"There is no statement number {form.other_id.data}."]
        else:
            try:
                services.link_statements(
                    session, statement, other, LinkRelation(form.relation.data), note=form.note.data or None, actor=desk_user()
                )
                session.commit()
                flash(f"Linked: this statement {form.relation.data} statement {other.id}.", "info")
                return redirect(url_for("claims.show", statement_id=statement_id))
            except IntegrityError:
                session.rollback()
                form.other_id.errors = [*form.other_id.errors, "These statements are already linked that way."]
            except ValueError as exc:
                session.rollback()
                form.other_id.errors = [*form.other_id.errors, str(exc)]
    context = statement_page_context(session, statement, link_form=form)
    return render_template("desk/statement.html", **context), 422


@bp.route("/<int:statement_id>/appearances/new", methods=["GET", "POST"])
@requires_role()
def new_appearance(statement_id: int) -> Page:
    """Record by hand that the statement was said again: by whom, where, when."""
    statement = _statement(statement_id)
    form = AppearanceForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            record_appearance_as_typed(session, statement, form.appearance_input(), actor=desk_user())
            session.commit()
            flash("Appearance recorded.", "info")
            return redirect(url_for("claims.show", statement_id=statement_id))
        except UnknownSpeaker as exc:
            _speaker_error(form, exc)
    status = 422 if form.is_submitted() else 200
    return render_template("desk/appearance_new.html", form=form, statement=statement), status
