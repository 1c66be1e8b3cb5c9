"""Bearer-token authentication for the write API, and its JSON error answers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from flask import abort, g, jsonify, make_response, request

from claimtrack.accounts.access import ANY_ROLE
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.tokens import user_for_token
from claimtrack.db import get_session
from claimtrack.error_pages import error_body

F = TypeVar("F", bound=Callable[..., Any])


def api_abort(status: int, message: str, fields: dict[str, list[str]] | None = None) -> NoReturn:
    """Stop the request with the one JSON error shape.

    :raise werkzeug.exceptions.HTTPException: always.
    """
    response = make_response(jsonify(error_body(status, message, fields)), status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="claimtrack"'
    abort(response)


def api_user() -> User:
    """The user whose token authenticated this request (only behind :func:`token_required`)."""
    return g.api_user  # type: ignore[no-any-return]


def token_required(*roles: Role) -> Callable[[F], F]:
    """Require ``Authorization: Bearer <token>`` of an active user with one of ``roles`` (any when none named).

    Answers 401 without a valid token and 403 for a role that may not. The
    allowed roles are kept on the view as ``allowed_roles`` for the access test.
    """
    allowed = roles or ANY_ROLE

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
            user = user_for_token(get_session(), secret.strip()) if scheme.lower() == "bearer" and secret else None
            if user is None:
                api_abort(401, "Send a valid API token: Authorization: Bearer <token>.")
            if user.role not in allowed:
                api_abort(403, f"A {user.role.value.replace('_', ' ')} may not do this.")
            g.api_user = user
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator
