"""The Jinja filters for dates and Markdown, so templates never format by hand.

The formatting itself is Flask-free (:mod:`claimtrack.text`, :mod:`claimtrack.rendering`);
this module only registers it with the app.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask

from claimtrack.rendering import render_markdown
from claimtrack.text import long_date, said_date


def iso_datetime(value: dt.date | dt.datetime | None) -> str:
    """A ``<time datetime>`` value: a date as a date, a timestamp to the second with its offset ("" for None).

    HTML allows at most three digits of a second, and Python's ``isoformat`` writes six.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def init_app(app: Flask) -> None:
    app.add_template_filter(said_date)
    app.add_template_filter(long_date)
    app.add_template_filter(iso_datetime)
    app.add_template_filter(render_markdown, name="markdown")
