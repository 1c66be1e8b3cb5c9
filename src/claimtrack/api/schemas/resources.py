"""The one JSON shape of each resource, for the read and the write API alike.

Where the two APIs used to answer differently, the shape is the union of both,
so every client keeps the fields it reads. Links (``url``, ``api_url``) are
absolute, which needs a request context. What only the desk may see (appearance
and outcome-link notes) answers null unless the dump is for the desk: the shape
stays the same.

Each schema the views dump with is built once, at the end of this module, and
shared by every request and thread: building one deep-copies its fields and
builds its nested schemas afresh, which cost a quarter of an API request. What
one dump needs besides its object (the audience, the claim view, the track
records) is therefore never kept on a schema but in :mod:`.context`.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields

from claimtrack.api.schemas.context import current
from claimtrack.articles.models import Appearance
from claimtrack.claims.models import DatePrecision, LinkRelation, SourceKind, Statement
from claimtrack.orm import PublicationStatus
from claimtrack.outcomes.models import OutcomeLink, OutcomeRelation
from claimtrack.ratings.models import RatingKind, RatingStatus
from claimtrack.speakers.models import Speaker
from claimtrack.text import said_date

#: A desk note: the same key in every answer, null in the read API's.
DESK_ONLY = {"type": ["string", "null"], "description": "Desk only: null when read publicly."}


def _status(what: str) -> fields.Enum:
    """Where the item stands in the publishing workflow (the public reads published items only, and a
    retracted one where it is shown as such)."""
    return fields.Enum(PublicationStatus, by_value=True, required=True, metadata={
        "description": f"draft until an editor publishes the {what}, then published; retracted once withdrawn "
                       "with a public note. Lists of the read API hold published items only."})


def _desk_only(value: str | None) -> str | None:
    """``value`` in a dump for the desk, null in any other."""
    return value if current().desk else None


class EvidenceLinkSchema(Schema):
    url = fields.String(required=True, metadata={"format": "uri"})
    title = fields.String(allow_none=True)


class RatingSchema(Schema):
    """One rating version: a draft, or published (the read API shows only published ones)."""

    id = fields.Integer(required=True)
    statement_id = fields.Integer(required=True)
    scale = fields.String(required=True)
    verdict = fields.String(required=True)
    verdict_label = fields.String()
    rating_value = fields.Function(
        lambda r: r.verdict_info.value,
        metadata={
            "type": ["integer", "null"], "description": "Position on the scale; null for pending and unverifiable."
        },
    )
    status = fields.Enum(RatingStatus, by_value=True, required=True)
    headline = fields.String(allow_none=True)
    rationale = fields.String(metadata={"description": "Markdown."})
    evidence = fields.List(fields.Nested(EvidenceLinkSchema))
    kind = fields.Enum(RatingKind, by_value=True, allow_none=True, metadata={
        "description": "update or correction for a version after a published one; null for a first rating."})
    correction_note = fields.String(allow_none=True, metadata={"description": "The public note of either kind."})
    supersedes_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    version = fields.Integer(metadata={
        "description": "Send it back to publish or edit a draft: a draft saved since is refused with 409."})


class SpeakerRefSchema(Schema):
    """A speaker as named in other resources."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String()
    role_title = fields.String(allow_none=True)
    url = fields.Function(lambda s: url_for("public.speaker", slug=s.slug, _external=True), metadata={"format": "uri"})
    api_url = fields.Function(
        lambda s: url_for("api.read_speaker", speaker_id=s.id, _external=True), metadata={"format": "uri"}
    )


class TrackRecordSchema(Schema):
    rated_statements = fields.Integer(attribute="rated")
    too_few_to_judge = fields.Boolean(attribute="too_few")
    truth = fields.Function(lambda r: {verdict.name: n for verdict, n in r.truth.rows}, metadata={
        "type": "object", "additionalProperties": {"type": "integer"}, "description": "Statements per verdict."})
    predictions = fields.Function(lambda r: {verdict.name: n for verdict, n in r.predictions.rows}, metadata={
        "type": "object", "additionalProperties": {"type": "integer"}, "description": "Predictions per outcome."})


class SpeakerSchema(SpeakerRefSchema):
    """A speaker with aliases and track record; dumped with the records of the dump's context."""

    affiliation = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    aliases = fields.Function(
        lambda s: [a.alias for a in s.aliases], metadata={"type": "array", "items": {"type": "string"}}
    )
    track_record = fields.Nested(TrackRecordSchema)
    statements_url = fields.Function(
        lambda s: url_for("api.read_statements", speaker_id=s.id, _external=True), metadata={"format": "uri"}
    )

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if attr == "track_record" and isinstance(obj, Speaker):
            return current().records[obj.id]
        return super().get_attribute(obj, attr, default)


class SourceSchema(Schema):
    url = fields.String(allow_none=True)
    publisher = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    kind = fields.Enum(SourceKind, by_value=True)
    published_on = fields.Date(allow_none=True)


