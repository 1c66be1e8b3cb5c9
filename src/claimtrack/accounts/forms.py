"""Forms for logging in, the team page, one's own password and API tokens."""

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


#: How long a new API token works; the desk offers these, the command line any number of days.
TOKEN_LIFETIMES = {"30": "30 days", "90": "90 days", "365": "A year", "never": "Until it is revoked"}


class NewTokenForm(Form):
    name = StringField("What it is for", validators=[DataRequired("Say what the token is for."), Length(max=200)])
    expires = SelectField("Expires after", choices=TOKEN_LIFETIMES, default="90")

    def lifetime_days(self) -> int | None:
        """The chosen lifetime in days; None for a token that works until it is revoked."""
        return None if self.expires.data == "never" else int(self.expires.data)
