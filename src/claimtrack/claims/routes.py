"""Desk pages for statements: log one (checking for duplicates), view, edit, link, record repeats."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from claimtrack import workflow
from claimtrack.accounts.access import EDITORS, desk_user, requires_role
from claimtrack.claims import services
from claimtrack.claims.editing import (
    AppearanceInput,
    StaleVersion,
    check_editable,
    existing_speaker,
    log_statement_as_typed,
    record_appearance_as_typed,
    update_statement,
)
from claimtrack.claims.forms import AppearanceForm, EditStatementForm, LinkStatementForm, NewStatementForm
from claimtrack.claims.models import LinkRelation, Statement, StatementLink
from claimtrack.claims.page import RowsOf, compare_versions, statement_link_rows, statement_page_context, statement_rows
from claimtrack.db import get_or_404, get_session
from claimtrack.errors import Conflict
from claimtrack.forms import ConfirmVersionForm, as_sentence
from claimtrack.spotting.app import live_index

#: How many of the match index's best hits the duplicate check compares.
DUPLICATE_CANDIDATES = 20

bp = Blueprint("claims", __name__, url_prefix="/desk/statements")

Page = str | Response | tuple[str, int]


def _render_new(form: NewStatementForm, status: int, **review: object) -> tuple[str, int]:
    return render_template("desk/statement_new.html", form=form, **review), status


@bp.route("/new", methods=["GET", "POST"])
@requires_role()
def new() -> Page:
    """Log a statement; before saving, show likely duplicates and the speaker's earlier statements on the subject.

    :raise 404: when the statement it is recorded as a repeat of does not exist.
    """
    form = NewStatementForm()
    if not form.validate_on_submit():
        return _render_new(form, 422 if form.is_submitted() else 200)
    session, data = get_session(), form.statement_input()
    with form.domain_errors():
        speaker = existing_speaker(session, data.speaker, create=data.new_speaker)
        repeat_of = request.form.get("appearance_of", type=int)
        if repeat_of:
            original = get_or_404(Statement, repeat_of, "statement")
            record_appearance_as_typed(
                session,
                original,
                AppearanceInput(speaker=data.speaker, appeared_on=data.said_on, source=data.source, new_speaker=data.new_speaker),
                actor=desk_user(),
            )
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
        flash("Statement logged. Rate it when you are ready.", "info")
        return redirect(url_for("claims.show", statement_id=statement.id))
    return _render_new(form, form.error_status)


@bp.get("/<int:statement_id>")
@requires_role()
def show(statement_id: int) -> str:
    """The desk's view of a statement: ratings with drafts, links, outcomes, appearances.

    :raise 404: when there is no such statement.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    return render_template("desk/statement.html", **statement_page_context(get_session(), statement))


@bp.route("/<int:statement_id>/edit", methods=["GET", "POST"])
@requires_role()
def edit(statement_id: int) -> Page:
    """Edit a statement; a save made to an outdated version answers 409 with both versions.

    A published statement's form carries the public revision note, which a change to its words,
    speaker, date or source needs; a retracted statement's page answers 409 and shows no form.

    :raise 404: when there is no such statement.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    try:
        check_editable(statement)
    except Conflict as exc:
        return render_template("desk/statement_edit.html", statement=statement, refusal=as_sentence(exc.message)), exc.status
    form = EditStatementForm(obj=None if request.method == "POST" else _edit_defaults(statement))
    if not form.validate_on_submit():
        return render_template("desk/statement_edit.html", form=form, statement=statement), 422 if form.is_submitted() else 200
    assert form.version.data is not None  # required: set once the form validated
    note = (form.revision_note.data or "").strip() if statement.is_published else ""
    revisions_before = len(statement.revisions)
    with form.domain_errors():
        try:
            update_statement(get_session(), statement, form.statement_input(), version=int(form.version.data),
                             actor=desk_user(), revision_note=note or None)
        except StaleVersion as exc:
            # Keep what this user typed, now based on the version they have seen,
            # so saving again is a deliberate choice.
            form.version.data = str(exc.current_version)
            return render_template("desk/statement_conflict.html", form=form, statement=statement), exc.status
        flash(_saved_message(revised=len(statement.revisions) > revisions_before, note_given=bool(note)), "info")
        return redirect(url_for("claims.show", statement_id=statement_id))
    return render_template("desk/statement_edit.html", form=form, statement=statement), form.error_status


def _saved_message(*, revised: bool, note_given: bool) -> str:
    """What the flash after a save says; a note typed for nothing is not silently dropped."""
    if revised:
        return "Statement saved as a public revision: the claim page shows the change with your note."
    if note_given:
        return ("Statement saved. Its words, speaker, date and source did not change, so there is no public "
                "revision and the note was not kept.")
    return "Statement saved."


class _EditDefaults:
    """The stored statement shaped like the edit form's fields."""

    def __init__(self, statement: Statement) -> None:
        self.text = statement.text
        self.speaker = statement.speaker.name if statement.speaker else ""
        self.said_on = statement.said_on
        self.said_on_precision = statement.said_on_precision.value
        self.source_url = statement.source.url if statement.source else ""
        self.source_title = statement.source.title if statement.source else ""
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
    """Link this statement to another one (contradicts / supports / repeats).

    :raise 404: when there is no such statement.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    form = LinkStatementForm()
    session = get_session()
    if form.validate_on_submit():
        other = session.get(Statement, form.other_id.data)
        if other is None:
            form.add_error("other_id", f"There is no statement number {form.other_id.data}.")
        else:
            with form.domain_errors(fallback="other_id"):
                services.link_statements(
                    session, statement, other, LinkRelation(form.relation.data), note=form.note.data or None, actor=desk_user()
                )
                flash(f"Linked: this statement {form.relation.data} statement {other.id}.", "info")
                return redirect(url_for("claims.show", statement_id=statement_id))
    context = statement_page_context(session, statement, link_form=form)
    return render_template("desk/statement.html", **context), form.error_status


@bp.route("/<int:statement_id>/appearances/new", methods=["GET", "POST"])
@requires_role()
def new_appearance(statement_id: int) -> Page:
    """Record by hand that the statement was said again: by whom, where, when.

    :raise 404: when there is no such statement.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    form = AppearanceForm()
    if form.validate_on_submit():
        with form.domain_errors():
            record_appearance_as_typed(get_session(), statement, form.appearance_input(), actor=desk_user())
            flash("Appearance recorded.", "info")
            return redirect(url_for("claims.show", statement_id=statement_id))
    status = form.error_status if form.is_submitted() else 200
    return render_template("desk/appearance_new.html", form=form, statement=statement), status


