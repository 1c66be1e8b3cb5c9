"""The domain's failures, raised by services and mapped to HTTP, forms and the CLI in one place each.

Services raise these instead of plain ``ValueError``, so a bug that raises a
``ValueError`` stays a bug (a 500 and a traceback) instead of turning into a
form message. Nothing here imports Flask: the mapping lives with each front end
(``error_pages`` for HTML and JSON, ``forms`` for form fields, ``cli`` for the
command line).
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; ``message`` is written for the person who asked.

    ``status`` is the HTTP status the web front ends answer with.
    """

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the asker)."""

    status = 404


class PermissionDenied(DomainError):
    """The actor's role or relation to the thing does not allow this action."""

    status = 403


class Conflict(DomainError):
    """The action clashes with the stored state: already published, already linked, changed since read."""

    status = 409


class Invalid(DomainError):
    """The input breaks a business rule; ``field`` names the input it is about, when there is one."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def as_fields(self) -> dict[str, list[str]]:
        """The error in the JSON error shape's ``fields`` form (empty without a field)."""
        return {self.field: [self.message]} if self.field else {}
