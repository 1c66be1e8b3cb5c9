"""What the write API accepts: the rules of the desk forms and the database columns, as schemas.

Each schema checks the shape of one request body (types, required fields,
lengths that match the columns and the desk forms, enums, dates); rules that
need the stored state (a speaker's name, a correction after a published
rating) stay in the services. Unknown keys are ignored, as they always were,
so a client may send back what it read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates, validates_schema
from marshmallow.exceptions import SCHEMA

from claimtrack.api.schemas.fields import MAX_ID, Text, Topics, WebURL, optional_date, record_id
from claimtrack.claims.models import DatePrecision, SourceKind
from claimtrack.claims.rules import check_appeared_on, check_expected_by, check_said_on
from claimtrack.db import get_session
from claimtrack.errors import Invalid
from claimtrack.outcomes.models import Outcome, OutcomeRelation
from claimtrack.outcomes.rules import check_occurred_on
from claimtrack.ratings.models import RatingKind
from claimtrack.ratings.scales import SCALES, check_verdict
from claimtrack.workflow import MAX_NOTE


class _Input(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_dates_are_none(self, data: Any, **kwargs: Any) -> Any:
        # A blank date field of an HTML form means none; JSON clients have sent blanks the same way.
        if not isinstance(data, dict):
            return data
        dates = {name for name, field in self.load_fields.items() if isinstance(field, fields.Date)}
        return {key: None if key in dates and value == "" else value for key, value in data.items()}


def _choice(enum_values: list[str], **kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.OneOf(enum_values, error=f"Use one of: {', '.join(enum_values)}."), **kwargs
    )


def _as_field_error(rule: Callable[[Any], None], value: Any) -> None:
    """Ask a Flask-free rule about one field; its refusal becomes that field's error."""
    try:
        rule(value)
    except Invalid as exc:
        raise ValidationError(exc.message) from None


PRECISIONS = [p.value for p in DatePrecision]
SOURCE_KINDS = [k.value for k in SourceKind]
OUTCOME_RELATIONS = [r.value for r in OutcomeRelation]
#: The date rule (``claims.rules.latest_possible_date``) as the OpenAPI document states it.
NOT_IN_FUTURE = "Not after today in UTC, with a day of grace for time zones ahead of UTC."
#: The desk form's limit on the evidence links, one per line.
MAX_EVIDENCE_TEXT = 20_000
#: As many links as that text holds at the shortest ("https://a.b" and a line break), so a list is bounded too.
MAX_EVIDENCE_LINKS = MAX_EVIDENCE_TEXT // 12


class _SourceFields(_Input):
    source_url = WebURL()
    source_title = Text(500, metadata={"description": "Left out or blank: a stored title is kept."})
    source_publisher = Text(300)
    source_kind = _choice(SOURCE_KINDS, allow_none=True, metadata={"default": SourceKind.ARTICLE.value})


class StatementInputSchema(_SourceFields):
    """A statement to log. A speaker is found by name or alias; a new one is made when nobody is similar."""

    text = Text(
        10_000, blank_message="Enter the words as they were said.", metadata={"description": "The words as said."}
    )
    speaker = Text(200, blank_message="Name who said it.", metadata={
        "description": "A speaker's name or alias; a new speaker is created when no similar name exists. "
        "A speaker object as read from the API stands for its name."})
    new_speaker = fields.Boolean(allow_none=True, metadata={
        "description": "Create the speaker even though similar names exist."})
    speaker_role = Text(300)
    said_on = fields.Date(required=True, error_messages={"required": "Enter the date it was said."}, metadata={
        "description": NOT_IN_FUTURE})
    said_on_precision = _choice(PRECISIONS, allow_none=True, metadata={"default": DatePrecision.DAY.value})
    context = Text(10_000)
    claim = Text(5000, metadata={"description": "The checkable claim, if it differs from the words."})
    topics = Topics()
    expected_by = optional_date(metadata={"description": "For predictions and promises: when it should come true."})

    @pre_load
    def _speaker_as_read(self, data: Any, **kwargs: Any) -> Any:
        # A statement read from the API names its speaker with an object; sent back, its name is what counts.
        if isinstance(data, dict) and isinstance(data.get("speaker"), dict) and "name" in data["speaker"]:
            return {**data, "speaker": data["speaker"]["name"]}
        return data

    @validates("said_on")
    def _said_not_in_future(self, value: Any, **kwargs: Any) -> None:
        _as_field_error(check_said_on, value)

    @validates_schema(skip_on_field_errors=False)
    def _expected_after_said(self, data: dict[str, Any], **kwargs: Any) -> None:
        try:
            check_expected_by(data.get("said_on"), data.get("expected_by"))
        except Invalid as exc:
            raise ValidationError(exc.message, exc.field or SCHEMA) from None


