"""Jinja filters for dates and verdicts, so templates never format by hand."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from claimtrack.claims.models import DatePrecision
from claimtrack.rendering import render_markdown


def said_date(day: dt.date | None, precision: DatePrecision = DatePrecision.DAY) -> str:
    """A date shown no more precisely than it is known ("December 2025")."""
    if day is None:
        return "date unknown"
    if precision is DatePrecision.YEAR:
        return str(day.year)
    if precision is DatePrecision.MONTH:
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


def long_date(day: dt.date | dt.datetime | None) -> str:
    return said_date(day.date() if isinstance(day, dt.datetime) else day)


def init_app(app: Flask) -> None:
    app.add_template_filter(said_date)
    app.add_template_filter(long_date)
    app.add_template_filter(render_markdown, name="markdown")
