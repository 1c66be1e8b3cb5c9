"""Security headers on every response, and the reverse proxy in front of the app.

One policy for the whole site, set after every request (pages, the API, error pages,
static files): a Content-Security-Policy that allows no inline script or style and no
framing, ``nosniff``, a Referrer-Policy, and HSTS once the site is served over HTTPS.
A route that needs something else (an embeddable card that other sites may frame)
says so where it is defined, with :func:`content_security_policy`; the default stays here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from claimtrack.config import ConfigError

F = TypeVar("F", bound=Callable[..., object])

#: The site's Content-Security-Policy: everything from the site itself, nothing inline, never framed.
#: JSON-LD (``<script type="application/ld+json">``) is data the browser does not run, so it needs no exception.
DEFAULT_CSP: Mapping[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

#: Sent with every response, whatever its CSP.
FIXED_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    # Links out to sources carry our origin only, never a desk page's path.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: One year; browsers only heed it over HTTPS.
HSTS = "max-age=31536000"

#: The attribute a view's CSP changes are kept in (see :func:`content_security_policy`).
_OVERRIDES = "content_security_policy_overrides"


def content_security_policy(**directives: str) -> Callable[[F], F]:
    """Change directives of the CSP for one view: ``@content_security_policy(frame_ancestors="*")``.

    Directive names use underscores for dashes; the others keep their default. A view whose
    ``frame-ancestors`` is not ``'none'`` also goes without ``X-Frame-Options: DENY``.
    """

    def decorate(view: F) -> F:
        setattr(view, _OVERRIDES, {name.replace("_", "-"): value for name, value in directives.items()})
        return view

    return decorate


def policy_for(view: Callable[..., object] | None) -> dict[str, str]:
    """The CSP directives for ``view`` (None: no view matched, as for a 404): the default and its changes."""
    return {**DEFAULT_CSP, **getattr(view, _OVERRIDES, {})}


def _csp_header(directives: Mapping[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _set_headers(response: Response) -> Response:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    directives = policy_for(view)
    response.headers.setdefault("Content-Security-Policy", _csp_header(directives))
    if directives["frame-ancestors"] == "'none'":
        response.headers.setdefault("X-Frame-Options", "DENY")
    for name, value in FIXED_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure or str(current_app.config.get("SITE_URL") or "").startswith("https://"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def trust_proxies(app: Flask, count: int) -> None:
    """Believe the ``X-Forwarded-For``, ``-Proto``, ``-Host``, ``-Port`` and ``-Prefix`` set by ``count`` proxies.

    Then ``request.remote_addr`` is the visitor's address (the login throttle counts per address)
    and ``request.is_secure`` says whether the visitor used HTTPS. With 0, the headers are ignored:
    anyone could send them.
    """
    if count > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count, x_prefix=count
        )


def init_app(app: Flask) -> None:
    """Set the headers on every response and put ProxyFix in front when ``TRUSTED_PROXIES`` says so.

    :raise ConfigError: when ``TRUSTED_PROXIES`` is not a whole number of at least 0.
    """
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if isinstance(proxies, bool) or not isinstance(proxies, int) or proxies < 0:
        raise ConfigError(f"CLAIMTRACK_TRUSTED_PROXIES must be a whole number of proxies (0 for none), not {proxies!r}")
    trust_proxies(app, proxies)
    app.after_request(_set_headers)
