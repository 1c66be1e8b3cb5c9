"""The write API: log and edit statements, rate, publish, record outcomes and appearances.

JSON in, JSON out; bearer tokens (see :mod:`claimtrack.api.auth`); the same
services and form rules as the desk. Described in ``openapi/write.json``.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from claimtrack.accounts.access import EDITORS
from claimtrack.accounts.permissions import may_edit_draft
from claimtrack.api import bp
from claimtrack.api.auth import api_abort, api_user, token_required
from claimtrack.api.json_input import json_object, require_fields, validated
from claimtrack.articles.models import Appearance
from claimtrack.claims.editing import (
    StaleVersion,
    UnknownSpeaker,
    log_statement_as_typed,
    record_appearance_as_typed,
    update_statement,
)
from claimtrack.claims.forms import AppearanceForm, EditStatementForm, StatementForm
from claimtrack.claims.models import Statement
from claimtrack.db import get_session
from claimtrack.outcomes.forms import OutcomeForm
from claimtrack.outcomes.models import Outcome, OutcomeRelation
from claimtrack.outcomes.services import link_outcome, record_outcome
from claimtrack.ratings.forms import RatingForm, evidence_text
from claimtrack.ratings.models import Rating
from claimtrack.ratings.scales import SCALES
from claimtrack.ratings.services import publish_rating, rate_statement, update_draft

INVALID = "The input is not valid; see the messages per field."


# -- JSON shapes ----------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def rating_json(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.id,
        "statement_id": rating.statement_id,
        "scale": rating.scale,
        "verdict": rating.verdict,
        "verdict_label": rating.verdict_label,
        "status": rating.status.value,
        "headline": rating.headline,
        "rationale": rating.rationale,
        "evidence": rating.evidence,
        "correction_note": rating.correction_note,
        "supersedes_id": rating.supersedes_id,
        "created_at": _iso(rating.created_at),
        "published_at": _iso(rating.published_at),
    }


def statement_json(statement: Statement) -> dict[str, Any]:
    source = statement.source
    return {
        "id": statement.id,
        "url": url_for("public.claim", statement_id=statement.id, _external=True),
        "text": statement.text,
        "claim": statement.claim,
        "speaker": {"id": statement.speaker.id, "name": statement.speaker.name} if statement.speaker else None,
        "said_on": _iso(statement.said_on),
        "said_on_precision": statement.said_on_precision.value,
        "source": {"url": source.url, "publisher": source.publisher, "kind": source.kind.value} if source else None,
        "context": statement.context,
        "topics": [t.name for t in statement.topics],
        "expected_by": _iso(statement.expected_by),
        "version": statement.version,
        "current_rating": rating_json(statement.current_rating) if statement.current_rating else None,
    }


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "id": outcome.id,
        "description": outcome.description,
        "occurred_on": _iso(outcome.occurred_on),
        "evidence_url": outcome.evidence_url,
        "evidence_title": outcome.evidence_title,
        "links": [{"statement_id": l.statement_id, "relation": l.relation.value, "note": l.note} for l in outcome.links],
    }


def appearance_json(appearance: Appearance) -> dict[str, Any]:
    return {
        "id": appearance.id,
        "statement_id": appearance.statement_id,
        "speaker": {"id": appearance.speaker.id, "name": appearance.speaker.name} if appearance.speaker else None,
        "source_url": appearance.source.url if appearance.source else None,
        "appeared_on": _iso(appearance.appeared_on),
        "status": appearance.status.value,
        "note": appearance.note,
    }


# -- Helpers ----------------------------------------------------------------------


def _get(model: type[Any], object_id: int, what: str) -> Any:
    """:raise 404: when there is no such row."""
    found = get_session().get(model, object_id)
    if found is None:
        api_abort(404, f"There is no {what} with id {object_id}.")
    return found


def _created(body: dict[str, Any]) -> tuple[Response, int]:
    return jsonify(body), 201


def _topics_as_text(body: dict[str, Any]) -> dict[str, Any]:
    """Topics may come as a list or as the form's comma-separated text."""
    if isinstance(body.get("topics"), list):
        return {**body, "topics": ", ".join(str(t) for t in body["topics"])}
    return body


