"""Who may use the desk: the login manager, the role check every desk view carries, and safe redirects."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, abort
from flask_login import LoginManager, current_user
from werkzeug.wrappers import Response

from claimtrack.accounts import permissions
from claimtrack.accounts.models import Role, User, parse_session_id
from claimtrack.accounts.permissions import ADMINS, ANY_ROLE, EDITORS
from claimtrack.db import get_session, show_unpublished

# The role tuples live in permissions; views keep importing them from here with the decorator.
__all__ = [
    "ADMINS", "ANY_ROLE", "EDITORS", "GuardedView", "desk_user", "init_app", "login_manager", "requires_role",
    "safe_next",
]

P = ParamSpec("P")
R = TypeVar("R")
_R_co = TypeVar("_R_co", covariant=True)

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in to use the desk."
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user a login session belongs to, while that session is still valid.

    The session holds the user's id and session epoch; once the epoch moves on (logout, a new password,
    deactivation or reactivation) every older session is refused here, wherever its cookie is replayed.
    """
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    user_id, epoch = parsed
    user = get_session().get(User, user_id)
    return user if user is not None and user.active and user.session_epoch == epoch else None


def init_app(app: Flask) -> None:
    """Bind the login manager and let templates ask the permission rules (``may_publish(current_user)``)."""
    login_manager.init_app(app)
    app.jinja_env.globals.update(
        may_publish=permissions.may_publish,
        may_edit_draft=permissions.may_edit_draft,
        may_change_draft=permissions.may_change_draft,
        may_manage_team=permissions.may_manage_team,
        may_manage_speakers=permissions.may_manage_speakers,
        may_revoke_token=permissions.may_revoke_token,
    )


class GuardedView(Protocol[P, _R_co]):
    """A view that carries the roles it lets in, for the access tests and the OpenAPI description."""

    allowed_roles: tuple[Role, ...]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> _R_co: ...


def desk_user() -> User:
    """The logged-in user, typed for services (only call behind :func:`requires_role`)."""
    # flask_login ships no types; behind requires_role the proxied user is one of ours.
    return cast(User, current_user._get_current_object())


def requires_role(*roles: Role) -> Callable[[Callable[P, R]], GuardedView[P, R | Response]]:
    """Let in logged-in users with one of ``roles`` (any role when none is named).

    Anonymous users are sent to the login page; others get 403. The allowed
    roles are kept on the view as ``allowed_roles`` so a test can hold every
    write route to an explicit decision.
    """
    allowed = roles or ANY_ROLE

    def decorator(view: Callable[P, R]) -> GuardedView[P, R | Response]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            if not current_user.is_authenticated:
                # flask_login ships no types: this is its redirect to the login page.
                return cast(Response, login_manager.unauthorized())
            if current_user.role not in allowed:
                abort(403, "Your role may not do this.")
            show_unpublished()
            return view(*args, **kwargs)

        # A Callable type cannot name a function's attributes: the protocol names this one.
        guarded = cast("GuardedView[P, R | Response]", wrapper)
        guarded.allowed_roles = allowed
        return guarded

    return decorator


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None (no open redirects).

    Only relative paths starting with a single "/" qualify: "//host", "/\\host",
    absolute URLs and anything with control characters are refused.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
