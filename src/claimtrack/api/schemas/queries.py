"""Query-string arguments of the read API's lists, with the limits the API enforces."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from claimtrack.api.schemas.fields import MAX_ID, QueryNumber
from claimtrack.ratings.scales import SCALES
from claimtrack.search import MAX_PAGE, MAX_PER_PAGE, OUTCOME_FILTERS, SORTS
from claimtrack.search.params import DEFAULT_PER_PAGE, MAX_TEXT, all_verdicts


class PageArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    page = QueryNumber(1, MAX_PAGE, load_default=1)
    per_page = QueryNumber(1, MAX_PER_PAGE, load_default=DEFAULT_PER_PAGE)


def _words(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=MAX_TEXT), **kwargs)


class SearchArgsSchema(PageArgsSchema):
    """The public search's filters, as :func:`claimtrack.search.parse_search_args` enforces them (site and API)."""

    q = _words(metadata={"description": "Words of the statement, its claim or its fact-check."})
    speaker = _words(metadata={"description": "A speaker's name or alias; forgives typos."})
    speaker_id = QueryNumber(1, MAX_ID, metadata={"description": "Exactly this speaker."})
    scale = fields.String(validate=validate.OneOf(list(SCALES)))
    verdict = fields.String(validate=validate.OneOf(sorted(all_verdicts())))
    said_from = fields.Date(data_key="from", metadata={"description": "Said on or after this date."})
    said_to = fields.Date(data_key="to", metadata={"description": "Said on or before this date."})
    topic = _words(metadata={"description": "A topic's slug or name."})
    outcome = fields.String(validate=validate.OneOf(list(OUTCOME_FILTERS)))
    publisher = _words()
    sort = fields.String(load_default="newest", validate=validate.OneOf(list(SORTS)))


# Built once and shared by every request and thread: a load keeps nothing on the schema.
PAGE_ARGS = PageArgsSchema()
