"""Desk pages for spotting repeats: check an article, review its matches, measure the matcher."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from claimtrack.accounts.access import desk_user, requires_role
from claimtrack.articles.models import Appearance, Article
from claimtrack.claims.models import Statement
from claimtrack.db import get_or_404, get_session
from claimtrack.forms import ConfirmForm, as_sentence
from claimtrack.spotting.app import fetch, live_index, thresholds
from claimtrack.spotting.extract import ExtractError, check_text, html_published_on, to_plain_text
from claimtrack.spotting.fetch import FetchBusy, FetchError
from claimtrack.spotting.forms import CheckArticleForm
from claimtrack.spotting.highlight import highlight
from claimtrack.spotting.report import build_report, labelled_scores
from claimtrack.spotting.services import check_and_store, review_appearance
from claimtrack.text import counted

bp = Blueprint("spotting", __name__, url_prefix="/desk")


def _article_text(form: CheckArticleForm) -> tuple[str, str | None, dt.date | None]:
    """The text to check and, for a fetched page, its final URL and the publication date it declares.

    :raise ExtractError, FetchError: with a message for the form.
    """
    if form.upload.data:
        upload = form.upload.data
        return to_plain_text(upload.read(), filename=upload.filename or "", content_type=upload.mimetype or ""), None, None
    if form.url.data:
        page = fetch(form.url.data)
        declared = html_published_on(page.body, content_type=page.content_type, charset=page.charset)
        return to_plain_text(page.body, content_type=page.content_type, charset=page.charset), page.url, declared
    assert form.text.data is not None  # the form requires exactly one of text, upload and address
    return check_text(form.text.data), None, None


@bp.route("/match", methods=["GET", "POST"])
@requires_role()
def check_article() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Paste, upload or fetch an article; its matches are stored as suggestions to review."""
    form = CheckArticleForm()
    if not form.validate_on_submit():
        return render_template("spotting/check.html", form=form, cut=thresholds()), 400 if form.is_submitted() else 200
    try:
        text, fetched_url, declared_on = _article_text(form)
    except (ExtractError, FetchError) as exc:
        field = form.url if form.url.data else form.upload if form.upload.data else form.text
        field.errors = [*field.errors, as_sentence(str(exc))]
        page = render_template("spotting/check.html", form=form, cut=thresholds())
        if isinstance(exc, FetchBusy):  # not the address's fault: the same request works in a minute
            return page, 503, {"Retry-After": "60"}
        return page, 422
    with form.domain_errors(fallback="text"):
        checked = check_and_store(
            get_session(),
            live_index(),
            text,
            thresholds=thresholds(),
            since=form.since.data,
            url=fetched_url or form.url.data or None,
            title=form.title.data or None,
            publisher=form.publisher.data or None,
            # The date the user gives wins over the one the page declares.
            published_on=form.published_on.data or declared_on,
            actor=desk_user(),
        )
        matches, created = checked.matches, checked.created
        if matches:
            verb = "repeats" if len(matches) == 1 else "repeat"
            flash(f"{counted(len(matches), 'sentence')} may {verb} known statements; "
                  f"{counted(len(created), 'new suggestion')} to review.", "info")
        else:
            flash("No sentence of this article repeats a known statement.", "info")
        return redirect(url_for("spotting.article", article_id=checked.article.id))
    return render_template("spotting/check.html", form=form, cut=thresholds()), form.error_status


@bp.get("/articles/<int:article_id>")
@requires_role()
def article(article_id: int) -> str:
    """The article with its matched sentences highlighted and a review button for each candidate.

    :raise 404: when there is no such article.
    """
    session = get_session()
    found = get_or_404(Article, article_id, "checked article")
    appearances = session.scalars(
        select(Appearance)
        .where(Appearance.article_id == article_id)
        .options(
            joinedload(Appearance.statement).joinedload(Statement.speaker),
            joinedload(Appearance.statement).joinedload(Statement.current_rating),
            joinedload(Appearance.reviewer),
        )
    ).all()
    return render_template(
        "spotting/article.html",
        article=found,
        pieces=highlight(found.text, appearances),
        appearances=appearances,
        cut=thresholds(),
        form=ConfirmForm(),
    )


@bp.post("/appearances/<int:appearance_id>/confirm", defaults={"decision": "confirm"})
@bp.post("/appearances/<int:appearance_id>/reject", defaults={"decision": "reject"})
@requires_role()
def review(appearance_id: int, decision: str) -> Response:
    """Confirm or reject a suggested match; the page returns to the same sentence.

    :raise 404: when there is no such appearance.
    """
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, "The form expired; reload the page and try again.")
    appearance = get_or_404(Appearance, appearance_id, "appearance")
    review_appearance(get_session(), appearance, decision == "confirm", desk_user())
    if appearance.article_id is None:
        return redirect(url_for("claims.show", statement_id=appearance.statement_id))
    return redirect(
        url_for("spotting.article", article_id=appearance.article_id, _anchor=f"match-{appearance.start_offset}")
    )


@bp.get("/match-report")
@requires_role()
def report() -> str:
    """Precision and recall of the matcher on this desk's reviews, with suggested thresholds."""
    cut = thresholds()
    return render_template("spotting/report.html", report=build_report(labelled_scores(get_session()), cut), cut=cut)
