"""The base of every form in claimtrack: FlaskForm (CSRF) plus input hygiene shared by every field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm


def drop_nul(value: Any) -> Any:
    """NUL characters carry no meaning in text, and PostgreSQL refuses them in a text column."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            # Every field, whatever it declares, also drops NUL characters from what was sent.
            filters = [*unbound_field.kwargs.get("filters", ()), drop_nul]
            return unbound_field.bind(form=form, **{**options, "filters": filters})
