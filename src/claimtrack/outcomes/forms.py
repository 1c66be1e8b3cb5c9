"""Desk forms for outcomes and for linking them to statements."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from claimtrack.claims.forms import web_url
from claimtrack.errors import Invalid
from claimtrack.forms import Form
from claimtrack.outcomes.models import OutcomeRelation
from claimtrack.outcomes.rules import check_occurred_on

RELATION_CHOICES = {
    OutcomeRelation.CONFIRMS.value: "Confirms the statement",
    OutcomeRelation.CONTRADICTS.value: "Contradicts the statement",
    OutcomeRelation.PARTLY.value: "Partly confirms the statement",
}


class OutcomeForm(Form):
    description = TextAreaField(
        "What happened", validators=[DataRequired("Describe what happened."), Length(max=10_000)]
    )
    occurred_on = DateField("When it happened", validators=[Optional()])
    evidence_url = URLField("Evidence address (URL)", validators=[Optional(), web_url(), Length(max=2048)])
    evidence_title = StringField("Evidence title", validators=[Optional(), Length(max=500)])
    relation = SelectField("How it bears on the statement", choices=RELATION_CHOICES, default="confirms")
    note = StringField("Note on the link", validators=[Optional(), Length(max=1000)])

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


class LinkOutcomeForm(Form):
    outcome_id = SelectField("Outcome", coerce=int, validators=[InputRequired("Pick an outcome.")], choices={})
    relation = SelectField("How it bears on the statement", choices=RELATION_CHOICES)
    note = StringField("Note", validators=[Optional(), Length(max=1000)])
