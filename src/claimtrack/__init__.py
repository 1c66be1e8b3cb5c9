"""claimtrack: who said it before, what we rated it, and did it come true."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, has_request_context, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map

from claimtrack import config, db, security, urls
from claimtrack import models as _models  # noqa: F401 -- registers every mapper before first use
from claimtrack.orm import MAX_ID
from claimtrack.resources import resource_dir

csrf = CSRFProtect()

#: The largest id the id columns hold on every engine (PostgreSQL's 32-bit INTEGER): a larger one names no row,
#: and PostgreSQL would answer its query with an error rather than none.
MAX_DATABASE_INT = MAX_ID


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` in a path, bounded by what the database can store."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=MAX_DATABASE_INT if max is None else max,
                         signed=signed)

    def to_python(self, value: str) -> int:
        """The id; one too large for the database names nothing: 404 for every method.

        (A plain refusal would let the router answer 405 to every method but GET, having seen the GET rule first.)

        :raise werkzeug.exceptions.NotFound: past the bound.
        """
        # Counted in digits first: int() refuses more than a few thousand of them.
        if self.max is not None and (len(value.lstrip("-")) > len(str(self.max)) or int(value) > self.max):
            raise NotFound()
        return int(super().to_python(value))


class ClaimtrackApp(Flask):
    """Flask with one unit of work per request: the view runs, then the request's session commits or rolls back."""

    def dispatch_request(self) -> ResponseReturnValue:
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            db.end_request(succeeded=False)
            raise
        # Redirects and pages commit; an answer of 400 or more (a form sent back with its errors) rolls back.
        db.end_request(succeeded=response.status_code < 400)
        return response

    def url_for(self, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values: Any) -> str:
        """Flask's ``url_for``, except that an absolute URL made during a request starts with ``SITE_URL``
        (when set), never with the Host header the visitor sent; ``_scheme`` then gives way to the site's."""
        site_url = self.config.get("SITE_URL")
        if not (site_url and has_request_context() and (_external or (_external is None and _scheme))):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external,
                                   **values)
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
        return urls.on_site(site_url, path, request.script_root)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web application: defaults, then CLAIMTRACK_* variables, then ``test_config``."""
    app = ClaimtrackApp(
        __name__,
        instance_path=str(config.instance_path()),
        template_folder=str(resource_dir("templates")),
    )
    app.config.from_mapping(
        DATABASE_URL=config.database_url(),
        ORGANISATION_NAME="claimtrack demo desk",
        # None: the site's home page (under SITE_URL when set).
        ORGANISATION_URL=None,
        SITE_URL=None,
        TRUSTED_PROXIES=0,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Uploaded articles are capped; larger requests get 413 before any parsing.
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
    )
    app.config.from_prefixed_env("CLAIMTRACK")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_or_create_secret_key(config.instance_path())
    explicit = {name.removeprefix("CLAIMTRACK_") for name in os.environ if name.startswith("CLAIMTRACK_")}
    _configure_site_url(app, explicit | set(test_config or ()))

    # Before any route is added: every <int:…> in a path is then a database id, so a number too large
    # for the column is a 404 like any other unknown id, for routes added later too.
    app.url_map.converters["int"] = DatabaseIntConverter
    db.init_app(app)
    csrf.init_app(app)
    security.init_app(app)

    from claimtrack.claims.changes import register_listeners
    from claimtrack.publishing import caching, data_version, visibility

    register_listeners()
    visibility.register_listeners()
    data_version.register_listeners()
    # After the database's hooks: a public read's validator is read in the request's public session.
    caching.init_app(app)

    from claimtrack.spotting import app as spotting

    spotting.init_app(app)

    from claimtrack import desk, error_pages, formatting
    from claimtrack.api import bp as api_bp
    from claimtrack.api.bodies import BoundedJSONProvider
    from claimtrack.publishing.routes import bp as public_bp

    # Every JSON body any route reads is refused (400) past a few levels of nesting, before a schema walks it.
    app.json = BoundedJSONProvider(app)
    error_pages.init_app(app)
    formatting.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp)
    desk.init_app(app)
    return app


def _configure_site_url(app: Flask, explicit: set[str]) -> None:
    """Check ``SITE_URL``; a site served over HTTPS sends its login cookies over HTTPS only.

    ``explicit`` names the settings given by the environment or the test's config: those are kept.

    :raise config.ConfigError: for a site URL that is not an ``http(s)://`` address.
    """
    app.config["SITE_URL"] = config.site_url(app.config.get("SITE_URL"))
    https = (app.config["SITE_URL"] or "").startswith("https://")
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if name not in explicit:
            app.config[name] = https
