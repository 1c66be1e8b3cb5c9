"""claimtrack: who said it before, what we rated it, and did it come true."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map

from claimtrack import config, db
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
        ORGANISATION_URL="http://127.0.0.1:5000/",
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

    # Before any route is added: every <int:…> in a path is then a database integer, so a number too
    # large for the column is a 404 like any other unknown id, for routes added later too.
    app.url_map.converters["int"] = DatabaseIntConverter
    db.init_app(app)
    csrf.init_app(app)

    from claimtrack.claims.changes import register_listeners
    from claimtrack.publishing import visibility

    register_listeners()
    visibility.register_listeners()

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
