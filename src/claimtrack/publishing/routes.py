"""The public site: home, search, claim, speaker and topic pages, feeds and sitemaps.

No login, and only what is public: the queries in ``publishing.queries`` and
``search`` never return draft ratings or unconfirmed appearances. Views stay
thin: parse arguments, call one query, render.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from claimtrack.db import get_session
from claimtrack.publishing import feeds, queries, sitemap
from claimtrack.publishing.claimreview import claim_review
from claimtrack.publishing.trackrecord import track_record_chart
from claimtrack.ratings.scales import SCALES
from claimtrack.search import (
    OUTCOME_FILTERS,
    SORTS,
    SearchError,
    page_number,
    parse_search_args,
    search_statements,
    speakers_named,
)
from claimtrack.speakers.services import speaker_moved_to, topic_moved_to
from claimtrack.urls import external_url

bp = Blueprint("public", __name__)

ATOM_TYPE = "application/atom+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


def _page_arg() -> int:
    """The ``page`` argument of a list page (1 when left out).

    :raise SearchError: (400, the error page) for anything but a whole number from 1 to ``MAX_PAGE``.
    """
    return page_number(request.args)


def _json_twin(response: Response, endpoint: str, **values: Any) -> Response:
    url = external_url(endpoint, **values)
    response.headers["Link"] = f'<{url}>; rel="alternate"; type="application/json"'
    return response


@bp.get("/")
def home() -> str:
    session = get_session()
    statements = queries.latest_claims(session, limit=20)
    return render_template(
        "public/home.html",
        statements=statements,
        fact_checks=queries.latest_fact_checks(session, limit=6),
        outcomes=queries.latest_outcomes(session, limit=4),
    )


@bp.get("/search")
def search() -> tuple[str, int]:
    """Search statements; bad arguments re-show the form with the reasons (400).

    The words are also looked for among speakers' names ("Kelog" finds Keith Kellogg): the
    header's one search box finds people too. The speaker field, when filled, does that itself.
    """
    session = get_session()
    topics = queries.all_topics(session)
    context = {"scales": SCALES, "outcomes": OUTCOME_FILTERS, "sorts": SORTS, "topics": topics, "args": request.args}
    try:
        query = parse_search_args(request.args)
    except SearchError as exc:
        return render_template("public/search.html", results=None, errors=exc.fields, **context), 400
    results = search_statements(session, query)
    named = speakers_named(session, query.q) if query.q and not query.speaker else []
    return render_template("public/search.html", results=results, named_speakers=named, errors={}, **context), 200


@bp.get("/claims/<int:statement_id>")
def claim(statement_id: int) -> Response:
    """A claim's page: the words, the current verdict, the timeline, related statements.

    A retracted statement answers 410 Gone with its tombstone (see :func:`retracted_claim`).

    :raise 404: when there is no such statement (or it is a draft).
    """
    view = queries.claim_view(get_session(), statement_id, include_retracted=True)
    if view is None:
        abort(404, "There is no claim with that number.")
    if view.is_tombstone:
        return retracted_claim(view)
    review = claim_review(
        view,
        page_url=_claim_url(statement_id),
        organisation_name=current_app.config["ORGANISATION_NAME"],
        organisation_url=current_app.config["ORGANISATION_URL"] or external_url("public.home"),
        speaker_url=lambda slug: external_url("public.speaker", slug=slug),
    )
    html = render_template("public/claim.html", view=view, claim_review=review, today=dt.date.today())
    return _json_twin(Response(html, mimetype="text/html"), "api.read_statement", statement_id=statement_id)


def retracted_claim(view: queries.ClaimView) -> Response:
    """The tombstone of a retracted statement, answered 410 Gone: the words as they were, who said them and
    when, the retraction's date and note, and the history. No ClaimReview: we no longer stand by a verdict."""
    html = render_template("public/retracted.html", view=view)
    response = Response(html, status=410, mimetype="text/html")
    return _json_twin(response, "api.read_statement", statement_id=view.statement.id)


@bp.get("/speakers")
def speakers() -> str:
    session = get_session()
    page = _page_arg()
    items, total = queries.speakers_page(session, page=page, per_page=50)
    return render_template("public/speakers.html", speakers=items, total=total, page=page, per_page=50)


def _moved(endpoint: str, slug: str) -> BaseResponse:
    """A permanent redirect to ``slug``'s page, the page number kept."""
    values: dict[str, Any] = {**request.args.to_dict(), "slug": slug}
    return redirect(url_for(endpoint, **values), 301)


@bp.get("/speakers/<slug>")
def speaker(slug: str) -> BaseResponse:
    """A speaker's page: aliases, track record, statements newest first.

    An old slug (the speaker was renamed, or merged into another) redirects to where the speaker is now.

    :raise 404: when no speaker has or had that slug.
    """
    session = get_session()
    view = queries.speaker_view(session, slug, page=_page_arg())
    if view is None:
        moved_to = speaker_moved_to(session, slug)
        if moved_to is not None:
            return _moved("public.speaker", moved_to)
        abort(404, "There is no speaker at that address.")
    chart = track_record_chart(view.record, view.speaker.name)
    html = render_template("public/speaker.html", view=view, chart=chart)
    return _json_twin(Response(html, mimetype="text/html"), "api.read_speaker", speaker_id=view.speaker.id)


@bp.get("/topics")
def topics() -> str:
    return render_template("public/topics.html", topics=queries.all_topics(get_session()))


