"""The read API: statements, their timelines, and speakers, as JSON. No authentication.

The JSON twins of the public pages: the same query functions feed both, so
the API can show nothing the site does not (no drafts, no unconfirmed
appearances). Lists answer ``{"items", "total", "next"}``.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request, url_for

from claimtrack.api import bp
from claimtrack.claims.models import Statement
from claimtrack.db import get_session
from claimtrack.error_pages import error_body
from claimtrack.text import said_date
from claimtrack.publishing import queries
from claimtrack.publishing.trackrecord import TrackRecord, track_records
from claimtrack.ratings.models import Rating
from claimtrack.search import MAX_PER_PAGE, SearchError, parse_search_args, search_statements
from claimtrack.speakers.models import Speaker


def _bad_request(fields: dict[str, list[str]]) -> tuple[Response, int]:
    names = ", ".join(sorted(fields))
    return jsonify(error_body(400, f"invalid value for: {names}", fields)), 400


def _next_url(endpoint: str, has_next: bool, args: dict[str, str], page: int, **values: Any) -> str | None:
    if not has_next:
        return None
    return url_for(endpoint, **values, **{**args, "page": str(page + 1)}, _external=True)


def rating_json(rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "id": rating.id,
        "scale": rating.scale,
        "verdict": rating.verdict,
        "verdict_label": rating.verdict_label,
        "rating_value": rating.verdict_info.value,
        "headline": rating.headline,
        "rationale": rating.rationale,
        "evidence": rating.evidence,
        "correction_note": rating.correction_note,
        "published_at": rating.published_at.isoformat() if rating.published_at else None,
    }


def speaker_ref(speaker: Speaker | None) -> dict[str, Any] | None:
    if speaker is None:
        return None
    return {
        "id": speaker.id,
        "name": speaker.name,
        "slug": speaker.slug,
        "role_title": speaker.role_title,
        "url": url_for("public.speaker", slug=speaker.slug, _external=True),
        "api_url": url_for("api.read_speaker", speaker_id=speaker.id, _external=True),
    }


def statement_json(statement: Statement) -> dict[str, Any]:
    """A statement as listed: current published verdict only (``current_rating`` is never a draft)."""
    source = statement.source
    return {
        "id": statement.id,
        "url": url_for("public.claim", statement_id=statement.id, _external=True),
        "api_url": url_for("api.read_statement", statement_id=statement.id, _external=True),
        "text": statement.text,
        "claim": statement.claim,
        "speaker": speaker_ref(statement.speaker),
        "said_on": statement.said_on.isoformat() if statement.said_on else None,
        "said_on_precision": statement.said_on_precision.value,
        "said_on_label": said_date(statement.said_on, statement.said_on_precision),
        "expected_by": statement.expected_by.isoformat() if statement.expected_by else None,
        "language": statement.language,
        "source": None if source is None else {
            "url": source.url, "publisher": source.publisher, "title": source.title, "kind": source.kind.value,
            "published_on": source.published_on.isoformat() if source.published_on else None,
        },
        "topics": [
            {"name": t.name, "slug": t.slug, "url": url_for("public.topic", slug=t.slug, _external=True)}
            for t in statement.topics
        ],
        "current_rating": rating_json(statement.current_rating),
    }


def speaker_json(speaker: Speaker, record: TrackRecord) -> dict[str, Any]:
    return {
        **speaker_ref(speaker),  # type: ignore[dict-item]
        "affiliation": speaker.affiliation,
        "country": speaker.country,
        "aliases": [a.alias for a in speaker.aliases],
        "track_record": record.as_json(),
    }


@bp.get("/statements")
def read_statements():  # type: ignore[no-untyped-def]
    """Search statements with the public search's filters.

    :raise 400: naming each argument with a bad value.
    """
    try:
        query = parse_search_args(request.args)
    except SearchError as exc:
        return _bad_request(exc.fields)
    results = search_statements(get_session(), query)
    return jsonify({
        "items": [statement_json(s) for s in results.items],
        "total": results.total,
        "total_exact": results.total_exact,
        "page": query.page,
        "per_page": query.per_page,
        "next": _next_url("api.read_statements", results.has_next, query.args(), query.page),
        "relevance_skipped": results.relevance_skipped,
        "matched_speakers": [
            {"id": m.speaker_id, "name": m.name, "matched": m.matched, "score": round(m.score, 1)}
            for m in results.speakers
        ],
    })


@bp.get("/statements/<int:statement_id>")
def read_statement(statement_id: int):  # type: ignore[no-untyped-def]
    """One statement with its public timeline, rating versions, appearances, outcomes and links.

    :raise 404: when there is no such statement.
    """
    view = queries.claim_view(get_session(), statement_id)
    if view is None:
        abort(404, "There is no statement with that id.")
    body = statement_json(view.statement)
    body["context"] = view.statement.context
    body["timeline"] = [event.as_json() for event in view.timeline]
    body["ratings"] = [rating_json(r) for r in view.ratings]
    body["appearances"] = [
        {
            "id": a.id,
            "appeared_on": a.appeared_on.isoformat() if a.appeared_on else None,
            "url": a.article.url if a.article else a.source.url if a.source else None,
            "title": a.article.title if a.article else a.source.title if a.source else None,
            "speaker": speaker_ref(a.speaker),
            "matched_text": a.matched_text,
        }
        for a in view.appearances
    ]
    body["outcomes"] = [
        {
            "relation": link.relation.value,
            "description": link.outcome.description,
            "occurred_on": link.outcome.occurred_on.isoformat() if link.outcome.occurred_on else None,
            "evidence_url": link.outcome.evidence_url,
        }
        for link in view.outcome_links
    ]
    body["related"] = [
        {"relation": r.relation, "label": r.label, "note": r.note, "statement": statement_json(r.statement)}
        for r in view.related
    ]
    return jsonify(body)


def _page_args() -> tuple[int, int]:
    """``page`` and ``per_page`` of a list.

    :raise SearchError: naming each one that is not a whole number in range.
    """
    fields: dict[str, list[str]] = {}
    values = {}
    for name, default, high in (("page", 1, 100_000), ("per_page", 20, MAX_PER_PAGE)):
        raw = request.args.get(name, str(default))
        if not raw.isdigit() or not 1 <= int(raw) <= high:
            fields[name] = [f"must be a whole number between 1 and {high}"]
        else:
            values[name] = int(raw)
    if fields:
        raise SearchError(fields)
    return values["page"], values["per_page"]


@bp.get("/speakers")
def read_speakers():  # type: ignore[no-untyped-def]
    """Speakers by name, each with aliases and track record.

    :raise 400: for a bad page or per_page.
    """
    try:
        page, per_page = _page_args()
    except SearchError as exc:
        return _bad_request(exc.fields)
    session = get_session()
    speakers, total = queries.speakers_page(session, page=page, per_page=per_page)
    records = track_records(session, [s.id for s in speakers])
    has_next = page * per_page < total
    return jsonify({
        "items": [speaker_json(s, records[s.id]) for s in speakers],
        "total": total,
        "page": page,
        "per_page": per_page,
        "next": _next_url("api.read_speakers", has_next, {"per_page": str(per_page)}, page),
    })


@bp.get("/speakers/<int:speaker_id>")
def read_speaker(speaker_id: int):  # type: ignore[no-untyped-def]
    """One speaker with aliases, track record and a link to their statements.

    :raise 404: when there is no such speaker.
    """
    session = get_session()
    speaker = session.get(Speaker, speaker_id)
    if speaker is None:
        abort(404, "There is no speaker with that id.")
    body = speaker_json(speaker, track_records(session, [speaker.id])[speaker.id])
    body["statements_url"] = url_for("api.read_statements", speaker_id=speaker.id, _external=True)
    return jsonify(body)
