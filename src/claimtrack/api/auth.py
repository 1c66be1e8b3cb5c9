"""Bearer-token authentication for the write API, and its JSON error answers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar, cast

from flask import abort, g, jsonify, make_response, request

from claimtrack.accounts.access import ANY_ROLE, GuardedView
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.tokens import user_for_token
from claimtrack.db import get_session, show_unpublished
from claimtrack.error_pages import error_body

P = ParamSpec("P")
R = TypeVar("R")


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
    # Flask types g's attributes as Any; token_required stores the token's user here.
    return cast(User, g.api_user)


def token_required(*roles: Role) -> Callable[[Callable[P, R]], GuardedView[P, R]]:
    """Require ``Authorization: Bearer <token>`` of an active user with one of ``roles`` (any when none named).

    Answers 401 without a valid token and 403 for a role that may not. The
    allowed roles are kept on the view as ``allowed_roles`` for the access test.
    """
    allowed = roles or ANY_ROLE

    def decorator(view: Callable[P, R]) -> GuardedView[P, R]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
            user = user_for_token(get_session(), secret.strip()) if scheme.lower() == "bearer" and secret else None
            if user is None:
                api_abort(401, "Send a valid API token: Authorization: Bearer <token>.")
            if user.role not in allowed:
                api_abort(403, f"A {user.role.value.replace('_', ' ')} may not do this.")
            g.api_user = user
            show_unpublished()
            return view(*args, **kwargs)

        # A Callable type cannot name a function's attributes: the protocol names this one.
        guarded = cast("GuardedView[P, R]", wrapper)
        guarded.allowed_roles = allowed
        return guarded

    return decorator
