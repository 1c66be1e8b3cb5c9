"""Forms the whole desk shares."""

from __future__ import annotations

from claimtrack.forms import Form


class ConfirmForm(Form):
    """A button that changes something (publish, log out): a POST carrying only the CSRF token."""
