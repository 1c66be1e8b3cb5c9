"""Field types the API's input schemas share: text without control characters, http(s) addresses, optional dates, topics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, validate

from claimtrack.orm import MAX_ID
from claimtrack.search.params import whole_number
from claimtrack.text import clean_text, is_web_url


class Text(fields.String):
    """A string cleaned like every desk field (:func:`~claimtrack.text.clean_text`: \\v becomes a line
    break, NUL and the other characters XML forbids go), at most ``max_length`` characters.

    A required text must hold more than white space; ``blank_message`` says what to enter.
    """

    def __init__(self, max_length: int, *, blank_message: str | None = None, **kwargs: Any) -> None:
        validators = [validate.Length(max=max_length), *kwargs.pop("validate", ())]
        if blank_message is not None:
            kwargs.setdefault("required", True)
            kwargs.setdefault("error_messages", {"required": blank_message, "null": blank_message})
        else:
            kwargs.setdefault("allow_none", True)
        super().__init__(validate=validators, **kwargs)
        self.blank_message = blank_message

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text = clean_text(super()._deserialize(value, attr, data, **kwargs))
        if self.blank_message is not None and not text.strip():
            raise ValidationError(self.blank_message)
        return text


def web_url(value: str | None) -> None:
    """Only http(s) addresses: they end up in links, where "javascript:" would run (the desk's rule too).

    :raise ValidationError: for anything else but a blank.
    """
    if (value or "").strip() and not is_web_url(value or ""):
        raise ValidationError("Enter a full web address starting with http:// or https://.")


class WebURL(Text):
    """An http(s) address of at most 2,048 characters (the column's size); blank means none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(2048, validate=[web_url], metadata={"format": "uri"}, **kwargs)


def optional_date(**kwargs: Any) -> fields.Date:
    """An ISO date (YYYY-MM-DD), or null; the input schemas read a blank as null (see ``inputs._Input``)."""
    return fields.Date(allow_none=True, **kwargs)


class Topics(fields.Field[list[str]]):
    """Topic names as a list, or as the desk form's comma-separated text; loads as a list of names."""

    #: The desk form's limit on the comma-separated text, and the topic name column's size.
    MAX_TEXT, MAX_NAME = 1000, 200

    def __init__(self, **kwargs: Any) -> None:
        described = {
            "oneOf": [
                {"type": "array", "items": {"type": "string", "maxLength": self.MAX_NAME}},
                {"type": "string", "maxLength": self.MAX_TEXT, "description": "Comma-separated."},
            ]
        }
        kwargs.setdefault("allow_none", True)
        super().__init__(metadata={**described, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            items: list[Any] = value.split(",")
        elif isinstance(value, list):
            items = value
        else:
            raise ValidationError("Send a list of topic names or one comma-separated text.")
        if not all(isinstance(item, str) for item in items):
            raise ValidationError("Each topic is a name (text).")
        names = [clean_text(item).strip() for item in items]
        names = [name for name in names if name]
        if len(", ".join(names)) > self.MAX_TEXT:
            raise ValidationError(f"Topics take at most {self.MAX_TEXT} characters together.")
        if any(len(name) > self.MAX_NAME for name in names):
            raise ValidationError(f"A topic name has at most {self.MAX_NAME} characters.")
        return names

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> list[str]:
        return list(value or [])


def record_id(**kwargs: Any) -> fields.Integer:
    """A whole-number id in the database's range (1 to 2**31-1)."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class QueryNumber(fields.Integer):
    """A whole number in a query string, from ``low`` to ``high``, read by the one parser every page and the
    API share (:func:`claimtrack.search.params.whole_number`: ASCII digits only, never a 500 for a huge one)."""

    def __init__(self, low: int, high: int, **kwargs: Any) -> None:
        super().__init__(validate=validate.Range(min=low, max=high), **kwargs)
        self.low, self.high = low, high

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> int:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if not value.strip():
            # A blank argument is one left out, as the site's search form sends its empty fields.
            return self.load_default if isinstance(self.load_default, int) else None  # type: ignore[return-value]
        try:
            return whole_number(value, self.low, self.high)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
