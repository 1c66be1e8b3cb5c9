"""The team page for admins (add people, change roles, deactivate, reset passwords) and one's own password."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from claimtrack.accounts.access import ADMINS, desk_user, requires_role
from claimtrack.accounts.forms import ChangePasswordForm, EditUserForm, NewUserForm, ResetPasswordForm
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.services import AccountError, change_password, create_user, set_password, update_user
from claimtrack.db import get_session
from claimtrack.forms import Form

bp = Blueprint("team", __name__, url_prefix="/desk")

Page = str | Response | tuple[str, int]
T = TypeVar("T")


def _apply(form: Form, fallback: str, change: Callable[[], T]) -> T | None:
    """Run ``change`` and commit; on an AccountError roll back and show its message beside the
    field it names (or ``fallback``), returning None."""
    session = get_session()
    try:
        result = change()
        session.commit()
        return result
    except AccountError as exc:
        session.rollback()
        field = getattr(form, exc.field or fallback, None) or getattr(form, fallback)
        message = str(exc)
        field.errors = [*field.errors, message[:1].upper() + message[1:] + "."]
        return None


def _user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _as_form_data(user: User) -> dict[str, object]:
    return {"display_name": user.display_name, "role": user.role.value, "active": user.active}


@bp.route("/users", methods=["GET", "POST"])
@requires_role(*ADMINS)
def users() -> Page:
    """Everyone who can use the desk, and a form to add someone."""
    session, form = get_session(), NewUserForm()
    if form.validate_on_submit():
        user = _apply(form, "email", lambda: create_user(
            session, form.email.data, form.password.data, Role(form.role.data),
            display_name=(form.display_name.data or "").strip() or None, actor=desk_user()))
        if user is not None:
            flash(f"Added {user.display_name} ({user.email}). Give them their first password in person.", "info")
            return redirect(url_for("team.users"))
    people = session.scalars(select(User).order_by(User.active.desc(), User.display_name)).all()
    status = 422 if form.errors else 200
    return render_template("desk/users.html", users=people, form=form), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires_role(*ADMINS)
def edit_user(user_id: int) -> Page:
    """Change someone's name, role or whether they may log in."""
    session, user = get_session(), _user(user_id)
    form = EditUserForm(data=_as_form_data(user))
    if form.validate_on_submit() and _apply(form, "role", lambda: update_user(
            session, user, display_name=form.display_name.data, role=Role(form.role.data),
            active=form.active.data, actor=desk_user())):
        flash(f"Saved {user.display_name}.", "info")
        return redirect(url_for("team.users"))
    status = 422 if form.errors else 200
    return render_template("desk/user_edit.html", user=user, form=form, password_form=ResetPasswordForm(formdata=None)), status


@bp.post("/users/<int:user_id>/password")
@requires_role(*ADMINS)
def reset_password(user_id: int) -> Page:
    """An admin sets a new password for someone who lost theirs."""
    session, user = get_session(), _user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit() and _apply(form, "password", lambda: set_password(
            session, user, form.password.data, actor=desk_user())):
        flash(f"{user.display_name} has a new password. Tell them in person, not by email.", "info")
        return redirect(url_for("team.users"))
    edit_form = EditUserForm(formdata=None, data=_as_form_data(user))
    return render_template("desk/user_edit.html", user=user, form=edit_form, password_form=form), 422


@bp.route("/account", methods=["GET", "POST"])
@requires_role()
def account() -> Page:
    """Your own account: who you are, and changing your password."""
    session, user, form = get_session(), desk_user(), ChangePasswordForm()
    if form.validate_on_submit() and _apply(form, "password", lambda: change_password(
            session, user, form.current.data, form.password.data)):
        flash("Your password is changed.", "info")
        return redirect(url_for("team.account"))
    status = 422 if form.errors else 200
    return render_template("desk/account.html", user=user, form=form), status
