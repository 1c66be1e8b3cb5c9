"""The write API: log and edit statements, rate, record outcomes and appearances (publishing: :mod:`.publish`).

JSON in, JSON out; bearer tokens (see :mod:`claimtrack.api.auth`). Bodies are
validated by the schemas of :mod:`claimtrack.api.schemas.inputs`; the business
rules are the services', shared with the desk. Nothing here commits: the
request's unit of work does, and errors reach the central mapping.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from marshmallow import Schema

from claimtrack.accounts.permissions import may_edit_draft
from claimtrack.api import bp
from claimtrack.api.auth import api_user, token_required
from claimtrack.api.bodies import InvalidFields, json_object, load, load_body
from claimtrack.api.openapi import operation
from claimtrack.api.schemas.context import dump
from claimtrack.api.schemas.inputs import (
    APPEARANCE_INPUT,
    OUTCOME_INPUT,
    OUTCOME_LINK_INPUT,
    RATING_DRAFT_INPUT,
    RATING_INPUT,
    STATEMENT_INPUT,
    STATEMENT_PATCH,
    AppearanceInputSchema,
    OutcomeInputSchema,
    OutcomeLinkInputSchema,
    RatingDraftInputSchema,
    RatingInputSchema,
    StatementInputSchema,
    StatementPatchSchema,
)
from claimtrack.api.schemas.resources import (
    APPEARANCE,
    OUTCOME,
    OUTCOME_LINK,
    RATING,
    SCALE_LIST,
    STATEMENT,
    AppearanceSchema,
    OutcomeLinkSchema,
    OutcomeSchema,
    RatingSchema,
    ScaleListSchema,
    StatementSchema,
)
from claimtrack.claims.editing import (
    AppearanceInput,
    SourceInput,
    StatementInput,
    log_statement_as_typed,
    record_appearance_as_typed,
    update_statement,
)
from claimtrack.claims.models import DatePrecision, SourceKind, Statement
from claimtrack.db import get_or_404, get_session
from claimtrack.errors import Conflict, PermissionDenied
from claimtrack.outcomes.models import Outcome, OutcomeRelation
from claimtrack.outcomes.services import link_outcome, record_outcome
from claimtrack.ratings.models import Rating
from claimtrack.ratings.scales import SCALES
from claimtrack.ratings.services import rate_statement, update_draft


def _text(value: str | None) -> str | None:
    """Blank text means none, as in the desk forms."""
    return (value or "").strip() or None


def _source(data: dict[str, Any]) -> SourceInput:
    return SourceInput(
        url=_text(data.get("source_url")),
        publisher=_text(data.get("source_publisher")),
        title=_text(data.get("source_title")),
        kind=SourceKind(data.get("source_kind") or SourceKind.ARTICLE.value),
    )


def _statement_input(data: dict[str, Any]) -> StatementInput:
    return StatementInput(
        text=data["text"],
        speaker=data["speaker"],
        said_on=data.get("said_on"),
        said_on_precision=DatePrecision(data.get("said_on_precision") or DatePrecision.DAY.value),
        source=_source(data),
        context=data.get("context"),
        claim=data.get("claim"),
        topics=data.get("topics") or [],
        expected_by=data.get("expected_by"),
        new_speaker=bool(data.get("new_speaker")),
        speaker_role=data.get("speaker_role"),
    )


def _as_input_body(statement: Statement) -> dict[str, Any]:
    """The stored statement in the input's shape, so a PATCH changes only what it sends."""
    source = statement.source
    body = {
        "text": statement.text,
        "speaker": statement.speaker.name if statement.speaker else None,
        "said_on": statement.said_on.isoformat() if statement.said_on else None,
        "said_on_precision": statement.said_on_precision.value,
        "source_url": source.url if source else None,
        "source_title": source.title if source else None,
        "source_publisher": source.publisher if source else None,
        "source_kind": source.kind.value if source else None,
        "context": statement.context,
        "claim": statement.claim,
        "topics": [t.name for t in statement.topics],
        "expected_by": statement.expected_by.isoformat() if statement.expected_by else None,
    }
    return {key: value for key, value in body.items() if value is not None}


