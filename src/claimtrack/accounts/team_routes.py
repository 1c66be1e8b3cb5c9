"""The team page for admins (add people, change roles, deactivate, reset passwords) and one's own password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from claimtrack.accounts.access import ADMINS, desk_user, requires_role
from claimtrack.accounts.forms import ChangePasswordForm, EditUserForm, NewUserForm, ResetPasswordForm
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.services import change_password, create_user, set_password, update_user
from claimtrack.db import get_or_404, get_session

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
    status = form.error_status if form.errors else 200
    return render_template("desk/users.html", users=people, form=form), status


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
            flash("Your password is changed.", "info")
            return redirect(url_for("team.account"))
    status = form.error_status if form.errors else 200
    return render_template("desk/account.html", user=user, form=form), status