@bp.get("/topics/<slug>")
def topic(slug: str) -> str | BaseResponse:
    """A topic's statements; the old slug of a renamed topic redirects to its page.

    :raise 404: when no topic has or had that slug.
    """
    session = get_session()
    view = queries.topic_view(session, slug, page=_page_arg())
    if view is None:
        moved_to = topic_moved_to(session, slug)
        if moved_to is not None:
            return _moved("public.topic", moved_to)
        abort(404, "There is no topic at that address.")
    return render_template("public/topic.html", view=view)


@bp.get("/how-we-rate")
def how_we_rate() -> str:
    """How we rate: every scale and verdict with its label, colour and meaning, straight from the scales in code."""
    return render_template("public/how_we_rate.html", scales=list(SCALES.values()))


def _claim_url(statement_id: int) -> str:
    return external_url("public.claim", statement_id=statement_id)


#: How many entries the site-wide feed carries.
FEED_LENGTH = 50


@bp.get("/feed.atom")
def feed() -> Response:
    """Newly published ratings, corrections included, and revisions of published quotes, newest first."""
    session, organisation = get_session(), current_app.config["ORGANISATION_NAME"]
    entries = feeds.rating_entries(queries.latest_fact_checks(session, limit=FEED_LENGTH), _claim_url, organisation)
    # A quote corrected after publication is news to whoever follows the site, as a corrected rating is.
    entries += feeds.revision_entries(queries.latest_revisions(session, limit=FEED_LENGTH), _claim_url, organisation)
    entries.sort(key=lambda entry: entry.updated, reverse=True)
    body = feeds.atom_feed(
        feed_id=external_url("public.feed"),
        title=f"{organisation}: latest fact-checks",
        self_url=external_url("public.feed"),
        site_url=external_url("public.home"),
        author=organisation,
        entries=entries[:FEED_LENGTH],
    )
    return Response(body, content_type=ATOM_TYPE)


@bp.get("/claims/<int:statement_id>/feed.atom")
def claim_feed(statement_id: int) -> Response:
    """One claim's public history as a feed: every timeline event is an entry.

    A retracted statement's feed still answers, its last entry the retraction with its note: the
    people who follow a claim are the ones who must learn it was withdrawn, and a 410 would only
    make their feed readers stop polling without telling them why.

    :raise 404: when there is no such statement (or it is a draft).
    """
    view = queries.claim_view(get_session(), statement_id, include_retracted=True)
    if view is None:
        abort(404, "There is no claim with that number.")
    page_url = _claim_url(statement_id)
    entries = feeds.timeline_entries(view.timeline, page_url, view.statement.created_at)
    body = feeds.atom_feed(
        feed_id=external_url("public.claim_feed", statement_id=statement_id),
        title=f"History of a claim: \u201c{view.statement.text[:80]}\u201d",
        self_url=external_url("public.claim_feed", statement_id=statement_id),
        site_url=page_url,
        author=current_app.config["ORGANISATION_NAME"],
        entries=entries,
        fallback_updated=view.statement.updated_at,
    )
    return Response(body, content_type=ATOM_TYPE)


@bp.get("/sitemap.xml")
def sitemap_xml() -> Response:
    """The sitemap index: the page files (fixed pages, speakers, topics), then the claim files."""
    session = get_session()
    pages, claims = sitemap.page_file_count(session), sitemap.claim_file_count(session)
    locations = [external_url("public.sitemap_pages", number=n) for n in range(1, pages + 1)]
    locations += [external_url("public.sitemap_claims", number=n) for n in range(1, claims + 1)]
    return Response(sitemap.sitemap_index(locations), content_type=XML_TYPE)


@bp.get("/sitemaps/pages.xml")
def sitemap_pages_moved() -> BaseResponse:
    """The single pages file of old, now the first of several: a permanent redirect for those who kept it."""
    return redirect(url_for("public.sitemap_pages", number=1), 301)


@bp.get("/sitemaps/pages-<int:number>.xml")
def sitemap_pages(number: int) -> Response:
    """:raise 404: for a file number past the last one."""
    session = get_session()
    if not 1 <= number <= sitemap.page_file_count(session):
        abort(404)
    entries = [(external_url(endpoint, **values), None) for endpoint, values in sitemap.page_entries(session, number)]
    return Response(sitemap.urlset(entries), content_type=XML_TYPE)


@bp.get("/sitemaps/claims-<int:number>.xml")
def sitemap_claims(number: int) -> Response:
    """:raise 404: for a file number past the last one."""
    session = get_session()
    if not 1 <= number <= sitemap.claim_file_count(session):
        abort(404)
    entries = [(_claim_url(i), updated) for i, updated in sitemap.claim_entries(session, number)]
    return Response(sitemap.urlset(entries), content_type=XML_TYPE)


#: Kept from crawlers although public: results pages are endless combinations of the claim pages they list.
CRAWLERS_SKIP = ("public.search",)


@bp.get("/robots.txt")
def robots_txt() -> Response:
    """Where crawlers should not go (every page behind the login, the API, search), and the sitemap.

    Built from the URL map, so a desk or API route added later is listed too.
    """
    skipped: set[str] = set()
    crawled: set[str] = set()
    for rule in current_app.url_map.iter_rules():
        first = "/" + rule.rule.lstrip("/").split("/", 1)[0]
        public = rule.endpoint == "static" or rule.endpoint.startswith("public.")
        (crawled if public and rule.endpoint not in CRAWLERS_SKIP else skipped).add(first)
    # A folder that holds a public page too (or a path that starts with a variable) is never shut as a whole.
    skipped = {path for path in skipped - crawled if "<" not in path and path != "/"}
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in sorted(skipped)), "",
             f"Sitemap: {external_url('public.sitemap_xml')}", ""]
    return Response("\n".join(lines), content_type=TEXT_TYPE)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon where browsers look for it by default; pages also name it in their head."""
    return current_app.send_static_file("favicon.svg")