class TopicSchema(Schema):
    name = fields.String(required=True)
    slug = fields.String(required=True)
    url = fields.Function(lambda t: url_for("public.topic", slug=t.slug, _external=True), metadata={"format": "uri"})


class RetractionSchema(Schema):
    """Why and when an item was withdrawn from the public record; it is kept, never deleted."""

    note = fields.String(required=True, attribute="retraction_note", metadata={"description": "The public note."})
    retracted_at = fields.DateTime(required=True)


class StatementSchema(Schema):
    """A statement with its current published rating (never a draft)."""

    id = fields.Integer(required=True)
    url = fields.Function(
        lambda s: url_for("public.claim", statement_id=s.id, _external=True),
        required=True, metadata={"format": "uri", "description": "The public claim page."},
    )
    api_url = fields.Function(
        lambda s: url_for("api.read_statement", statement_id=s.id, _external=True), metadata={"format": "uri"}
    )
    text = fields.String(required=True)
    claim = fields.String(allow_none=True)
    speaker = fields.Nested(SpeakerRefSchema, allow_none=True)
    said_on = fields.Date(allow_none=True)
    said_on_precision = fields.Enum(DatePrecision, by_value=True)
    said_on_label = fields.Function(lambda s: said_date(s.said_on, s.said_on_precision), metadata={"type": "string"})
    expected_by = fields.Date(allow_none=True)
    language = fields.String()
    source = fields.Nested(SourceSchema, allow_none=True)
    context = fields.String(allow_none=True)
    topics = fields.Function(
        lambda s: [t.name for t in s.topics],
        metadata={"type": "array", "items": {"type": "string"}, "description": "Topic names."},
    )
    topic_refs = fields.List(
        fields.Nested(TopicSchema), attribute="topics", metadata={"description": "The topics with their public pages."}
    )
    version = fields.Integer(metadata={
        "description": "Send it back with a PATCH, a publish or a retraction: it detects conflicting edits."})
    status = _status("statement")
    current_rating = fields.Nested(RatingSchema, allow_none=True)
    retraction = fields.Nested(RetractionSchema, allow_none=True, metadata={
        "description": "Null unless the statement was retracted: then its item still answers, with the note."})

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if attr == "retraction" and isinstance(obj, Statement):
            return obj if obj.is_retracted else None
        return super().get_attribute(obj, attr, default)


class AppearanceSchema(Schema):
    """A statement said or reported again (the read API shows confirmed ones only)."""

    id = fields.Integer(required=True)
    statement_id = fields.Integer(required=True)
    appeared_on = fields.Date(allow_none=True)
    url = fields.Function(
        lambda a: a.article.url if a.article else a.source.url if a.source else None,
        metadata={"type": ["string", "null"], "description": "The article or source it appeared in."},
    )
    title = fields.Function(
        lambda a: a.article.title if a.article else a.source.title if a.source else None,
        metadata={"type": ["string", "null"]},
    )
    source_url = fields.Function(lambda a: a.source.url if a.source else None, metadata={"type": ["string", "null"]})
    speaker = fields.Nested(SpeakerRefSchema, allow_none=True)
    matched_text = fields.String(allow_none=True)
    status = fields.Function(lambda a: a.status.value, required=True, metadata={"type": "string"})
    note = fields.Method("_note", metadata=DESK_ONLY)

    def _note(self, appearance: Appearance) -> str | None:
        return _desk_only(appearance.note)


class OutcomeLinkSchema(Schema):
    """How an outcome bears on a statement, with the outcome's own fields."""

    id = fields.Integer(required=True)
    outcome_id = fields.Integer(required=True)
    statement_id = fields.Integer(required=True)
    relation = fields.Enum(OutcomeRelation, by_value=True, required=True)
    note = fields.Method("_note", metadata=DESK_ONLY)
    description = fields.String(attribute="outcome.description")
    occurred_on = fields.Date(attribute="outcome.occurred_on", allow_none=True)
    evidence_url = fields.String(attribute="outcome.evidence_url", allow_none=True)
    evidence_title = fields.String(attribute="outcome.evidence_title", allow_none=True)
    status = _status("link")
    version = fields.Integer(metadata={"description": "Send it back to publish or retract the link."})

    def _note(self, link: OutcomeLink) -> str | None:
        return _desk_only(link.note)


class OutcomeSchema(Schema):
    """What happened, and the statements it bears on."""

    id = fields.Integer(required=True)
    description = fields.String(required=True)
    occurred_on = fields.Date(allow_none=True)
    evidence_url = fields.String(allow_none=True)
    evidence_title = fields.String(allow_none=True)
    status = _status("outcome")
    version = fields.Integer(metadata={"description": "Send it back to publish or retract the outcome."})
    links = fields.List(fields.Nested(OutcomeLinkSchema))


class StatementLinkSchema(Schema):
    """One statement contradicts, supports or repeats another (the desk links them)."""

    id = fields.Integer(required=True)
    from_statement_id = fields.Integer(required=True)
    to_statement_id = fields.Integer(required=True)
    relation = fields.Enum(LinkRelation, by_value=True, required=True)
    note = fields.String(allow_none=True)
    status = _status("link")
    version = fields.Integer(metadata={"description": "Send it back to publish or retract the link."})