def read_version(description: str, *, required: bool = True) -> fields.Integer:
    """The ``version`` a person read of what they change, publish or retract: a whole number (``"3"`` or
    ``3.0`` are refused, not read as 3), so a stale read is caught, never guessed."""
    return fields.Integer(
        strict=True, required=required, allow_none=not required, validate=validate.Range(min=1, max=MAX_ID),
        error_messages={"required": "Give the version number you read, e.g. 3.",
                        "invalid": "Give the version as a whole number, e.g. 3."},
        metadata={"description": description},
    )


class StatementPatchSchema(StatementInputSchema):
    """Changes to a statement: only the fields sent change, and ``version`` is the one they were made to.

    Once the statement is published, a change to its words, speaker, date said or source is a public
    revision: it needs ``revision_note``."""

    text = Text(10_000, blank_message="Enter the words as they were said.", required=False)
    speaker = Text(200, blank_message="Name who said it.", required=False)
    said_on = optional_date(metadata={"description": NOT_IN_FUTURE})
    version = read_version("The version the change is based on; 409 when the statement was saved since.")
    revision_note = Text(MAX_NOTE, metadata={
        "description": "Required when a published statement's words, speaker, date said or source change: what "
                       "changed and why. Readers see it beside the revision; ignored when nothing public changes."})


class EvidenceLinkInputSchema(_Input):
    url = WebURL(required=True, allow_none=False)
    title = Text(500)

    @pre_load
    def _bare_url(self, value: Any, **kwargs: Any) -> Any:
        # A bare address stands for a link without a title, as the desk's one-per-line text allows.
        return {"url": value} if isinstance(value, str) else value


class RatingInputSchema(_Input):
    """A rating version: a verdict on a scale with its rationale; after a published rating, an update or a
    correction with its note."""

    scale = _choice(list(SCALES), required=True, metadata={"description": "A scale name from GET /scales."})
    verdict = fields.String(required=True, validate=validate.Length(max=50),
                            metadata={"description": "A verdict name on that scale."})
    rationale = Text(
        50_000, blank_message="Explain the verdict: readers see this.", metadata={"description": "Markdown."}
    )
    headline = Text(500)
    evidence = fields.List(fields.Nested(EvidenceLinkInputSchema), allow_none=True,
                           validate=validate.Length(max=MAX_EVIDENCE_LINKS))
    kind = _choice([k.value for k in RatingKind], allow_none=True, metadata={
        "description": "Required when the statement already has a published rating: \"update\" (new facts: a "
                       "prediction resolved, new evidence) or \"correction\" (the published rating was wrong)."})
    correction_note = Text(5000, metadata={
        "description": "The public note of either kind, update or correction (the name predates kinds): what is "
                       "new, or what was wrong. Required when the statement already has a published rating; "
                       "readers see it."})

    @validates("evidence")
    def _evidence_fits(self, value: list[dict[str, Any]] | None, **kwargs: Any) -> None:
        text = "\n".join(f"{link.get('url') or ''} {link.get('title') or ''}".strip() for link in value or [])
        if len(text) > MAX_EVIDENCE_TEXT:
            raise ValidationError(f"The evidence links take at most {MAX_EVIDENCE_TEXT} characters together.")

    @validates_schema(skip_on_field_errors=False)
    def _verdict_on_scale(self, data: dict[str, Any], **kwargs: Any) -> None:
        # An unknown scale is already refused by the scale field's own choice.
        if data.get("scale") in SCALES and data.get("verdict") is not None:
            try:
                check_verdict(data["scale"], data["verdict"])
            except Invalid as exc:
                raise ValidationError(exc.message, exc.field or SCHEMA) from None


