"""Wiring the spotting feature into the Flask app: the process-wide index and the thresholds."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from claimtrack.matching import STRONG_THRESHOLD, SUGGEST_THRESHOLD
from claimtrack.spotting.live_index import LiveIndex
from claimtrack.spotting.services import Thresholds


def init_app(app: Flask) -> None:
    app.config.setdefault("MATCH_SUGGEST_THRESHOLD", SUGGEST_THRESHOLD)
    app.config.setdefault("MATCH_STRONG_THRESHOLD", STRONG_THRESHOLD)
    app.config.setdefault("MATCH_INDEX_DIR", str(Path(app.instance_path) / "match-index"))
    #: Fetching from private addresses is for tests and intranet deployments only.
    app.config.setdefault("FETCH_ALLOW_PRIVATE", False)
    app.config.setdefault("FETCH_TIMEOUT", 10.0)
    thresholds(app)  # fail at start-up, not on the first match, when they are misconfigured
    folder = app.config["MATCH_INDEX_DIR"]
    app.extensions["claimtrack.match_index"] = LiveIndex(Path(folder) if folder else None)


def live_index(app: Flask | None = None) -> LiveIndex:
    return (app or current_app).extensions["claimtrack.match_index"]


def thresholds(app: Flask | None = None) -> Thresholds:
    config = (app or current_app).config
    return Thresholds(float(config["MATCH_SUGGEST_THRESHOLD"]), float(config["MATCH_STRONG_THRESHOLD"]))
