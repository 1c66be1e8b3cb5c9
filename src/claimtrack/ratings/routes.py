"""Rating statements (drafts) and publishing ratings (editors and admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from claimtrack.accounts.access import EDITORS, desk_user, requires_role
from claimtrack.accounts.permissions import may_edit_draft
from claimtrack.claims.models import Statement
from claimtrack.db import get_or_404, get_session
from claimtrack.ratings.forms import DraftRatingForm, PublishRatingForm, RatingForm, evidence_text
from claimtrack.ratings.models import Rating
from claimtrack.ratings.services import RatingVersion, StaleRating, publish_rating, rate_statement, update_draft

bp = Blueprint("ratings", __name__, url_prefix="/desk")


@bp.route("/statements/<int:statement_id>/ratings/new", methods=["GET", "POST"])
@requires_role()
def new(statement_id: int) -> str | Response | tuple[str, int]:
    """Rate a statement; the rating is saved as a draft. A re-rating of a published verdict needs a correction note.

    :raise 404: when there is no such statement.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    form = RatingForm(needs_correction_note=statement.current_rating is not None)
    if form.validate_on_submit():
        with form.domain_errors(fallback="verdict"):
            rate_statement(get_session(), statement, **form.rating_fields(), actor=desk_user())
            flash("Rating saved as a draft. An editor publishes it.", "info")
            return redirect(url_for("claims.show", statement_id=statement_id))
    status = form.error_status if form.is_submitted() else 200
    return render_template("desk/rating_new.html", form=form, statement=statement), status


@bp.route("/ratings/<int:rating_id>/edit", methods=["GET", "POST"])
@requires_role()
def edit(rating_id: int) -> str | Response | tuple[str, int]:
    """Fix a draft rating before it is published (its rater, or an editor or admin).

    :raise 404: when there is no such rating. :raise 403: for someone else's draft.
    """
    rating = get_or_404(Rating, rating_id, "rating")
    if rating.is_published:
        flash("This rating is published, so it cannot change. Rate the statement again to correct it.", "error")
        return redirect(url_for("claims.show", statement_id=rating.statement_id))
    if not may_edit_draft(desk_user(), rating):
        abort(403, "Only its rater, an editor or an admin may change a draft.")
    statement = rating.statement
    form = DraftRatingForm(
        data={"verdict": f"{rating.scale}:{rating.verdict}", "headline": rating.headline, "rationale": rating.rationale,
              "evidence": evidence_text(rating.evidence), "kind": rating.kind.value if rating.kind else None,
              "correction_note": rating.correction_note,
              "version": rating.version},
        needs_correction_note=statement.current_rating is not None,
    )
    if form.validate_on_submit():
        assert form.version.data is not None  # required: set once the form validated
        with form.domain_errors(fallback="verdict"):
            try:
                update_draft(get_session(), rating, **form.rating_fields(), actor=desk_user(), version=form.version.data)
            except StaleRating as exc:
                # Keep what this user typed, now based on the version they are shown, so saving it
                # over the other person's change is a deliberate second click.
                form.rebase(exc.rating.version)
                return _conflict(exc, edit_form=form)
            flash("Draft rating updated.", "info")
            return redirect(url_for("claims.show", statement_id=statement.id))
    status = form.error_status if form.is_submitted() else 200
    return render_template("desk/rating_new.html", form=form, statement=statement, rating=rating), status


@bp.post("/ratings/<int:rating_id>/publish")
@requires_role(*EDITORS)
def publish(rating_id: int) -> Response | tuple[str, int]:
    """Publish the draft version the editor reviewed: it becomes the statement's current verdict.

    :raise 404: when there is no such rating. :raise 409: when it is already published, or (the
        conflict page, both versions side by side) when the draft changed since the page was shown.
    """
    rating = get_or_404(Rating, rating_id, "rating")
    form = PublishRatingForm()
    if not form.validate_on_submit():
        abort(400, "The form was incomplete; reload the page and try again.")
    assert form.version.data is not None  # required: set once the form validated
    try:
        publish_rating(get_session(), rating, actor=desk_user(), version=form.version.data)
    except StaleRating as exc:
        return _conflict(exc)
    flash(f"Published: {rating.verdict_label}.", "info")
    return redirect(url_for("claims.show", statement_id=rating.statement_id))


def _conflict(exc: StaleRating, edit_form: DraftRatingForm | None = None) -> tuple[str, int]:
    """The conflict page: the version the person read beside the stored one, and what they may do now."""
    return render_template(
        "desk/rating_conflict.html",
        statement=exc.rating.statement,
        rating=exc.rating,
        reviewed=exc.reviewed,
        reviewed_version=exc.reviewed_version,
        current=RatingVersion.of(exc.rating),
        edit_form=edit_form,
        publish_form=PublishRatingForm(formdata=None, data={"version": exc.rating.version}),
    ), exc.status