def _for_desk(schema: Schema, obj: Any) -> Any:
    """``obj`` dumped for the desk: the token's holder may read its notes."""
    return dump(schema, obj, desk=True)


def _rating_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "scale": data["scale"],
        "verdict": data["verdict"],
        "rationale": data["rationale"],
        "headline": _text(data.get("headline")),
        "evidence": [
            {"url": link["url"].strip(), "title": _text(link.get("title"))} for link in data.get("evidence") or []
        ],
        "kind": data.get("kind"),
        "correction_note": data.get("correction_note"),
    }


@bp.get("/scales")
@operation("listScales", tag="read", answers={200: ScaleListSchema})
def scales() -> Response:
    """The rating scales and their verdicts (public)."""
    return jsonify(dump(SCALE_LIST, {"scales": SCALES.values()}))


@bp.post("/statements")
@token_required()
@operation("createStatement", tag="write", body=StatementInputSchema, answers={201: StatementSchema})
def create_statement() -> tuple[Response, int]:
    """Log a statement.

    :raise InvalidFields: (422) for invalid input.
    :raise UnknownSpeaker: (422, an Invalid on speaker) for a speaker only similar to known ones.
    """
    data = load_body(STATEMENT_INPUT)
    statement = log_statement_as_typed(get_session(), _statement_input(data), actor=api_user())
    return jsonify(_for_desk(STATEMENT, statement)), 201


@bp.patch("/statements/<int:statement_id>")
@token_required()
@operation(
    "patchStatement", tag="write", body=StatementPatchSchema, answers={200: StatementSchema}, errors=(404, 409)
)
def patch_statement(statement_id: int) -> Response:
    """Change some fields of a statement, naming the ``version`` they were based on.

    Only the fields sent change; a change that changes nothing answers the statement at the same version.
    Once the statement is published, a change to its words, speaker, date said or source is a public
    revision and needs a ``revision_note``, which readers see; a retracted statement is not edited.

    :raise NotFound: for an unknown statement. :raise StaleVersion: (409) when it has another version now
        (a StaleDataError when caught at flush). :raise Conflict: (409) when it was retracted.
    :raise InvalidFields: (422) for invalid input, or no speaker when the statement has none yet.
    :raise Invalid: (422) on ``revision_note`` when a published statement's public fields change without one.
    """
    body = json_object()
    statement = get_or_404(Statement, statement_id, "statement")
    # The changes are checked together with what they leave unchanged (an expected-by date against the date said).
    data = load(STATEMENT_PATCH, {**_as_input_body(statement), **body})
    if not data.get("speaker"):
        # Only an imported statement can lack a speaker; an edit must name one, as the desk's form does.
        raise InvalidFields({"speaker": ["This statement has no speaker yet: name one to change it."]})
    update_statement(
        get_session(), statement, _statement_input(data), version=data["version"], actor=api_user(),
        revision_note=data.get("revision_note"),
    )
    get_session().flush()  # a concurrent edit surfaces here, while the answer can still say so
    return jsonify(_for_desk(STATEMENT, statement))


