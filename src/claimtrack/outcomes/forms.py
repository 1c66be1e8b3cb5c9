"""Desk forms for outcomes and for linking them to statements."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from claimtrack.claims.forms import web_url
from claimtrack.errors import Invalid
from claimtrack.forms import ConfirmVersionForm, Form, version_field
from claimtrack.outcomes.models import OutcomeRelation
from claimtrack.outcomes.rules import check_occurred_on

RELATION_CHOICES = {
    OutcomeRelation.CONFIRMS.value: "Confirms the statement",
    OutcomeRelation.CONTRADICTS.value: "Contradicts the statement",
    OutcomeRelation.PARTLY.value: "Partly confirms the statement",
}


class OutcomeFields(Form):
    """What happened, when, and the evidence: the fields of an outcome, new or edited."""

    description = TextAreaField(
        "What happened", validators=[DataRequired("Describe what happened."), Length(max=10_000)]
    )
    occurred_on = DateField("When it happened", validators=[Optional()])
    evidence_url = URLField("Evidence address (URL)", validators=[Optional(), web_url(), Length(max=2048)])
    evidence_title = StringField("Evidence title", validators=[Optional(), Length(max=500)])

    def validate_occurred_on(self, field: DateField) -> None:
        try:
            check_occurred_on(field.data)
        except Invalid as exc:
            raise ValidationError(exc.message) from None

    def outcome_fields(self) -> dict[str, Any]:
        """The validated form as arguments for ``record_outcome`` (desk and API alike)."""
        return {
            "description": self.description.data or "",
            "occurred_on": self.occurred_on.data,
            "evidence_url": self.evidence_url.data or None,
            "evidence_title": self.evidence_title.data or None,
        }


class OutcomeForm(OutcomeFields):
    """A new outcome, linked at once to a statement when the page came from one."""

    relation = SelectField("How it bears on the statement", choices=RELATION_CHOICES, default="confirms")
    note = StringField("Note on the link", validators=[Optional(), Length(max=1000)])


class EditOutcomeForm(OutcomeFields):
    """An outcome's edit: the version it was opened at travels with it; a published outcome's change
    carries a note readers see."""

    version = version_field()
    note = TextAreaField("Note to readers: what changed and why", validators=[Optional(), Length(max=2000)])

    def rebase(self, version: int) -> None:
        """Base the typed changes on ``version``, so saving them over someone else's is a second, deliberate click."""
        self.version.data = version
        self.version.raw_data = [str(version)]


class PublishOutcomeLinkForm(ConfirmVersionForm):
    """Publish a draft link: the link's version, and its draft outcome's, as the page showed them."""

    outcome_version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=1)])


class LinkOutcomeForm(Form):
    outcome_id = SelectField("Outcome", coerce=int, validators=[InputRequired("Pick an outcome.")], choices={})
    relation = SelectField("How it bears on the statement", choices=RELATION_CHOICES)
    note = StringField("Note", validators=[Optional(), Length(max=1000)])
