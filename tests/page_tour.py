"""A tour of every kind of page the site serves: public pages, desk pages, forms with errors, conflicts.

The HTML validity test walks it with the Flask test client, the accessibility test with Chromium, so
both check the same pages. :func:`html_endpoints` lists what the tour must cover: a guardrail test
compares it with the URL map, so a page added later is checked from its first commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from claimtrack import workflow
from claimtrack.accounts.models import Role, User
from claimtrack.claims.models import Statement, Topic
from claimtrack.orm import PublicationStatus
from claimtrack.outcomes.models import Outcome
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.speakers.models import Speaker

PASSWORD = "a long enough tour password"
ADMIN_EMAIL = "tour-admin@example.org"

#: Endpoints that answer something other than an HTML page (JSON, feeds, sitemaps, files).
NOT_HTML = ("api.", "static", "public.feed", "public.claim_feed", "public.sitemap", "desk.suggest_speaker",
            "public.robots_txt", "public.favicon")


@dataclass(frozen=True)
class Visit:
    """One page of the tour: open ``path``; with ``fill``, set those fields of the form that holds the first
    and submit it (as a browser does, with every other field as the page rendered it) and check where it lands."""

    name: str
    path: str
    status: int = 200
    #: Visited logged in as an admin, who sees every desk page.
    desk: bool = False
    fill: Mapping[str, str] = field(default_factory=dict)


def arrange(session: Session) -> list[Visit]:
    """Add what the tour needs to a database holding the demo (an admin, a retracted claim), and the tour."""
    session.add(User(email=ADMIN_EMAIL, display_name="Tour Admin", role=Role.ADMIN,
                     password_hash=generate_password_hash(PASSWORD)))
    checker = User(email="tour-checker@example.org", display_name="Tour Checker", role=Role.FACT_CHECKER,
                   password_hash=generate_password_hash(PASSWORD))
    session.add(checker)
    session.flush()
    statements = session.scalars(select(Statement).where(Statement.status == PublicationStatus.PUBLISHED).order_by(Statement.id)).all()
    claim = next(s for s in statements if any(r.is_published for r in s.ratings))
    retracted = statements[-1]
    workflow.retract(session, retracted, None, note="Withdrawn for the accessibility tour.")
    draft_rating = session.scalars(select(Rating).where(Rating.statement_id == claim.id,
                                                    Rating.status == RatingStatus.DRAFT)).first()
    outcome = session.scalars(select(Outcome).order_by(Outcome.id)).first()
    speaker = session.scalars(select(Speaker).order_by(Speaker.id)).first()
    other_speaker = session.scalars(select(Speaker).where(Speaker.id != speaker.id).order_by(Speaker.id)).first()
    topic = session.scalars(select(Topic).order_by(Topic.id)).first()
    assert draft_rating and outcome and speaker and other_speaker and topic, "the demo data changed"
    session.commit()

    statement = f"/desk/statements/{claim.id}"
    public = [
        Visit("home", "/"),
        Visit("claim", f"/claims/{claim.id}"),
        Visit("retracted claim", f"/claims/{retracted.id}", status=410),
        Visit("speakers", "/speakers"),
        Visit("speaker", f"/speakers/{speaker.slug}"),
        Visit("topics", "/topics"),
        Visit("topic", f"/topics/{topic.slug}"),
        Visit("search results", "/search?q=deal"),
        Visit("search with errors", "/search?q=deal&from=someday&verdict=nonsense", status=400),
        Visit("how we rate", "/how-we-rate"),
        Visit("not found", "/no-such-page", status=404),
        Visit("login", "/login"),
        Visit("login with errors", "/login", fill={"email": "nobody@example.org", "password": "wrong"}),
    ]
    desk = [
        Visit("dashboard", "/desk/"),
        Visit("waiting list", "/desk/waiting"),
        Visit("due for review", "/desk/review"),
        Visit("statement new", "/desk/statements/new"),
        Visit("statement new with errors", "/desk/statements/new", status=422, fill={"text": "", "said_on": ""}),
        Visit("statement", statement),
        Visit("statement edit", f"{statement}/edit"),
        Visit("statement edit conflict", f"{statement}/edit", status=409, fill={"version": "99999"}),
        Visit("appearance new", f"{statement}/appearances/new"),
        Visit("rating new", f"{statement}/ratings/new"),
        Visit("rating new with errors", f"{statement}/ratings/new", status=422, fill={"rationale": ""}),
        Visit("rating edit", f"/desk/ratings/{draft_rating.id}/edit"),
        Visit("outcome new", f"/desk/outcomes/new?statement={claim.id}"),
        Visit("outcome new with errors", f"/desk/outcomes/new?statement={claim.id}", status=422,
              fill={"description": ""}),
        Visit("outcomes", "/desk/outcomes/"),
        Visit("outcome edit", f"/desk/outcomes/{outcome.id}/edit"),
        Visit("outcome edit conflict", f"/desk/outcomes/{outcome.id}/edit", status=409, fill={"version": "99999"}),
        Visit("check an article", "/desk/match"),
        Visit("matches in an article", "/desk/match", fill={"text": claim.text + " " + statements[1].text}),
        Visit("match report", "/desk/match-report"),
        Visit("audit", "/desk/audit/"),
        Visit("users", "/desk/users"),
        Visit("user edit", f"/desk/users/{checker.id}"),
        Visit("account", "/desk/account"),
        Visit("API tokens", "/desk/tokens"),
        Visit("speakers management", "/desk/speakers/"),
        Visit("speaker edit", f"/desk/speakers/{speaker.id}"),
        Visit("speaker merge", f"/desk/speakers/{speaker.id}", fill={"merge-other": other_speaker.name}),
        Visit("topics management", "/desk/topics/"),
        Visit("topic edit", f"/desk/topics/{topic.id}"),
        Visit("retract", f"/desk/retract/statement/{claim.id}"),
    ]
    return public + [Visit(v.name, v.path, v.status, True, v.fill) for v in desk]


def html_endpoints(app: Flask) -> set[str]:
    """Every endpoint that can answer a page of HTML to a GET."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and not rule.endpoint.startswith(NOT_HTML)}


def endpoint_of(app: Flask, url: str, method: str = "GET") -> str:
    path, _, query = url.partition("#")[0].partition("?")
    endpoint, _args = app.url_map.bind("localhost").match(path, method=method, query_args=query)
    return endpoint


@dataclass
class _Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    submitter: tuple[str, str] | None = None
    has_submit: bool = False


class FormReader(HTMLParser):
    """The forms of a page and what a browser would send for each (used with the Flask test client)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = _Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        kind = a.get("type", "submit" if tag == "button" else "text").lower()
        name = a.get("name")
        if tag in ("input", "button") and kind == "submit":
            if not self._form.has_submit and name:
                self._form.submitter = (name, a.get("value", ""))
            self._form.has_submit = True
        elif tag == "input" and name and kind not in ("file", "button", "reset", "image"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self._form.fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self._form.fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def filled_form(page_html: str, page_url: str, fill: Mapping[str, str]) -> tuple[str, str, list[tuple[str, str]]]:
    """The method, address and fields a browser sends when ``fill`` is typed into the page's form and submitted."""
    reader = FormReader()
    reader.feed(page_html)
    first = next(iter(fill))
    form = next(f for f in reader.forms if any(name == first for name, _ in f.fields))
    sent = [(name, fill.get(name, value)) for name, value in form.fields]
    if form.submitter:
        sent.append(form.submitter)
    return form.method, urljoin(page_url, form.action or page_url).partition("#")[0], sent
