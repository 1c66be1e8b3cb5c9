"""Desk forms for statements, links between statements, and appearances.

The write API validates with these same forms (CSRF off), so a rule lives once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from claimtrack.claims.editing import AppearanceInput, SourceInput, StatementInput
from claimtrack.claims.models import DatePrecision, LinkRelation, SourceKind
from claimtrack.claims.rules import check_appeared_on, check_expected_by, check_said_on
from claimtrack.errors import Invalid
from claimtrack.forms import Form, MaxChars
from claimtrack.orm import MAX_ID
from claimtrack.text import is_web_url
from claimtrack.workflow import MAX_NOTE

# Choices as {value: label} dicts, the shape WTForms 3.3 keeps (tuples are deprecated).
PRECISION_CHOICES = {"day": "Exact day", "month": "Month only", "year": "Year only"}
KIND_CHOICES = {k.value: k.value.replace("_", " ").capitalize() for k in SourceKind}
RELATION_CHOICES = {r.value: r.value.capitalize() for r in LinkRelation}


def web_url(message: str = "Enter a full web address starting with http:// or https://.") -> Callable[[Any, Field], None]:
    """Only http(s) addresses: they end up in links, where "javascript:" would run."""

    def check(_form: Any, field: Field) -> None:
        if not is_web_url(field.data or ""):
            raise ValidationError(message)

    return check


def split_topics(value: str | None) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


class SourceFields:
    """Where it was said: mixed into the statement and appearance forms."""

    source_url = URLField("Source address (URL)", validators=[Optional(), web_url(), Length(max=2048)])
    source_title = StringField("Title of the source", validators=[Optional(), Length(max=500)])
    source_publisher = StringField("Publisher", validators=[Optional(), Length(max=300)])
    source_kind = SelectField("Kind of source", choices=KIND_CHOICES, default=SourceKind.ARTICLE.value)

    def source_input(self) -> SourceInput:
        # The form always carries the title and publisher, so a blank one was cleared on purpose ("").
        return SourceInput(
            url=(self.source_url.data or "").strip() or None,
            publisher=(self.source_publisher.data or "").strip(),
            title=(self.source_title.data or "").strip(),
            kind=SourceKind(self.source_kind.data),
        )


class StatementForm(Form, SourceFields):
    text = TextAreaField(
        "Words as said",
        validators=[DataRequired("Enter the words as they were said."), MaxChars(10_000)],
    )
    speaker = StringField(
        "Speaker", validators=[DataRequired("Name who said it."), Length(max=200)], render_kw={"list": "speaker-options", "autocomplete": "off"}
    )
    new_speaker = BooleanField("This is a new speaker: create it")
    speaker_role = StringField("New speaker's role or title", validators=[Optional(), Length(max=300)])
    said_on = DateField("Date said", validators=[InputRequired("Enter the date it was said.")])
    said_on_precision = SelectField("How precise is that date?", choices=PRECISION_CHOICES, default="day")
    context = TextAreaField("Context", validators=[Optional(), Length(max=10_000)])
    claim = TextAreaField("Checkable claim, if it differs from the words", validators=[Optional(), Length(max=5000)])
    topics = StringField("Topics", validators=[Optional(), Length(max=1000)])
    expected_by = DateField("Expected by", validators=[Optional()])

    def validate_said_on(self, field: DateField) -> None:
        try:
            check_said_on(field.data)
        except Invalid as exc:
            raise ValidationError(exc.message) from None

    def validate_expected_by(self, field: DateField) -> None:
        try:
            check_expected_by(self.said_on.data, field.data)
        except Invalid as exc:
            raise ValidationError(exc.message) from None

    def statement_input(self) -> StatementInput:
        return StatementInput(
            text=self.text.data or "",
            speaker=self.speaker.data or "",
            said_on=self.said_on.data,
            said_on_precision=DatePrecision(self.said_on_precision.data),
            source=self.source_input(),
            context=self.context.data,
            claim=self.claim.data,
            topics=split_topics(self.topics.data),
            expected_by=self.expected_by.data,
            new_speaker=bool(self.new_speaker.data),
            speaker_role=self.speaker_role.data,
        )


class NewStatementForm(StatementForm):
    #: Set once the user has seen the likely duplicates and chose to log a new statement anyway.
    reviewed = HiddenField(default="")
    #: Earlier statements of the same speaker that this one contradicts.
    contradicts = SelectMultipleField("Contradicts these earlier statements", coerce=int, choices={}, validate_choice=False)


class EditStatementForm(StatementForm):
    #: The version the user started from; a different current version means a conflict.
    version = HiddenField(validators=[DataRequired()])
    #: Shown for a published statement only: why its words, speaker, date or source changed. The service
    #: asks for it when one of those changes (see ``update_statement``); readers see it on the claim page.
    revision_note = TextAreaField("Revision note (public)", validators=[Optional(), Length(max=MAX_NOTE)])


class LinkStatementForm(Form):
    relation = SelectField("This statement…", choices=RELATION_CHOICES)
    other_id = IntegerField(
        "Other statement's number",
        validators=[InputRequired("Give the other statement's number."),
                    NumberRange(min=1, max=MAX_ID, message="There is no statement with that number.")]
    )
    note = StringField("Note", validators=[Optional(), Length(max=1000)])


class AppearanceForm(Form, SourceFields):
    speaker = StringField(
        "Said again by", validators=[Optional(), Length(max=200)], render_kw={"list": "speaker-options", "autocomplete": "off"}
    )
    new_speaker = BooleanField("This is a new speaker: create it")
    appeared_on = DateField("When", validators=[InputRequired("Enter when it was said again.")])
    note = TextAreaField("Note", validators=[Optional(), Length(max=5000)])

    def validate_appeared_on(self, field: DateField) -> None:
        try:
            check_appeared_on(field.data)
        except Invalid as exc:
            raise ValidationError(exc.message) from None

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)  # FlaskForm ships no types
        if not (self.source_url.data or "").strip() and not (self.source_publisher.data or "").strip():
            self.source_url.errors = [*self.source_url.errors, "Say where it was said again: a URL or at least the publisher."]
            valid = False
        return valid

    def appearance_input(self) -> AppearanceInput:
        return AppearanceInput(
            speaker=self.speaker.data,
            appeared_on=self.appeared_on.data,
            source=self.source_input(),
            note=self.note.data,
            new_speaker=bool(self.new_speaker.data),
        )