class RelatedStatementSchema(Schema):
    relation = fields.String()
    label = fields.String()
    note = fields.String(allow_none=True)
    statement = fields.Nested(StatementSchema)


class DiffPartSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": ["same", "removed", "added"]})
    text = fields.String(required=True, metadata={"description": "The words, with the spaces between them."})


class FieldChangeSchema(Schema):
    label = fields.String(required=True, metadata={"description": "Speaker, Date said, Source, Source title or Publisher."})
    before = fields.String(required=True)
    after = fields.String(required=True)


class RevisionSchema(Schema):
    """A change to a published statement's words, speaker, date or source, against the revision before it."""

    number = fields.Integer(required=True, metadata={"description": "2 for the first change after publication."})
    note = fields.String(required=True, metadata={"description": "Why it changed, as readers see it."})
    made_at = fields.DateTime(required=True)
    text = fields.String(required=True, metadata={"description": "The words from this revision on."})
    previous_text = fields.String(required=True, metadata={"description": "The words before it."})
    diff = fields.List(fields.Nested(DiffPartSchema), metadata={
        "description": "The words, word by word; empty when they did not change."})
    changes = fields.List(fields.Nested(FieldChangeSchema), metadata={"description": "What changed besides the words."})


class TimelineEventSchema(Schema):
    kind = fields.String(metadata={"enum": ["said", "appearance", "rating", "revised", "expected", "outcome", "retracted"]})
    id = fields.String(attribute="anchor")
    date = fields.Date(allow_none=True)
    date_label = fields.String()
    title = fields.String()
    detail = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    verdict = fields.String(allow_none=True)
    rating_kind = fields.String(allow_none=True, metadata={
        "enum": ["update", "correction", None], "description": "For a rating after the first: update or correction."})
    correction_note = fields.String(allow_none=True, metadata={"description": "The public note of either kind."})
    revision = fields.Nested(RevisionSchema, allow_none=True, metadata={"description": "For a revised event only."})
    retraction_note = fields.String(allow_none=True, metadata={
        "description": "For a retracted rating version, outcome, link or statement: why it was withdrawn."})


class StatementDetailSchema(StatementSchema):
    """A statement with its public timeline, rating versions, appearances, outcomes and related statements,
    taken from the claim view of the dump's context."""

    timeline = fields.List(fields.Nested(TimelineEventSchema))
    ratings = fields.List(fields.Nested(RatingSchema), metadata={"description": "Published versions, oldest first."})
    appearances = fields.List(fields.Nested(AppearanceSchema), metadata={"description": "Confirmed appearances only."})
    outcomes = fields.List(fields.Nested(OutcomeLinkSchema))
    related = fields.List(fields.Nested(RelatedStatementSchema))

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        view = current().view
        if view is not None and isinstance(obj, Statement):
            if attr in ("timeline", "ratings", "appearances", "related"):
                return getattr(view, attr)
            if attr == "outcomes":
                return view.outcome_links
        return super().get_attribute(obj, attr, default)


class ScaleVerdictSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    description = fields.String()


class ScaleSchema(Schema):
    name = fields.String(required=True)
    label = fields.String()
    verdicts = fields.List(fields.Nested(ScaleVerdictSchema), required=True)


class ScaleListSchema(Schema):
    scales = fields.List(fields.Nested(ScaleSchema), required=True)


class MatchedSpeakerSchema(Schema):
    id = fields.Integer(attribute="speaker_id")
    name = fields.String()
    matched = fields.String(metadata={"description": "The words of the query that named the speaker."})
    score = fields.Function(lambda m: round(m.score, 1), metadata={"type": "number"})


class _Page(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer()
    per_page = fields.Integer()
    next = fields.String(required=True, allow_none=True, metadata={"format": "uri"})


class StatementListSchema(_Page):
    items = fields.List(fields.Nested(StatementSchema), required=True)
    total_exact = fields.Boolean(metadata={"description": "False when the total is an estimate."})
    relevance_skipped = fields.Boolean()
    matched_speakers = fields.List(fields.Nested(MatchedSpeakerSchema))


class SpeakerListSchema(_Page):
    items = fields.List(fields.Nested(SpeakerSchema), required=True)


# The shared instances (see the module's docstring). They keep nothing between dumps, so any thread may use them.
RATING = RatingSchema()
SPEAKER = SpeakerSchema()
STATEMENT = StatementSchema()
APPEARANCE = AppearanceSchema()
OUTCOME_LINK = OutcomeLinkSchema()
OUTCOME = OutcomeSchema()
STATEMENT_LINK = StatementLinkSchema()
STATEMENT_DETAIL = StatementDetailSchema()
SCALE_LIST = ScaleListSchema()
STATEMENT_LIST = StatementListSchema()
SPEAKER_LIST = SpeakerListSchema()
