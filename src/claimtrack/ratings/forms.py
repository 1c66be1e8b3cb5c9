"""The desk's rating forms: verdict on a scale, Markdown rationale, evidence links, and after a published
rating whether the new version is an update or a correction, with its public note;
the draft edit and the publish button carry the version of the draft the page showed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from claimtrack.errors import Invalid
from claimtrack.forms import ConfirmForm, Form
from claimtrack.ratings.models import RatingKind
from claimtrack.ratings.scales import SCALES, check_verdict


def verdict_choices() -> dict[str, str | dict[str, str]]:
    """Verdicts grouped by scale, valued "scale:verdict" (rendered as <optgroup>s), after an empty prompt.

    The prompt makes picking a verdict a decision: a pre-selected "True" could be saved by accident.
    """
    groups = {scale.label: {f"{scale.name}:{v.name}": v.label for v in scale.verdicts} for scale in SCALES.values()}
    return {"": "Choose a verdict…", **groups}


def parse_evidence(text: str | None) -> list[dict[str, Any]]:
    """One link per line, "URL" or "URL title".

    :raise ValueError: naming the first line that does not start with an http(s) address.
    """
    links = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        url, _, title = line.partition(" ")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"Line {number} does not start with a web address (http:// or https://).")
        links.append({"url": url, "title": title.strip() or None})
    return links


def evidence_text(evidence: list[dict[str, Any]]) -> str:
    return "\n".join(f"{e['url']} {e.get('title') or ''}".strip() for e in evidence)


class RatingForm(Form):
    # The choices draw the menu; check_verdict, not the menu, decides what is valid.
    verdict = SelectField(
        "Verdict", choices=verdict_choices(), validate_choice=False, validators=[DataRequired("Pick a verdict.")]
    )
    headline = StringField("Headline", validators=[Optional(), Length(max=500)])
    rationale = TextAreaField(
        "Rationale", validators=[DataRequired("Explain the verdict: readers see this."), Length(max=50_000)]
    )
    evidence = TextAreaField("Evidence links", validators=[Optional(), Length(max=20_000)])
    # The choice is the editor's: no default, so a version is never filed as an update by accident.
    kind = RadioField(
        "This version is",
        choices={
            RatingKind.UPDATE.value: "An update: new facts since (a prediction resolved, new evidence)",
            RatingKind.CORRECTION.value: "A correction: the published rating was wrong",
        },
        validators=[Optional()],
    )
    correction_note = TextAreaField("Note to readers", validators=[Optional(), Length(max=5000)])

    def __init__(self, *args: Any, needs_correction_note: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_correction_note = needs_correction_note

    def validate_verdict(self, field: SelectField) -> None:
        scale, _, verdict = (field.data or "").partition(":")
        try:
            check_verdict(scale, verdict)
        except Invalid as exc:
            raise ValidationError(exc.message) from None

    def validate_evidence(self, field: TextAreaField) -> None:
        try:
            parse_evidence(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)  # FlaskForm ships no types
        if not self.needs_correction_note:
            return valid
        if not self.kind.data:
            self.kind.errors = [
                *self.kind.errors,
                "This statement has a published rating: say whether this version is an update or a correction.",
            ]
            valid = False
        if not (self.correction_note.data or "").strip():
            self.correction_note.errors = [
                *self.correction_note.errors,
                "This statement has a published rating: say what is new or what was wrong. Readers see this note.",
            ]
            valid = False
        return valid

    @property
    def scale_and_verdict(self) -> tuple[str, str]:
        scale, _, verdict = (self.verdict.data or "").partition(":")
        return scale, verdict

    def rating_fields(self) -> dict[str, Any]:
        """The validated form as keyword arguments for ``rate_statement`` and ``update_draft``."""
        scale, verdict = self.scale_and_verdict
        return {
            "scale": scale,
            "verdict": verdict,
            "rationale": self.rationale.data or "",
            "headline": (self.headline.data or "").strip() or None,
            "evidence": parse_evidence(self.evidence.data),
            "kind": self.kind.data or None,
            "correction_note": self.correction_note.data,
        }


def _version_field() -> IntegerField:
    # InputRequired, not a default: a post without the version must not be taken as made to the current one.
    return IntegerField(
        widget=HiddenInput(), validators=[InputRequired("The form was incomplete; reload the page."), NumberRange(min=1)]
    )


class DraftRatingForm(RatingForm):
    """A draft's edit form: the version it was opened at travels with it, so a stale save is refused."""

    version = _version_field()

    def rebase(self, version: int) -> None:
        """Base the typed changes on ``version``; the hidden input shows what was posted unless told otherwise."""
        self.version.data = version
        self.version.raw_data = [str(version)]


class PublishRatingForm(ConfirmForm):
    """The publish button: the version of the draft the editor was shown, so they publish what they reviewed."""

    version = _version_field()
