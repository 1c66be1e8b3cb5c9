"""Query-string arguments of the read API's lists, with the limits the API enforces."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from claimtrack.api.schemas.fields import MAX_ID
from claimtrack.ratings.scales import SCALES
from claimtrack.search import MAX_PER_PAGE, OUTCOME_FILTERS, SORTS
from claimtrack.search.params import DEFAULT_PER_PAGE, all_verdicts

#: Deep enough for any list the API serves; past it a client should narrow the list.
MAX_PAGE = 100_000


class PageArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class SearchArgsSchema(PageArgsSchema):
    """The public search's filters, as :func:`claimtrack.search.parse_search_args` enforces them (site and API)."""

    q = fields.String(metadata={"description": "Words of the statement, its claim or its fact-check."})
    speaker = fields.String(metadata={"description": "A speaker's name or alias; forgives typos."})
    speaker_id = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID), metadata={"description": "Exactly this speaker."}
    )
    scale = fields.String(validate=validate.OneOf(list(SCALES)))
    verdict = fields.String(validate=validate.OneOf(sorted(all_verdicts())))
    said_from = fields.Date(data_key="from", metadata={"description": "Said on or after this date."})
    said_to = fields.Date(data_key="to", metadata={"description": "Said on or before this date."})
    topic = fields.String(metadata={"description": "A topic's slug or name."})
    outcome = fields.String(validate=validate.OneOf(list(OUTCOME_FILTERS)))
    publisher = fields.String()
    sort = fields.String(load_default="newest", validate=validate.OneOf(list(SORTS)))


# Built once and shared by every request and thread: a load keeps nothing on the schema.
PAGE_ARGS = PageArgsSchema()
