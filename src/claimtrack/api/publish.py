"""The publishing workflow through the write API: publish a draft, retract what is published.

Statements, ratings, outcomes, outcome links and statement links are drafts until an editor publishes
them, and leave the public record only by retraction, with a public note. Editors and admins only (the
services ask :func:`claimtrack.accounts.permissions.may_publish` too). A publish names the ``version``
of the draft the editor read, so what goes public is what was reviewed; a retraction may name one.

The two kinds of link have an address each: ``/outcome-links/{id}`` (an outcome settling a statement,
made with POST /statements/{id}/outcomes) and ``/statement-links/{id}`` (one statement contradicting,
supporting or repeating another, made on the desk).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from marshmallow import Schema

from claimtrack import workflow
from claimtrack.accounts.access import EDITORS
from claimtrack.api import bp
from claimtrack.api.auth import api_user, token_required
from claimtrack.api.bodies import json_object, load
from claimtrack.api.openapi import operation
from claimtrack.api.schemas.context import dump
from claimtrack.api.schemas.inputs import (
    PUBLISH,
    RATING_PUBLISH,
    RETRACT,
    PublishSchema,
    RatingPublishSchema,
    RetractSchema,
)
from claimtrack.api.schemas.resources import (
    OUTCOME,
    OUTCOME_LINK,
    RATING,
    STATEMENT,
    STATEMENT_LINK,
    OutcomeLinkSchema,
    OutcomeSchema,
    RatingSchema,
    StatementLinkSchema,
    StatementSchema,
)
from claimtrack.claims import services as claims
from claimtrack.claims.models import Statement, StatementLink
from claimtrack.db import get_or_404, get_session
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.outcomes.services import publish_link, retract_outcome
from claimtrack.ratings.models import Rating
from claimtrack.ratings.services import publish_rating, retract_rating

#: What every publish and retraction may answer besides success (401, 403, 400 and 422 are added for all).
_REFUSALS = (404, 409)


def _body(schema: Schema) -> dict[str, Any]:
    """The request's body through ``schema``; no body at all reads as ``{}``, so the answer names the
    missing field (clients written before publishing named a version sent none).

    :raise BadRequest: (400) for a body that is not a JSON object. :raise InvalidFields: (422).
    """
    return load(schema, json_object() if request.get_data() else {})


def _answer(schema: Schema, item: Any) -> Response:
    get_session().flush()  # a concurrent save surfaces here (409), while the answer can still say so
    return jsonify(dump(schema, item, desk=True))


@bp.post("/statements/<int:statement_id>/publish")
@token_required(*EDITORS)
@operation("publishStatement", tag="write", body=PublishSchema, answers={200: StatementSchema}, errors=_REFUSALS)
def publish_statement(statement_id: int) -> Response:
    """Publish a draft statement at the version the editor read (editors and admins).

    Its ratings stay drafts until each is published; publishing a rating publishes its draft statement too.

    :raise NotFound: for an unknown statement. :raise InvalidFields: (422) without a whole-number ``version``.
    :raise Conflict: (409) when it is not a draft, or (StaleDraft) when it was saved since ``version``.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    data = _body(PUBLISH)
    workflow.publish(get_session(), statement, api_user(), version=data["version"])
    return _answer(STATEMENT, statement)


@bp.post("/ratings/<int:rating_id>/publish")
@token_required(*EDITORS)
@operation("publishRating", tag="write", body=RatingPublishSchema, answers={200: RatingSchema}, errors=_REFUSALS)
def publish(rating_id: int) -> Response:
    """Publish the version of a draft rating the editor reviewed (editors and admins).

    It becomes the statement's current verdict; a draft statement is published with it.

    :raise NotFound: for an unknown rating. :raise InvalidFields: (422) without ``version``, even without a body.
    :raise Conflict: (409) when it is already published, or (StaleRating) when the draft was saved since ``version``.
    """
    rating = get_or_404(Rating, rating_id, "rating")
    data = _body(RATING_PUBLISH)
    publish_rating(get_session(), rating, actor=api_user(), version=data["version"])
    return _answer(RATING, rating)


@bp.post("/outcomes/<int:outcome_id>/publish")
@token_required(*EDITORS)
@operation("publishOutcome", tag="write", body=PublishSchema, answers={200: OutcomeSchema}, errors=_REFUSALS)
def publish_outcome(outcome_id: int) -> Response:
    """Publish a draft outcome at the version the editor read (editors and admins).

    Its links to statements stay drafts until each is published (POST /outcome-links/{outcome_link_id}/publish).

    :raise NotFound: for an unknown outcome. :raise InvalidFields: (422) without a whole-number ``version``.
    :raise Conflict: (409) when it is not a draft, or (StaleDraft) when it was saved since ``version``.
    """
    outcome = get_or_404(Outcome, outcome_id, "outcome")
    data = _body(PUBLISH)
    workflow.publish(get_session(), outcome, api_user(), version=data["version"])
    return _answer(OUTCOME, outcome)


@bp.post("/outcome-links/<int:outcome_link_id>/publish")
@token_required(*EDITORS)
@operation(
    "publishOutcomeLink", tag="write", body=PublishSchema, answers={200: OutcomeLinkSchema}, errors=_REFUSALS
)
def publish_outcome_link(outcome_link_id: int) -> Response:
    """Publish a draft outcome link at the version the editor read, and its outcome when that is a draft.

    :raise NotFound: for an unknown link. :raise InvalidFields: (422) without a whole-number ``version``.
    :raise Conflict: (409) when it is not a draft, its outcome or statement was retracted, or (StaleDraft)
        it was saved since ``version``.
    """
    link = get_or_404(OutcomeLink, outcome_link_id, "outcome link")
    data = _body(PUBLISH)
    publish_link(get_session(), link, api_user(), version=data["version"])
    return _answer(OUTCOME_LINK, link)