@bp.post("/statements/<int:statement_id>/ratings")
@token_required()
@operation("createRating", tag="write", body=RatingInputSchema, answers={201: RatingSchema}, errors=(404,))
def create_rating(statement_id: int) -> tuple[Response, int]:
    """Add a draft rating version.

    :raise NotFound: for an unknown statement.
    :raise Invalid: (422) for a missing ``kind`` or note after a published rating.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    data = load_body(RATING_INPUT)
    rating = rate_statement(get_session(), statement, **_rating_fields(data), actor=api_user())
    get_session().flush()
    return jsonify(_for_desk(RATING, rating)), 201


@bp.get("/ratings/<int:rating_id>")
@token_required()
@operation("getRating", tag="write", answers={200: RatingSchema}, errors=(404,))
def read_rating(rating_id: int) -> Response:
    """One rating version as the desk sees it, draft or not: its ``version`` is what an edit or a publish sends.

    :raise NotFound: for an unknown rating.
    """
    return jsonify(_for_desk(RATING, get_or_404(Rating, rating_id, "rating")))


@bp.put("/ratings/<int:rating_id>")
@token_required()
@operation(
    "updateDraftRating", tag="write", body=RatingDraftInputSchema, answers={200: RatingSchema}, errors=(404, 409)
)
def update_rating(rating_id: int) -> Response:
    """Replace a draft's verdict, rationale and evidence (its rater, editors and admins), naming the ``version`` read.

    :raise NotFound: for an unknown rating. :raise PermissionDenied: for someone else's draft.
    :raise Conflict: when it is published (rate again to correct it), or (StaleRating) when the draft
        was saved since ``version``. :raise InvalidFields: as for a new rating, or without ``version``.
    """
    rating = get_or_404(Rating, rating_id, "rating")
    if rating.is_published:
        raise Conflict(f"Rating {rating_id} is published and cannot change; "
                       f"add a new version with POST /statements/{rating.statement_id}/ratings, "
                       "its kind (update or correction) and a correction_note.")
    if not may_edit_draft(api_user(), rating):
        raise PermissionDenied("Only the draft's rater, an editor or an admin may change it.")
    data = load_body(RATING_DRAFT_INPUT)
    update_draft(get_session(), rating, **_rating_fields(data), actor=api_user(), version=data["version"])
    get_session().flush()  # a concurrent edit surfaces here, while the answer can still say so
    return jsonify(_for_desk(RATING, rating))


@bp.post("/outcomes")
@token_required()
@operation("createOutcome", tag="write", body=OutcomeInputSchema, answers={201: OutcomeSchema})
def create_outcome() -> tuple[Response, int]:
    """Record an outcome (link it to statements with POST /statements/{statement_id}/outcomes).

    :raise InvalidFields: (422) for invalid input.
    """
    data = load_body(OUTCOME_INPUT)
    outcome = record_outcome(
        get_session(),
        description=data["description"],
        occurred_on=data.get("occurred_on"),
        evidence_url=_text(data.get("evidence_url")),
        evidence_title=_text(data.get("evidence_title")),
        actor=api_user(),
    )
    get_session().flush()
    return jsonify(_for_desk(OUTCOME, outcome)), 201


@bp.post("/statements/<int:statement_id>/outcomes")
@token_required()
@operation(
    "linkOutcome", tag="write", body=OutcomeLinkInputSchema, answers={201: OutcomeLinkSchema}, errors=(404, 409)
)
def link_statement_outcome(statement_id: int) -> tuple[Response, int]:
    """Link an outcome to a statement.

    :raise NotFound: for an unknown statement. :raise InvalidFields: (422) for an unknown outcome or relation.
    :raise IntegrityError: (409) when they are already linked.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    data = load_body(OUTCOME_LINK_INPUT)
    session = get_session()
    outcome = get_or_404(Outcome, data["outcome_id"], "outcome")
    link = link_outcome(
        session, outcome, statement, OutcomeRelation(data["relation"]), note=_text(data.get("note")), actor=api_user()
    )
    session.flush()  # a link made twice breaks a unique constraint here (409)
    return jsonify(_for_desk(OUTCOME_LINK, link)), 201


@bp.post("/statements/<int:statement_id>/appearances")
@token_required()
@operation(
    "createAppearance", tag="write", body=AppearanceInputSchema, answers={201: AppearanceSchema}, errors=(404,)
)
def create_appearance(statement_id: int) -> tuple[Response, int]:
    """Record that a statement was said again.

    :raise NotFound: for an unknown statement. :raise InvalidFields: (422) for invalid input.
    :raise UnknownSpeaker: (422, an Invalid on speaker) for a speaker only similar to known ones.
    """
    statement = get_or_404(Statement, statement_id, "statement")
    data = load_body(APPEARANCE_INPUT)
    appearance = record_appearance_as_typed(
        get_session(),
        statement,
        AppearanceInput(
            speaker=data.get("speaker"),
            appeared_on=data["appeared_on"],
            source=_source(data),
            note=data.get("note"),
            new_speaker=bool(data.get("new_speaker")),
        ),
        actor=api_user(),
    )
    get_session().flush()
    return jsonify(_for_desk(APPEARANCE, appearance)), 201