# -- Publishing: statements and the links between them, bound to the version the editor read ----------


def _read_version() -> int:
    """The version the publish button carried. :raise 400: when the form came without it."""
    form = ConfirmVersionForm()
    if not form.validate_on_submit() or form.version.data is None:
        abort(400, "The form was incomplete; reload the page and try again.")
    return form.version.data


def conflict_page(
    exc: workflow.StaleDraft,
    rows_of: RowsOf,
    *,
    statement: Statement | None,
    back_url: str,
    publish_action: str | None = None,
    publish_form: ConfirmVersionForm | None = None,
    template: str = "desk/publish_conflict.html",
    **context: Any,
) -> tuple[str, int]:
    """The conflict page for any reviewed item: the version the person read (from the audit trail)
    beside the stored one, and a button to publish the stored one (``publish_action``; its form
    carries the stored version unless ``publish_form`` is given). An edit's page passes its own
    ``template`` and its form as typed in ``context``."""
    item = exc.item
    compared = compare_versions(get_session(), item, exc.seen_version, rows_of)
    kind = workflow.describe(item).rsplit(" ", 1)[0]
    if publish_form is None:
        publish_form = ConfirmVersionForm(formdata=None, data={"version": compared.current_version})
    return render_template(
        template, kind=kind, what=f"{kind} #{item.id}", statement=statement,
        read_version=compared.read_version, read=compared.read, current_version=compared.current_version,
        current=compared.current, changed=compared.changed, publish_action=publish_action,
        publish_form=publish_form, back_url=back_url, **context,
    ), exc.status


@bp.post("/<int:statement_id>/publish")
@requires_role(*EDITORS)
def publish(statement_id: int) -> Page:
    """Publish the version of a draft statement the editor read.

    :raise 404: when there is no such statement. :raise 400: when the form carried no version.
    :raise 409: when it is published or retracted already, or (the conflict page, both versions side
        by side) when it was saved since the page was shown.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    version = _read_version()
    try:
        workflow.publish(get_session(), statement, desk_user(), version=version)
    except workflow.StaleDraft as exc:
        # The rows show both versions of the words; a summary above them would repeat the current one.
        return conflict_page(exc, statement_rows, statement=None, back_url=url_for("claims.show", statement_id=statement_id),
                             publish_action=url_for("claims.publish", statement_id=statement_id))
    flash(f"Statement #{statement_id} published.", "info")
    return redirect(url_for("claims.show", statement_id=statement_id))


@bp.post("/links/<int:link_id>/publish")
@requires_role(*EDITORS)
def publish_link(link_id: int) -> Page:
    """Publish the version of a draft link between statements the editor read; readers see it once both
    statements are public too.

    :raise 404: when there is no such link. :raise 400: when the form carried no version.
    :raise 409: when it is published or retracted already, or (the conflict page) when it changed since read.
    """
    link = get_or_404(StatementLink, link_id, "statement link")
    version = _read_version()
    try:
        services.publish_statement_link(get_session(), link, desk_user(), version=version)
    except workflow.StaleDraft as exc:
        return conflict_page(
            exc, statement_link_rows, statement=link.from_statement,
            back_url=url_for("claims.show", statement_id=link.from_statement_id),
            publish_action=url_for("claims.publish_link", link_id=link_id),
        )
    flash(f"Published: this statement {link.relation.value} statement #{link.to_statement_id}.", "info")
    return redirect(url_for("claims.show", statement_id=link.from_statement_id, _anchor=f"statement-link-{link_id}"))
