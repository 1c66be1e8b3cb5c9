"""Desk forms for speakers and topics: edit a speaker, merge two, rename a topic."""

from __future__ import annotations

from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from claimtrack.forms import Form
from claimtrack.speakers.management import MAX_NAME, MAX_ROLE


class SpeakerForm(Form):
    name = StringField("Name", validators=[DataRequired("Give the speaker's name."), Length(max=MAX_NAME)])
    role_title = StringField("Role or title", validators=[Optional(), Length(max=MAX_ROLE)])
    aliases = TextAreaField("Other names (aliases)", validators=[Optional(), Length(max=20_000)])
    #: The version the user started from; a different current version means someone else saved first.
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    def alias_lines(self) -> list[str]:
        return (self.aliases.data or "").splitlines()


class MergeForm(Form):
    """Step one of a merge: which speaker is the same person, and which of the two stays."""

    other = StringField(
        "The same person as",
        validators=[DataRequired("Name the speaker to merge with this one."), Length(max=MAX_NAME)],
        render_kw={"list": "speaker-options", "autocomplete": "off"},
    )
    keep = RadioField("Keep", choices={"this": "this speaker", "other": "the other speaker"}, default="this")
    #: This speaker's version as read on its page.
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ConfirmMergeForm(Form):
    """Step two: the merge as shown on the confirmation page, with the versions of both as read."""

    keep_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    other_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    keep_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    other_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])


class TopicForm(Form):
    name = StringField("Name", validators=[DataRequired("Give the topic a name."), Length(max=MAX_NAME)])
