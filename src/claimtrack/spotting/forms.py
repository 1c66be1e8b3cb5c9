"""The form a fact-checker uses to check a new article for repeats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf.file import FileAllowed, FileField
from wtforms import DateField, StringField, TextAreaField, URLField
from wtforms.validators import URL, Length, Optional, ValidationError

from claimtrack.articles.services import check_published_on
from claimtrack.errors import Invalid
from claimtrack.forms import Form, MaxChars
from claimtrack.spotting.extract import MAX_TEXT_CHARS


class CheckArticleForm(Form):
    text = TextAreaField("Paste the article", validators=[Optional(), MaxChars(MAX_TEXT_CHARS)])
    upload = FileField(
        "…or upload a file",
        validators=[FileAllowed(["txt", "md", "markdown", "html", "htm"], "Upload a .txt, .md or .html file.")],
    )
    url = URLField(
        "…or give its address",
        validators=[Optional(), URL(require_tld=False, message="Give a full http:// or https:// address.")],
    )
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=300)])
    published_on = DateField("Published on", validators=[Optional()])
    since = DateField("Only statements said since", validators=[Optional()])

    def validate_published_on(self, field: DateField) -> None:
        try:
            check_published_on(field.data)
        except Invalid as exc:
            raise ValidationError(exc.message) from None

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        given = [bool(self.text.data and self.text.data.strip()), bool(self.upload.data), bool(self.url.data)]
        if sum(given) != 1:
            self.text.errors = [*self.text.errors, "Paste text, upload a file or give an address: exactly one of them."]
            return False
        return True
