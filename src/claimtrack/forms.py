"""The bases of every form in claimtrack, with input hygiene shared by every field."""

from __future__ import annotations

from typing import Any

import wtforms
from flask_wtf import FlaskForm

from claimtrack.text import without_nul


def drop_nul(value: Any) -> Any:
    return without_nul(value) if isinstance(value, str) else value


class _Hygiene:
    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        # Every field, whatever it declares, also drops NUL characters from what was sent.
        filters = [*unbound_field.kwargs.get("filters", ()), drop_nul]
        return unbound_field.bind(form=form, **{**options, "filters": filters})


class Form(FlaskForm):
    """A form that changes something: posted, with a CSRF token."""

    class Meta(_Hygiene):
        pass


class QueryForm(wtforms.Form):
    """A GET form (filters): it changes nothing, so it carries no CSRF token."""

    class Meta(_Hygiene):
        pass


class ConfirmForm(Form):
    """A button that changes something (publish, log out): a POST carrying only the CSRF token."""
