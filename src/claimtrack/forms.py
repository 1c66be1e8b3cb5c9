"""The bases of every form in claimtrack, with input hygiene shared by every field.

:meth:`Form.domain_errors` is the one place where a service's refusal
(:class:`~claimtrack.errors.Invalid`, :class:`~claimtrack.errors.Conflict`)
becomes a message on the form, so every desk page shows it the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import wtforms
from flask import flash
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from claimtrack.errors import Conflict, Invalid
from claimtrack.text import clean_text


def drop_controls(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def as_sentence(message: str) -> str:
    """A service's message as a sentence for a page: capitalised, with a full stop."""
    message = message.strip()
    if not message:
        return message
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


class _Hygiene:
    def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
        # No maxlength attribute, whatever a Length validator says: a browser cuts a longer paste
        # without a word. The server's check is the rule and says how long the text was; a
        # MaxChars limit is shown to the desk's live counter instead.
        extra: dict[str, Any] = {"maxlength": False}
        if getattr(field.flags, "max_chars", None):
            extra["data-max-chars"] = field.flags.max_chars
        return super().render_field(field, {**extra, **render_kw})  # type: ignore[misc]

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        # Every field, whatever it declares, also cleans control characters from what was sent
        # (\v from a paste out of Word becomes a line break; NUL and the rest go: see clean_text).
        filters = [*unbound_field.kwargs.get("filters", ()), drop_controls]
        return unbound_field.bind(form=form, **{**options, "filters": filters})


class Form(FlaskForm):
    """A form that changes something: posted, with a CSRF token."""

    class Meta(_Hygiene):
        pass

    #: The status to answer with when the form is shown again with its errors.
    error_status = 422

    def hidden_tag(self, *fields: Any) -> Markup:
        """The form's hidden fields (CSRF token, versions) without ids.

        A page often holds several forms, each with a ``csrf_token``, and ids must be unique on a page;
        no label or script points at a hidden field, so it needs none.
        """
        chosen = [self[f] if isinstance(f, str) else f for f in fields] if fields else list(self)
        return Markup("\n".join(str(f(id=False)) for f in chosen if isinstance(f.widget, HiddenInput)))

    @contextmanager
    def domain_errors(self, fallback: str | None = None) -> Iterator[None]:
        """Show what the services in the block refuse on this form instead of an error page.

        An :class:`Invalid` goes beside the field it names; one naming no field of
        this form, and a :class:`Conflict`, go beside ``fallback`` when given, else
        to :attr:`form_errors` (also flashed, so the page shows it). The block stops
        there and :attr:`error_status` becomes the error's status (422, or 409 for a
        conflict): the view re-renders the form with it, and the unit of work rolls
        back whatever the block wrote. Other errors pass through to the error pages.
        """
        try:
            yield
        except (Invalid, Conflict) as exc:
            self.error_status = exc.status
            field = exc.field if isinstance(exc, Invalid) else None
            self.add_error(field if field in self else fallback, as_sentence(exc.message))

    def add_error(self, field: str | None, message: str) -> None:
        """Put ``message`` beside ``field``; with no such field, on the whole form."""
        if field is not None and field in self:
            self[field].errors = [*self[field].errors, message]
        else:
            self.form_errors.append(message)
            flash(message, "error")


class MaxChars:
    """A validator: at most ``limit`` characters, counted as the page shows them (a line break is one).

    The message names the count, so whoever pasted too much knows by how much; the field
    carries ``data-max-chars`` for the desk's live counter.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.field_flags = {"max_chars": limit}

    def __call__(self, _form: Any, field: wtforms.Field) -> None:
        count = len((field.data or "").replace("\r\n", "\n"))
        if count > self.limit:
            raise wtforms.validators.StopValidation(
                f"This text is {count:,} characters long; the limit is {self.limit:,}."
            )


class QueryForm(wtforms.Form):
    """A GET form (filters): it changes nothing, so it carries no CSRF token."""

    class Meta(_Hygiene):
        pass


class ConfirmForm(Form):
    """A button that changes something (publish, log out): a POST carrying only the CSRF token."""


def version_field() -> wtforms.IntegerField:
    """The hidden version of the item a page showed, sent back with the form that acts on it.

    Required, with no default: a post without it must not be taken as made to the current version.
    """
    return wtforms.IntegerField(
        widget=HiddenInput(), validators=[InputRequired("The form was incomplete; reload the page."), NumberRange(min=1)]
    )


class ConfirmVersionForm(ConfirmForm):
    """A button bound to the version of the item the page showed (publish, discard): an item saved
    since is refused, so the person acts on what they read."""

    version = version_field()
