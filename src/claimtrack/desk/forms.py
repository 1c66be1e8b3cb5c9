"""Forms the whole desk shares."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A button that changes something (publish, log out): a POST carrying only the CSRF token."""
