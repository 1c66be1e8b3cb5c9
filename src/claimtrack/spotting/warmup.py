"""Loading the match index when a server starts, not on the first fact-checker's search.

At a million statements a missing snapshot means a rebuild of a minute or
more; done in the background at start-up, it is usually over before anyone
pastes an article, and a search that comes earlier simply waits for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Flask

from claimtrack.db import get_session
from claimtrack.spotting.app import live_index


def warm_in_background(app: Flask, report: Callable[[str], None]) -> threading.Thread:
    """Start loading (or building) ``app``'s match index in a daemon thread; ``report`` hears how it went."""

    def load() -> None:
        started = time.perf_counter()
        with app.app_context():
            try:
                index = live_index(app).refresh(get_session())
            except Exception as exc:
                report(f"warning: the match index could not be loaded at start-up ({exc}); searches will retry")
                return
            report(f"match index ready: {len(index):,} statements in {time.perf_counter() - started:.1f} s")

    thread = threading.Thread(target=load, name="match-index-warm-up", daemon=True)
    thread.start()
    return thread