@bp.post("/statement-links/<int:statement_link_id>/publish")
@token_required(*EDITORS)
@operation(
    "publishStatementLink", tag="write", body=PublishSchema, answers={200: StatementLinkSchema}, errors=_REFUSALS
)
def publish_statement_link(statement_link_id: int) -> Response:
    """Publish a draft link between two statements at the version the editor read (editors and admins).

    The public sees it once both statements are published too.

    :raise NotFound: for an unknown link. :raise InvalidFields: (422) without a whole-number ``version``.
    :raise Conflict: (409) when it is not a draft, or (StaleDraft) when it was saved since ``version``.
    """
    link = get_or_404(StatementLink, statement_link_id, "statement link")
    data = _body(PUBLISH)
    claims.publish_statement_link(get_session(), link, api_user(), version=data["version"])
    return _answer(STATEMENT_LINK, link)


@bp.post("/statements/<int:statement_id>/retract")
@token_required(*EDITORS)
@operation("retractStatement", tag="write", body=RetractSchema, answers={200: StatementSchema}, errors=_REFUSALS)
def retract_statement(statement_id: int) -> Response:
    """Withdraw a published statement with a public note (editors and admins); nothing is deleted.

    Its claim page keeps a notice with the note where the statement stood.

    :raise NotFound: for an unknown statement. :raise InvalidFields: (422) without a ``note``.
    :raise Conflict: (409) when it is a draft or retracted already, or (StaleDraft) changed since ``version``.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    data = _body(RETRACT)
    claims.retract_statement(get_session(), statement, api_user(), note=data["note"], version=data.get("version"))
    return _answer(STATEMENT, statement)


@bp.post("/ratings/<int:rating_id>/retract")
@token_required(*EDITORS)
@operation("retractRating", tag="write", body=RetractSchema, answers={200: RatingSchema}, errors=_REFUSALS)
def retract_rating_version(rating_id: int) -> Response:
    """Withdraw a published rating version with a public note (editors and admins).

    When it was the current verdict, the latest published version before it becomes current again.

    :raise NotFound: for an unknown rating. :raise InvalidFields: (422) without a ``note``.
    :raise Conflict: (409) when it is a draft or retracted already, or (StaleRating) changed since ``version``.
    """
    rating = get_or_404(Rating, rating_id, "rating")
    data = _body(RETRACT)
    retract_rating(get_session(), rating, api_user(), note=data["note"], version=data.get("version"))
    return _answer(RATING, rating)


@bp.post("/outcomes/<int:outcome_id>/retract")
@token_required(*EDITORS)
@operation("retractOutcome", tag="write", body=RetractSchema, answers={200: OutcomeSchema}, errors=_REFUSALS)
def retract_outcome_record(outcome_id: int) -> Response:
    """Withdraw a published outcome with a public note (editors and admins), and each of its published links
    with the same note: a withdrawn outcome settles nothing.

    :raise NotFound: for an unknown outcome. :raise InvalidFields: (422) without a ``note``.
    :raise Conflict: (409) when it is a draft or retracted already, or (StaleDraft) changed since ``version``.
    """
    outcome = get_or_404(Outcome, outcome_id, "outcome")
    data = _body(RETRACT)
    retract_outcome(get_session(), outcome, api_user(), note=data["note"], version=data.get("version"))
    return _answer(OUTCOME, outcome)


@bp.post("/outcome-links/<int:outcome_link_id>/retract")
@token_required(*EDITORS)
@operation(
    "retractOutcomeLink", tag="write", body=RetractSchema, answers={200: OutcomeLinkSchema}, errors=_REFUSALS
)
def retract_outcome_link(outcome_link_id: int) -> Response:
    """Withdraw a published outcome link with a public note (editors and admins): the outcome no longer
    settles that statement; the outcome itself stays.

    :raise NotFound: for an unknown link. :raise InvalidFields: (422) without a ``note``.
    :raise Conflict: (409) when it is a draft or retracted already, or (StaleDraft) changed since ``version``.
    """
    link = get_or_404(OutcomeLink, outcome_link_id, "outcome link")
    data = _body(RETRACT)
    workflow.retract(get_session(), link, api_user(), note=data["note"], version=data.get("version"))
    return _answer(OUTCOME_LINK, link)


@bp.post("/statement-links/<int:statement_link_id>/retract")
@token_required(*EDITORS)
@operation(
    "retractStatementLink", tag="write", body=RetractSchema, answers={200: StatementLinkSchema}, errors=_REFUSALS
)
def retract_statement_link(statement_link_id: int) -> Response:
    """Withdraw a published link between two statements with a public note (editors and admins).

    :raise NotFound: for an unknown link. :raise InvalidFields: (422) without a ``note``.
    :raise Conflict: (409) when it is a draft or retracted already, or (StaleDraft) changed since ``version``.
    """
    link = get_or_404(StatementLink, statement_link_id, "statement link")
    data = _body(RETRACT)
    workflow.retract(get_session(), link, api_user(), note=data["note"], version=data.get("version"))
    return _answer(STATEMENT_LINK, link)