def _speaker_problem(exc: UnknownSpeaker) -> None:
    get_session().rollback()
    api_abort(422, INVALID, {"speaker": [str(exc) + ' Send "new_speaker": true to create it.']})


# -- Routes -----------------------------------------------------------------------


@bp.get("/scales")
def scales() -> Response:
    """The rating scales and their verdicts (public)."""
    return jsonify(
        {
            "scales": [
                {
                    "name": scale.name,
                    "label": scale.label,
                    "verdicts": [{"name": v.name, "label": v.label, "description": v.description} for v in scale.verdicts],
                }
                for scale in SCALES.values()
            ]
        }
    )


@bp.post("/statements")
@token_required()
def create_statement() -> tuple[Response, int]:
    """Log a statement. :raise 422: for invalid input or an ambiguous speaker."""
    form = validated(StatementForm, _topics_as_text(json_object()))
    session = get_session()
    try:
        statement = log_statement_as_typed(session, form.statement_input(), actor=api_user())
        session.commit()
    except UnknownSpeaker as exc:
        _speaker_problem(exc)
    except ValueError as exc:
        session.rollback()
        api_abort(422, INVALID, {"text": [str(exc)]})
    return _created(statement_json(statement))


def _statement_as_body(statement: Statement) -> dict[str, Any]:
    """The stored statement in the API's input shape, so a PATCH changes only what it sends."""
    source = statement.source
    return {
        "text": statement.text,
        "speaker": statement.speaker.name if statement.speaker else "",
        "said_on": _iso(statement.said_on),
        "said_on_precision": statement.said_on_precision.value,
        "source_url": source.url if source else None,
        "source_publisher": source.publisher if source else None,
        "source_kind": source.kind.value if source else "article",
        "context": statement.context,
        "claim": statement.claim,
        "topics": ", ".join(t.name for t in statement.topics),
        "expected_by": _iso(statement.expected_by),
    }


@bp.patch("/statements/<int:statement_id>")
@token_required()
def patch_statement(statement_id: int) -> Response:
    """Change some fields of a statement, naming the ``version`` they were based on.

    :raise 409: when the statement has another version now. :raise 422: for invalid input.
    """
    body = _topics_as_text(json_object())
    require_fields(body, "version")
    statement = _get(Statement, statement_id, "statement")
    form = validated(EditStatementForm, {**_statement_as_body(statement), **body})
    if not str(form.version.data).isdigit():
        api_abort(422, INVALID, {"version": ["Give the version number you read, e.g. 3."]})
    session = get_session()
    try:
        update_statement(session, statement, form.statement_input(), version=int(form.version.data), actor=api_user())
        session.commit()
    except (StaleDataError, StaleVersion):
        session.rollback()
        current = _get(Statement, statement_id, "statement")
        api_abort(409, f"Statement {statement_id} was changed by someone else: it is at version {current.version} now. "
                       "Read it again and re-apply your change.")
    except UnknownSpeaker as exc:
        _speaker_problem(exc)
    except ValueError as exc:
        session.rollback()
        api_abort(422, INVALID, {"text": [str(exc)]})
    return jsonify(statement_json(statement))


def _rating_form(body: dict, statement: Statement) -> RatingForm:
    """The rating body (``scale``, ``verdict``, ...) validated by the desk's own form.

    :raise 422: naming each field in error.
    """
    require_fields(body, "scale", "verdict")
    scale = SCALES.get(str(body["scale"]))
    if scale is None:
        api_abort(422, INVALID, {"scale": [f"Unknown scale; use one of: {', '.join(SCALES)}."]})
    if str(body["verdict"]) not in {v.name for v in scale.verdicts}:
        api_abort(422, INVALID, {"verdict": [f"The {scale.name} scale has no such verdict; use one of: "
                                             f"{', '.join(v.name for v in scale.verdicts)}."]})
    evidence = body.get("evidence") or []
    if not isinstance(evidence, list):
        api_abort(422, INVALID, {"evidence": ["Send a list of {\"url\", \"title\"} objects."]})
    as_form = {**body, "verdict": f"{scale.name}:{body['verdict']}",
               "evidence": evidence_text([e if isinstance(e, dict) else {"url": str(e)} for e in evidence])}
    return validated(RatingForm, as_form, needs_correction_note=statement.current_rating is not None)


