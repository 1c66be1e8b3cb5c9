"""Who may use the desk: the login manager, the role check every desk view carries, and safe redirects."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort
from flask_login import LoginManager, current_user

from claimtrack.accounts import permissions
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.permissions import ADMINS, ANY_ROLE, EDITORS
from claimtrack.db import get_session

# The role tuples live in permissions; views keep importing them from here with the decorator.
__all__ = ["ADMINS", "ANY_ROLE", "EDITORS", "desk_user", "init_app", "login_manager", "requires_role", "safe_next"]

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in to use the desk."
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    # A deactivated account loses its open sessions at the next request.
    return user if user is not None and user.active else None


def init_app(app: Flask) -> None:
    """Bind the login manager and let templates ask the permission rules (``may_publish(current_user)``)."""
    login_manager.init_app(app)
    app.jinja_env.globals.update(
        may_publish=permissions.may_publish,
        may_edit_draft=permissions.may_edit_draft,
        may_manage_team=permissions.may_manage_team,
    )


def desk_user() -> User:
    """The logged-in user, typed for services (only call behind :func:`requires_role`)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def requires_role(*roles: Role) -> Callable[[F], F]:
    """Let in logged-in users with one of ``roles`` (any role when none is named).

    Anonymous users are sent to the login page; others get 403. The allowed
    roles are kept on the view as ``allowed_roles`` so a test can hold every
    write route to an explicit decision.
    """
    allowed = roles or ANY_ROLE

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403, "Your role may not do this.")
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

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
