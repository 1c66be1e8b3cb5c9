"""The read API: statements, their timelines, and speakers, as JSON. No authentication.

The JSON twins of the public pages: the same query functions feed both, so
the API can show nothing the site does not (no drafts, no unconfirmed
appearances, no desk notes). Lists answer ``{"items", "total", "next"}``.
A statement's item is the one exception: asked with a bearer token, it answers
drafts too, as the desk sees them, so a client can read what it will publish.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from claimtrack.api import bp
from claimtrack.api.auth import token_holder, token_optional
from claimtrack.api.bodies import load_args
from claimtrack.api.openapi import operation
from claimtrack.api.schemas.context import dump
from claimtrack.api.schemas.queries import PAGE_ARGS, PageArgsSchema, SearchArgsSchema
from claimtrack.api.schemas.resources import (
    SPEAKER,
    SPEAKER_LIST,
    STATEMENT_DETAIL,
    STATEMENT_LIST,
    SpeakerListSchema,
    SpeakerSchema,
    StatementDetailSchema,
    StatementListSchema,
)
from claimtrack.db import get_session
from claimtrack.errors import NotFound
from claimtrack.publishing import queries
from claimtrack.publishing.trackrecord import track_records
from claimtrack.search import parse_search_args, search_statements
from claimtrack.speakers.models import Speaker
from claimtrack.speakers.services import merged_speaker_id


def _next_url(endpoint: str, has_next: bool, args: dict[str, str], page: int, **values: Any) -> str | None:
    if not has_next:
        return None
    return url_for(endpoint, **values, **{**args, "page": str(page + 1)}, _external=True)


@bp.get("/statements")
@operation("listStatements", tag="read", query=SearchArgsSchema, answers={200: StatementListSchema})
def read_statements() -> Response:
    """Search statements with the public search's filters.

    :raise SearchError: (400) naming each argument with a bad value.
    """
    # The site's search parses the same arguments, so its rules are the API's (a SearchError answers 400).
    query = parse_search_args(request.args)
    results = search_statements(get_session(), query)
    return jsonify(dump(STATEMENT_LIST, {
        "items": results.items,
        "total": results.total,
        "total_exact": results.total_exact,
        "page": query.page,
        "per_page": query.per_page,
        "next": _next_url("api.read_statements", results.has_next, query.args(), query.page),
        "relevance_skipped": results.relevance_skipped,
        "matched_speakers": results.speakers,
    }))


@bp.get("/statements/<int:statement_id>")
@token_optional
@operation("getStatement", tag="read", answers={200: StatementDetailSchema}, errors=(404,))
def read_statement(statement_id: int) -> Response:
    """One statement with its public timeline, rating versions, appearances, outcomes and links.

    With a bearer token, a draft or retracted statement is answered too, as the desk sees it (its "status"
    and "version" are what a publish or an edit sends back), with the desk's notes. Without one, a
    retracted statement still answers, with its ``retraction`` (note and date) and its history, as its
    page's tombstone does; lists never include it.

    :raise NotFound: when there is no such statement (or, without a token, it is a draft).
    """
    view = queries.claim_view(get_session(), statement_id, include_retracted=True)
    if view is None:
        raise NotFound("There is no statement with that id.")
    return jsonify(dump(STATEMENT_DETAIL, view.statement, view=view, desk=token_holder() is not None))


@bp.get("/speakers")
@operation("listSpeakers", tag="read", query=PageArgsSchema, answers={200: SpeakerListSchema})
def read_speakers() -> Response:
    """Speakers by name, each with aliases and track record.

    :raise BadArguments: (400) for a bad page or per_page.
    """
    args = load_args(PAGE_ARGS)
    page, per_page = args["page"], args["per_page"]
    session = get_session()
    speakers, total = queries.speakers_page(session, page=page, per_page=per_page)
    records = track_records(session, [s.id for s in speakers])
    has_next = page * per_page < total
    return jsonify(dump(SPEAKER_LIST, {
        "items": speakers,
        "total": total,
        "page": page,
        "per_page": per_page,
        "next": _next_url("api.read_speakers", has_next, {"per_page": str(per_page)}, page),
    }, records=records))


@bp.get("/speakers/<int:speaker_id>")
@operation("getSpeaker", tag="read", answers={200: SpeakerSchema, 301: None}, errors=(404,))
def read_speaker(speaker_id: int) -> BaseResponse:
    """One speaker with aliases, track record and a link to their statements.

    The id of a speaker merged into another answers 301, its Location the speaker kept.

    :raise NotFound: when there is no such speaker.
    """
    session = get_session()
    speaker = session.get(Speaker, speaker_id)
    if speaker is None:
        kept_id = merged_speaker_id(session, speaker_id)
        if kept_id is None:
            raise NotFound(f"There is no speaker number {speaker_id}.")
        return redirect(url_for("api.read_speaker", speaker_id=kept_id, _external=True), 301)
    return jsonify(dump(SPEAKER, speaker, records=track_records(session, [speaker.id])))
