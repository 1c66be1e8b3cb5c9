"""Wiring the spotting feature into the Flask app: the process-wide index, the thresholds, and fetching
within the app's limits."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from claimtrack.matching import STRONG_THRESHOLD, SUGGEST_THRESHOLD
from claimtrack.spotting.fetch import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, Fetched, FetchSlots, fetch_url
from claimtrack.spotting.live_index import LiveIndex
from claimtrack.spotting.services import Thresholds


def init_app(app: Flask) -> None:
    app.config.setdefault("MATCH_SUGGEST_THRESHOLD", SUGGEST_THRESHOLD)
    app.config.setdefault("MATCH_STRONG_THRESHOLD", STRONG_THRESHOLD)
    app.config.setdefault("MATCH_INDEX_DIR", str(Path(app.instance_path) / "match-index"))
    #: Fetching from private addresses is for tests and intranet deployments only.
    app.config.setdefault("FETCH_ALLOW_PRIVATE", False)
    app.config.setdefault("FETCH_TIMEOUT", DEFAULT_TIMEOUT)
    #: Seconds for a whole fetch, redirects included; FETCH_TIMEOUT bounds each step of it.
    app.config.setdefault("FETCH_DEADLINE", DEFAULT_DEADLINE)
    #: Fetches at once per process: keep it below `claimtrack serve --threads` (8), so slow sites
    #: never hold every thread the public pages need.
    app.config.setdefault("FETCH_CONCURRENCY", 2)
    thresholds(app)  # fail at start-up, not on the first match, when they are misconfigured
    folder = app.config["MATCH_INDEX_DIR"]
    app.extensions["claimtrack.match_index"] = LiveIndex(Path(folder) if folder else None)
    app.extensions["claimtrack.fetch_slots"] = FetchSlots(int(app.config["FETCH_CONCURRENCY"]))


def live_index(app: Flask | None = None) -> LiveIndex:
    return (app or current_app).extensions["claimtrack.match_index"]


def fetch(url: str) -> Fetched:
    """Fetch ``url`` for a request, within the app's limits: its deadline, size cap and fetch slots.

    :raise FetchBusy: when every fetch slot is taken; FetchError: see :func:`fetch_url`.
    """
    config = current_app.config
    slots: FetchSlots = current_app.extensions["claimtrack.fetch_slots"]
    with slots.slot():
        return fetch_url(
            url,
            timeout=float(config["FETCH_TIMEOUT"]),
            deadline=float(config["FETCH_DEADLINE"]),
            max_bytes=int(config["MAX_CONTENT_LENGTH"]),
            allow_private=bool(config["FETCH_ALLOW_PRIVATE"]),
        )


def thresholds(app: Flask | None = None) -> Thresholds:
    config = (app or current_app).config
    return Thresholds(float(config["MATCH_SUGGEST_THRESHOLD"]), float(config["MATCH_STRONG_THRESHOLD"]))
