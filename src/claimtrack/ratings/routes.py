"""Rating statements (drafts) and publishing ratings (editors and admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from claimtrack.accounts.access import EDITORS, desk_user, requires_role
from claimtrack.accounts.permissions import may_edit_draft
from claimtrack.claims.models import Statement
from claimtrack.db import get_or_404, get_session
from claimtrack.forms import ConfirmForm
from claimtrack.ratings.forms import RatingForm, evidence_text
from claimtrack.ratings.models import Rating
from claimtrack.ratings.services import publish_rating, rate_statement, update_draft

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
    form = RatingForm(
        data={"verdict": f"{rating.scale}:{rating.verdict}", "headline": rating.headline, "rationale": rating.rationale,
              "evidence": evidence_text(rating.evidence), "correction_note": rating.correction_note},
        needs_correction_note=statement.current_rating is not None,
    )
    if form.validate_on_submit():
        with form.domain_errors(fallback="verdict"):
            update_draft(get_session(), rating, **form.rating_fields(), actor=desk_user())
            flash("Draft rating updated.", "info")
            return redirect(url_for("claims.show", statement_id=statement.id))
    status = form.error_status if form.is_submitted() else 200
    return render_template("desk/rating_new.html", form=form, statement=statement, rating=rating), status


@bp.post("/ratings/<int:rating_id>/publish")
@requires_role(*EDITORS)
def publish(rating_id: int) -> Response:
    """Publish a draft rating: it becomes the statement's current verdict.

    :raise 404: when there is no such rating. :raise 409: when it is already published.
    """
    rating = get_or_404(Rating, rating_id, "rating")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, "The form was incomplete; reload the page and try again.")
    publish_rating(get_session(), rating, actor=desk_user())
    flash(f"Published: {rating.verdict_label}.", "info")
    return redirect(url_for("claims.show", statement_id=rating.statement_id))
