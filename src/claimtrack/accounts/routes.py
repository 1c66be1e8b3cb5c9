"""Logging in and out of the desk."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from claimtrack.accounts import throttle
from claimtrack.accounts.access import desk_user, requires_role, safe_next
from claimtrack.accounts.forms import LoginForm
from claimtrack.accounts.services import authenticate, end_sessions
from claimtrack.db import commit_or_conflict, get_session
from claimtrack.forms import ConfirmForm
from claimtrack.text import counted

bp = Blueprint("accounts", __name__)


def _wait(seconds: int) -> str:
    return counted(seconds, "second") if seconds < 120 else counted(-(-seconds // 60), "minute")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Log in. Failed logins slow the account down and are limited per client address (see
    :mod:`claimtrack.accounts.throttle`): an attempt that must wait answers 429 with Retry-After."""
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        email, password, address = form.email.data, form.password.data, request.remote_addr or "unknown"
        assert email is not None and password is not None  # required: set once the form validated
        refusal = throttle.reserve_attempt(session, email, address)
        # The one early commit of a request: the attempt is counted whatever this request answers, and the
        # database is not kept locked while the password hash is computed (parallel guesses take turns above).
        commit_or_conflict(session)
        if refusal is not None:
            form.add_error("password", f"Too many failed attempts. Try again in {_wait(refusal.seconds)}.")
            response = make_response(render_template("accounts/login.html", form=form), 429)
            response.headers["Retry-After"] = str(refusal.seconds)
            return response
        user = authenticate(session, email, password)
        if user is None:
            form.add_error("password", "That email and password do not match an active account.")
            return render_template("accounts/login.html", form=form), 200
        throttle.record_success(session, email, address, user)
        login_user(user)
        flash(f"Logged in as {user.display_name}.", "info")
        return redirect(safe_next(request.args.get("next")) or url_for("desk.dashboard"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@requires_role()
def logout() -> Response:
    """Log out everywhere: every session of this user ends, so a copied cookie is worthless too."""
    form = ConfirmForm()
    if form.validate_on_submit():
        end_sessions(get_session(), desk_user())
        logout_user()
        flash("You are logged out, on every device.", "info")
    return redirect(url_for("public.home"))
