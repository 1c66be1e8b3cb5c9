"""Logging in and out of the desk."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from claimtrack.accounts import throttle
from claimtrack.accounts.access import requires_role, safe_next
from claimtrack.accounts.forms import LoginForm
from claimtrack.accounts.services import authenticate
from claimtrack.db import get_session, keep_changes
from claimtrack.forms import ConfirmForm

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Log in; after five failures for one email and address in 15 minutes, answer 429."""
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        email, password, ip = form.email.data, form.password.data, request.remote_addr or "unknown"
        assert email is not None and password is not None  # required: set once the form validated
        if throttle.login_blocked(session, email, ip):
            form.add_error("password", "Too many failed attempts. Wait 15 minutes, then try again.")
            return render_template("accounts/login.html", form=form), 429
        user = authenticate(session, email, password)
        throttle.record_login_attempt(session, email, ip, user, succeeded=user is not None)
        if user is None:
            # The failed attempt is kept whatever status the page answers with, or the throttle would never block.
            keep_changes()
            form.add_error("password", "That email and password do not match an active account.")
            return render_template("accounts/login.html", form=form), 200
        login_user(user)
        flash(f"Logged in as {user.display_name}.", "info")
        return redirect(safe_next(request.args.get("next")) or url_for("desk.dashboard"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@requires_role()
def logout() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("public.home"))