#: What a draft's ``version`` means, for every body that names one.
DRAFT_VERSION = "The draft's version as you read it (its \"version\"); 409 when it was saved since."


class RatingDraftInputSchema(RatingInputSchema):
    """A draft's new verdict, rationale and evidence, made to the ``version`` of the draft that was read."""

    version = read_version(DRAFT_VERSION)


class PublishSchema(_Input):
    """The version of the draft the editor reviewed: only that version is published."""

    version = read_version(DRAFT_VERSION)


class RatingPublishSchema(PublishSchema):
    """The version of the draft rating the editor reviewed: only that version is published."""


class RetractSchema(_Input):
    """Why a published item leaves the public record: a note readers see where it stood."""

    note = Text(MAX_NOTE, blank_message="Say why it is retracted, in a note readers will see.", metadata={
        "description": "The public retraction note."})
    version = read_version(
        "Optional: the version you read; 409 when it was changed since. Left out, the stored version is retracted.",
        required=False,
    )


class OutcomeInputSchema(_Input):
    """What happened; link it to statements with POST /statements/{statement_id}/outcomes."""

    description = Text(10_000, blank_message="Describe what happened.")
    occurred_on = optional_date(metadata={"description": NOT_IN_FUTURE})
    evidence_url = WebURL()
    evidence_title = Text(500)

    @validates("occurred_on")
    def _occurred_not_in_future(self, value: Any, **kwargs: Any) -> None:
        _as_field_error(check_occurred_on, value)


class OutcomeLinkInputSchema(_Input):
    outcome_id = record_id(required=True)
    relation = _choice(OUTCOME_RELATIONS, required=True)
    note = Text(1000)

    @validates("outcome_id")
    def _outcome_exists(self, value: int, **kwargs: Any) -> None:
        # Checked with the body, so one answer names every field in error.
        if get_session().get(Outcome, value) is None:
            raise ValidationError("There is no outcome with this id.")


class AppearanceInputSchema(_SourceFields):
    """A statement said again: when, where (a URL or at least the publisher), and by whom if not the speaker."""

    appeared_on = fields.Date(required=True, error_messages={"required": "Enter when it was said again."},
                              metadata={"description": NOT_IN_FUTURE})
    speaker = Text(200, metadata={"description": "Who said it again, if not the original speaker."})
    new_speaker = fields.Boolean(allow_none=True)
    note = Text(5000)

    @validates("appeared_on")
    def _appeared_not_in_future(self, value: Any, **kwargs: Any) -> None:
        _as_field_error(check_appeared_on, value)

    @validates_schema(skip_on_field_errors=False)
    def _says_where(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not (data.get("source_url") or "").strip() and not (data.get("source_publisher") or "").strip():
            raise ValidationError("Say where it was said again: a URL or at least the publisher.", "source_url")


# Built once and shared by every request and thread: a load keeps nothing on the schema.
STATEMENT_INPUT = StatementInputSchema()
STATEMENT_PATCH = StatementPatchSchema()
RATING_INPUT = RatingInputSchema()
RATING_DRAFT_INPUT = RatingDraftInputSchema()
RATING_PUBLISH = RatingPublishSchema()
PUBLISH = PublishSchema()
RETRACT = RetractSchema()
OUTCOME_INPUT = OutcomeInputSchema()
OUTCOME_LINK_INPUT = OutcomeLinkInputSchema()
APPEARANCE_INPUT = AppearanceInputSchema()
