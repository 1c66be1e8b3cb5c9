"""Forms for logging in, the team page and one's own password."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from claimtrack.accounts.models import Role
from claimtrack.accounts.services import MIN_PASSWORD_LENGTH
from claimtrack.forms import Form

ROLE_CHOICES = {Role.FACT_CHECKER.value: "Fact-checker", Role.EDITOR.value: "Editor", Role.ADMIN.value: "Admin"}
_PASSWORD_RULES = [
    DataRequired("Enter a password."),
    Length(min=MIN_PASSWORD_LENGTH, max=500, message=f"Use at least {MIN_PASSWORD_LENGTH} characters."),
]


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=500)])
    submit = SubmitField("Log in")


class NewUserForm(Form):
    email = EmailField("Email", validators=[DataRequired("Enter their email address."), Length(max=320)])
    display_name = StringField("Display name", validators=[Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.FACT_CHECKER.value)
    password = PasswordField("First password", validators=_PASSWORD_RULES)


class EditUserForm(Form):
    display_name = StringField("Display name", validators=[DataRequired("Enter a display name."), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("May log in")


class ResetPasswordForm(Form):
    password = PasswordField("New password", validators=_PASSWORD_RULES)
    repeat = PasswordField("Repeat the new password", validators=[EqualTo("password", "The two passwords differ.")])


class ChangePasswordForm(Form):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password."), Length(max=500)])
    password = PasswordField("New password", validators=_PASSWORD_RULES)
    repeat = PasswordField("Repeat the new password", validators=[EqualTo("password", "The two passwords differ.")])
