"""Bearer-token authentication for the write API (and for reading drafts), and its JSON error answers."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import NoReturn, ParamSpec, Protocol, TypeVar, cast

from flask import abort, after_this_request, g, jsonify, make_response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from claimtrack.accounts.access import ANY_ROLE, GuardedView
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.tokens import live_token, note_use, use_is_news
from claimtrack.db import commit_or_conflict, get_session, show_unpublished
from claimtrack.error_pages import error_body
from claimtrack.orm import utcnow

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
_R_co = TypeVar("_R_co", covariant=True)


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


def _token_user() -> User | None:
    """The active user whose live bearer token the request sends; None when it sends none, or a wrong,
    revoked or expired one. Notes the token's use (see :func:`_note_use_after_request`)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    now = utcnow()
    token = live_token(get_session(), secret.strip(), now)
    if token is None:
        return None
    if use_is_news(token, now):
        _note_use_after_request(token.id, now)
    return token.user


def _note_use_after_request(token_id: int, now: dt.datetime) -> None:
    """Write the token's last use once the request's own unit of work is over.

    Kept apart from it so that the use is written whether the request succeeded or was rolled back,
    and so that a failed request never has half of its writes committed along with it.
    """

    @after_this_request
    def _note(response: Response) -> Response:
        session = get_session()
        try:
            note_use(session, token_id, now)
            commit_or_conflict(session)
        except SQLAlchemyError:  # a busy database must not turn an answer already made into an error
            session.rollback()
            log.warning("could not note the use of API token %s", token_id, exc_info=True)
        return response


def _let_in(user: User) -> None:
    g.api_user = user
    show_unpublished()


def token_holder() -> User | None:
    """The user a :func:`token_optional` view was asked by; None when the public asked."""
    user: User | None = g.get("api_user")
    return user


class TokenOptionalView(Protocol[P, _R_co]):
    """A view that answers the public, and a token holder as the desk sees it (for the OpenAPI description)."""

    token_optional: bool

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> _R_co: ...


def token_optional(view: Callable[P, R]) -> TokenOptionalView[P, R]:
    """Answer the public without a token, and the holder of a valid one as the desk sees it: drafts and
    retracted items too (see :func:`token_holder`).

    A token that is sent but not valid answers 401 rather than the public's answer, so a client whose token
    was revoked learns it instead of silently missing its drafts.
    """

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if request.headers.get("Authorization"):
            user = _token_user()
            if user is None:
                api_abort(401, "Send a valid API token: Authorization: Bearer <token>, or none to read as the public.")
            _let_in(user)

        @after_this_request
        def _varies(response: Response) -> Response:
            # The same address answers the public and the newsroom differently: caches must tell them apart.
            response.vary.add("Authorization")
            return response

        return view(*args, **kwargs)

    described = cast("TokenOptionalView[P, R]", wrapper)
    described.token_optional = True
    return described


def token_required(*roles: Role) -> Callable[[Callable[P, R]], GuardedView[P, R]]:
    """Require ``Authorization: Bearer <token>`` of an active user with one of ``roles`` (any when none named).

    Answers 401 without a valid token and 403 for a role that may not. The
    allowed roles are kept on the view as ``allowed_roles`` for the access test.
    """
    allowed = roles or ANY_ROLE

    def decorator(view: Callable[P, R]) -> GuardedView[P, R]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            user = _token_user()
            if user is None:
                api_abort(401, "Send a valid API token: Authorization: Bearer <token>.")
            if user.role not in allowed:
                api_abort(403, f"A {user.role.value.replace('_', ' ')} may not do this.")
            _let_in(user)
            return view(*args, **kwargs)

        # A Callable type cannot name a function's attributes: the protocol names this one.
        guarded = cast("GuardedView[P, R]", wrapper)
        guarded.allowed_roles = allowed
        return guarded

    return decorator
