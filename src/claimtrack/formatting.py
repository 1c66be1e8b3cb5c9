"""The Jinja filters for dates and Markdown, so templates never format by hand.

The formatting itself is Flask-free (:mod:`claimtrack.text`, :mod:`claimtrack.rendering`);
this module only registers it with the app.
"""

from __future__ import annotations

from flask import Flask

from claimtrack.rendering import render_markdown
from claimtrack.text import long_date, said_date


def init_app(app: Flask) -> None:
    app.add_template_filter(said_date)
    app.add_template_filter(long_date)
    app.add_template_filter(render_markdown, name="markdown")