@bp.post("/statements/<int:statement_id>/ratings")
@token_required()
def create_rating(statement_id: int) -> tuple[Response, int]:
    """Add a draft rating. :raise 422: for an unknown scale or verdict, or a missing correction note."""
    body = json_object()
    statement = _get(Statement, statement_id, "statement")
    form = _rating_form(body, statement)
    session = get_session()
    rating = rate_statement(session, statement, **form.rating_fields(), actor=api_user())
    session.commit()
    return _created(rating_json(rating))


@bp.put("/ratings/<int:rating_id>")
@token_required()
def update_rating(rating_id: int) -> Response:
    """Replace a draft's verdict, rationale and evidence (its rater, editors and admins).

    :raise 403: for someone else's draft. :raise 409: when it is published (rate again to correct it).
    :raise 422: as for a new rating.
    """
    body = json_object()
    rating = _get(Rating, rating_id, "rating")
    if rating.is_published:
        api_abort(409, f"Rating {rating_id} is published and cannot change; "
                       f"correct it with POST /statements/{rating.statement_id}/ratings and a correction_note.")
    if not may_edit_draft(api_user(), rating):
        api_abort(403, "Only the draft's rater, an editor or an admin may change it.")
    form = _rating_form(body, rating.statement)
    session = get_session()
    update_draft(session, rating, **form.rating_fields(), actor=api_user())
    session.commit()
    return jsonify(rating_json(rating))


@bp.post("/ratings/<int:rating_id>/publish")
@token_required(*EDITORS)
def publish(rating_id: int) -> Response:
    """Publish a draft rating (editors and admins). :raise 409: when it is already published."""
    rating = _get(Rating, rating_id, "rating")
    session = get_session()
    publish_rating(session, rating, actor=api_user())
    session.commit()
    return jsonify(rating_json(rating))


@bp.post("/outcomes")
@token_required()
def create_outcome() -> tuple[Response, int]:
    """Record an outcome (link it to statements with POST /statements/{id}/outcomes)."""
    form = validated(OutcomeForm, json_object())
    session = get_session()
    outcome = record_outcome(session, **form.outcome_fields(), actor=api_user())
    session.commit()
    return _created(outcome_json(outcome))


@bp.post("/statements/<int:statement_id>/outcomes")
@token_required()
def link_statement_outcome(statement_id: int) -> tuple[Response, int]:
    """Link an outcome to a statement: ``{"outcome_id", "relation", "note"?}``.

    :raise 409: when they are already linked. :raise 422: for an unknown outcome or relation.
    """
    body = json_object()
    statement = _get(Statement, statement_id, "statement")
    require_fields(body, "outcome_id", "relation")
    relations = [r.value for r in OutcomeRelation]
    problems: dict[str, list[str]] = {}
    if body["relation"] not in relations:
        problems["relation"] = [f"Use one of: {', '.join(relations)}."]
    outcome_id = body["outcome_id"]
    outcome = get_session().get(Outcome, outcome_id) if isinstance(outcome_id, int) and not isinstance(outcome_id, bool) else None
    if outcome is None:
        problems["outcome_id"] = ["There is no outcome with this id."]
    if problems:
        api_abort(422, INVALID, problems)
    session = get_session()
    try:
        link = link_outcome(
            session, outcome, statement, OutcomeRelation(body["relation"]), note=body.get("note") or None, actor=api_user()
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        api_abort(409, "That outcome is already linked to this statement.")
    return _created({"id": link.id, "outcome_id": link.outcome_id, "statement_id": link.statement_id,
                     "relation": link.relation.value, "note": link.note})


@bp.post("/statements/<int:statement_id>/appearances")
@token_required()
def create_appearance(statement_id: int) -> tuple[Response, int]:
    """Record that a statement was said again: ``{"appeared_on", "source_url"?, "source_publisher"?, "speaker"?, "note"?}``."""
    body = json_object()
    statement = _get(Statement, statement_id, "statement")
    form = validated(AppearanceForm, body)
    session = get_session()
    try:
        appearance = record_appearance_as_typed(session, statement, form.appearance_input(), actor=api_user())
        session.commit()
    except UnknownSpeaker as exc:
        _speaker_problem(exc)
    return _created(appearance_json(appearance))
