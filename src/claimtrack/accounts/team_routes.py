"""The team page for admins (add people, change roles, deactivate, reset passwords), one's own password,
and API tokens (one's own; an admin's, everyone's)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_login import login_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from claimtrack.accounts import throttle, tokens
from claimtrack.accounts.access import ADMINS, desk_user, requires_role
from claimtrack.accounts.forms import ChangePasswordForm, EditUserForm, NewTokenForm, NewUserForm, ResetPasswordForm
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.services import change_password, create_user, set_password, update_user
from claimtrack.db import get_or_404, get_session
from claimtrack.forms import ConfirmForm
from claimtrack.orm import utcnow

bp = Blueprint("team", __name__, url_prefix="/desk")

Page = str | Response | tuple[str, int]


def _as_form_data(user: User) -> dict[str, object]:
    return {"display_name": user.display_name, "role": user.role.value, "active": user.active}


@bp.route("/users", methods=["GET", "POST"])
@requires_role(*ADMINS)
def users() -> Page:
    """Everyone who can use the desk, and a form to add someone."""
    session, form = get_session(), NewUserForm()
    if form.validate_on_submit():
        email, password = form.email.data, form.password.data
        assert email is not None and password is not None  # required: set once the form validated
        with form.domain_errors(fallback="email"):
            user = create_user(session, email, password, Role(form.role.data),
                               display_name=(form.display_name.data or "").strip() or None, actor=desk_user())
            flash(f"Added {user.display_name} ({user.email}). Give them their first password in person.", "info")
            return redirect(url_for("team.users"))
    people = session.scalars(select(User).order_by(User.active.desc(), User.display_name)).all()
    failures = throttle.failed_logins(session, [person.email for person in people])
    status = form.error_status if form.errors else 200
    return render_template("desk/users.html", users=people, form=form, failures=failures), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires_role(*ADMINS)
def edit_user(user_id: int) -> Page:
    """Change someone's name, role or whether they may log in.

    :raise 404: when there is no such user.
    """
    user = get_or_404(User, user_id, "user")
    form = EditUserForm(data=_as_form_data(user))
    if form.validate_on_submit():
        assert form.display_name.data is not None  # required: set once the form validated
        with form.domain_errors(fallback="role"):
            update_user(get_session(), user, display_name=form.display_name.data, role=Role(form.role.data),
                        active=form.active.data, actor=desk_user())
            flash(f"Saved {user.display_name}.", "info")
            return redirect(url_for("team.users"))
    status = form.error_status if form.errors else 200
    return render_template("desk/user_edit.html", user=user, form=form, password_form=ResetPasswordForm(formdata=None)), status


@bp.post("/users/<int:user_id>/password")
@requires_role(*ADMINS)
def reset_password(user_id: int) -> Page:
    """An admin sets a new password for someone who lost theirs.

    :raise 404: when there is no such user.
    """
    user = get_or_404(User, user_id, "user")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        assert form.password.data is not None  # required: set once the form validated
        with form.domain_errors(fallback="password"):
            set_password(get_session(), user, form.password.data, actor=desk_user())
            flash(f"{user.display_name} has a new password. Tell them in person, not by email.", "info")
            return redirect(url_for("team.users"))
    edit_form = EditUserForm(formdata=None, data=_as_form_data(user))
    return render_template("desk/user_edit.html", user=user, form=edit_form, password_form=form), form.error_status


@bp.route("/account", methods=["GET", "POST"])
@requires_role()
def account() -> Page:
    """Your own account: who you are, and changing your password."""
    user, form = desk_user(), ChangePasswordForm()
    if form.validate_on_submit():
        current, password = form.current.data, form.password.data
        assert current is not None and password is not None  # required: set once the form validated
        with form.domain_errors(fallback="password"):
            change_password(get_session(), user, current, password)
            # The new password ended every session of this user: this browser starts a new one.
            login_user(user)
            flash("Your password is changed. You are logged out everywhere else.", "info")
            return redirect(url_for("team.account"))
    status = form.error_status if form.errors else 200
    return render_template("desk/account.html", user=user, form=form), status


@bp.route("/tokens", methods=["GET", "POST"])
@requires_role()
def api_tokens() -> Page | Response:
    """Your API tokens (an admin sees everyone's), a button to revoke each, and a form for a new one.

    A new token's secret is shown once, on the answer to the form, and never stored or cached.
    """
    session, user, form = get_session(), desk_user(), NewTokenForm()
    if form.validate_on_submit():
        assert form.name.data is not None  # required: set once the form validated
        days = form.lifetime_days()
        with form.domain_errors(fallback="name"):
            token, secret = tokens.create_token(session, user.email, name=form.name.data, actor=user,
                                                expires_at=utcnow() + dt.timedelta(days=days) if days else None)
            response = make_response(render_template("desk/token_created.html", token=token, secret=secret))
            response.headers["Cache-Control"] = "no-store"
            return response
    listed = session.scalars(tokens.tokens_for(user)).all()
    status = form.error_status if form.errors else 200
    return render_template("desk/tokens.html", tokens=listed, form=form, revoke_form=ConfirmForm(formdata=None),
                           now=utcnow()), status


@bp.post("/tokens/<int:token_id>/revoke")
@requires_role()
def revoke_api_token(token_id: int) -> Response:
    """Revoke one of your tokens (an admin: anyone's); it stops working at once.

    :raise 404: when there is no such token. :raise 403: for someone else's token.
    """
    form = ConfirmForm()
    if form.validate_on_submit():
        token = tokens.revoke_token_as(get_session(), token_id, desk_user())
        flash(f"Revoked the API token “{token.name or token.token_hash[:12]}” of {token.user.display_name}.", "info")
    return redirect(url_for("team.api_tokens"))
