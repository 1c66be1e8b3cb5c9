"""HTTP caching for everything the public reads: ETags, ``304 Not Modified``, Cache-Control, compression,
and a response cache in memory, all keyed by the data version (:mod:`claimtrack.publishing.data_version`).

A *public read* is a GET or HEAD of an unguarded view of the public site or the API, from someone who
sends no session cookie and no token: what it answers depends only on the URL, the data and the day.
Its ETag names those (and this deployment), so a conditional request is answered 304 before any view
runs, and a repeated one is answered from memory; a publish, revision or retraction commits a new data
version, and the next request gets the new page. A route added to either blueprint later is covered.

Everything else (the desk, the write API, a logged-in person on a public page) answers
``Cache-Control: private, no-store``: it may carry drafts, a name or a CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib.metadata import version as package_version

from flask import Flask, Response, current_app, g, request
from flask_compress import Compress
from werkzeug.http import parse_etags

from claimtrack.db import get_session
from claimtrack.orm import PUBLIC_VIEW
from claimtrack.publishing import data_version
from claimtrack.resources import resource_dir

#: Blueprints whose unguarded GET views are public reads.
PUBLIC_BLUEPRINTS = frozenset({"public", "api"})
#: Answers that depend only on the URL and the data, and so may be tagged, cached and revalidated.
CACHEABLE_STATUSES = frozenset({200, 301, 308, 404, 410})
#: Caches may keep a public answer but must ask before each use: a 304 costs one indexed read, and a
#: retraction is never hidden behind a max-age.
PUBLIC = "public, no-cache"
PRIVATE = "private, no-store"
#: Cookies that may make a public page personal: the desk's session (its name in the header, flashed
#: messages, a logout form with a CSRF token) and a remembered login.
PERSONAL_COOKIES = ("remember_token",)

_CACHE = "claimtrack.response_cache"
_DEPLOYMENT = "claimtrack.deployment"


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """Public answers by (ETag, URL), least recently used dropped first, bounded in entries and bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[tuple[str, str], CachedResponse] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> CachedResponse | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], item: CachedResponse) -> None:
        if len(item.body) > self.max_bytes // 8:
            return  # one huge answer must not empty the cache for everyone else
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old.body) if old else 0
            self._items[key] = item
            self._bytes += len(item.body)
            while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._items)


def init_app(app: Flask) -> None:
    """Compression, then the public reads' validators and cache (their hooks run before compression's)."""
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "text/xml", "application/javascript", "application/json",
        "application/xml", "application/atom+xml", "image/svg+xml",
    ])
    app.config.setdefault("RESPONSE_CACHE_ENTRIES", 2000)
    app.config.setdefault("RESPONSE_CACHE_BYTES", 64 * 1024 * 1024)
    Compress(app)
    reset(app)
    app.extensions[_DEPLOYMENT] = _deployment(app)
    app.before_request(_answer_public_read)
    # Registered after compression's, so it runs first: it tags and stores the uncompressed answer.
    app.after_request(_set_cache_headers)


def reset(app: Flask) -> None:
    """Start with an empty response cache (the tests reuse one app over databases rolled back)."""
    app.extensions[_CACHE] = ResponseCache(app.config["RESPONSE_CACHE_ENTRIES"], app.config["RESPONSE_CACHE_BYTES"])


def _deployment(app: Flask) -> str:
    """What else an answer depends on: claimtrack's release, its templates and the organisation's settings."""
    templates = resource_dir("templates")
    newest = max((p.stat().st_mtime_ns for p in templates.rglob("*") if p.is_file()), default=0)
    # The organisation's address defaults to the site URL, and either may be unset.
    parts = (package_version("claimtrack"), str(newest), app.config["ORGANISATION_NAME"],
             app.config.get("ORGANISATION_URL") or "", app.config.get("SITE_URL") or "")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def is_public_read() -> bool:
    """Whether this request's answer is the same for anyone who asks now (see the module's docstring)."""
    if request.method not in ("GET", "HEAD") or request.blueprint not in PUBLIC_BLUEPRINTS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or hasattr(view, "allowed_roles") or "Authorization" in request.headers:
        return False
    cookies = (current_app.config["SESSION_COOKIE_NAME"], *PERSONAL_COOKIES)
    return not any(name in request.cookies for name in cookies)


def _etag() -> str:
    """The validator of a public read: the data version, the deployment and the day (pages say "today")."""
    parts = (current_app.extensions[_DEPLOYMENT], dt.date.today().isoformat(), data_version.current(get_session()))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def _matches(etag: str) -> str | None:
    """The tag of ours the client already holds, if any; compression adds ``:<coding>`` to a tag it sends."""
    header = request.headers.get("If-None-Match")
    if not header:
        return None
    held = parse_etags(header).as_set(include_weak=True)
    return next((tag for tag in held if tag == etag or tag.startswith(f"{etag}:")), None)


def _answer_public_read() -> Response | None:
    """Answer a public read without running its view: 304 when the client holds this version, the stored
    answer when one was made at this version; otherwise remember the tag for :func:`_set_cache_headers`."""
    if not is_public_read():
        return None
    etag = g.public_etag = _etag()
    held = _matches(etag)
    if held is not None:
        g.answered_early = True
        response = Response(status=304)
        response.set_etag(held)
        return response
    cached = current_app.extensions[_CACHE].get((etag, request.url))
    if cached is None:
        return None
    g.answered_early = True
    return Response(cached.body, status=cached.status, headers=list(cached.headers))


def _set_cache_headers(response: Response) -> Response:
    etag: str | None = g.get("public_etag")
    # A view that let a newsroom user in (a token on an optional-token view) answered privately.
    still_public = get_session().info.get(PUBLIC_VIEW, False) if "db_session" in g else True
    if etag is None or not still_public or response.status_code not in CACHEABLE_STATUSES | {304}:
        if request.endpoint != "static" and not response.cache_control.public:
            response.headers["Cache-Control"] = PRIVATE
        return response
    response.headers["Cache-Control"] = PUBLIC
    if response.status_code == 304:
        return response
    response.set_etag(etag)
    if not g.get("answered_early") and not response.is_streamed:
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in ("set-cookie", "content-length"))
        stored = CachedResponse(response.get_data(), response.status_code, headers)
        current_app.extensions[_CACHE].put((etag, request.url), stored)
    return response
