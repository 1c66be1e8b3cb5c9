"""The site's own address: absolute URLs start with ``CLAIMTRACK_SITE_URL``, never with the request's Host.

A visitor chooses the Host header; a URL built from it would put their host into Atom ids,
sitemaps, ClaimReview markup and the API's links. :class:`claimtrack.ClaimtrackApp` sends every
``url_for(..., _external=True)`` (templates included) through :func:`on_site`, so a route added
later is covered too. Without a site URL (a desk on one machine, development) the request's
own host is used, and ``claimtrack serve`` warns about it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` with ``values``: under the site URL when one is set."""
    return url_for(endpoint, _external=True, **values)


def on_site(site_url: str, path: str, script_root: str) -> str:
    """``path``, as built for the request (under its ``script_root``), moved under ``site_url`` (ending in ``/``)."""
    return site_url + path.removeprefix(script_root).lstrip("/")


def site_url_missing_warning(app: Flask) -> str | None:
    """What to tell whoever serves the app when ``SITE_URL`` is unset, or None when it is set."""
    if app.config.get("SITE_URL"):
        return None
    return ("CLAIMTRACK_SITE_URL is not set: absolute URLs (feeds, sitemaps, ClaimReview, the API's links) "
            "are built from each request's Host header. Set it to the site's public address in production.")
