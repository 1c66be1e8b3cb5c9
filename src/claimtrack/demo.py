"""Loading the demo fixtures (``fixtures/demo.json``) idempotently.

Every object is keyed (speakers by slug, statements by external id, outcomes
by their description, links by their ends and relation) so a second load
finds what the first one stored and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.claims import services as claims
from claimtrack.claims.changes import register_listeners
from claimtrack.claims.models import DatePrecision, LinkRelation, SourceKind, Statement, StatementLink
from claimtrack.errors import Invalid
from claimtrack.outcomes import services as outcomes
from claimtrack.outcomes.models import Outcome, OutcomeRelation
from claimtrack.ratings import services as ratings
from claimtrack.resources import resource_dir
from claimtrack.speakers import services as speakers
from claimtrack.speakers.models import Speaker


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def __str__(self) -> str:
        if not self.created:
            return "nothing new: the demo data was already loaded"
        return "created " + ", ".join(f"{n} {kind}" for kind, n in sorted(self.created.items()))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def default_fixture_file() -> Path:
    return resource_dir("fixtures") / "demo.json"


def load_fixtures(session: Session, path: Path | None = None) -> LoadReport:
    """Load the demo data into ``session`` (the caller commits).

    :raise Invalid: when the file is not valid JSON or refers to unknown keys.
    """
    register_listeners()  # demo statements must reach the match index, also outside the web app
    path = path or default_fixture_file()
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise Invalid(f"{path}: line {exc.lineno}: {exc.msg}") from None
    report = LoadReport()
    speakers_by_slug = _load_speakers(session, data["speakers"], report)
    sources = {s["key"]: s for s in data.get("sources", [])}
    new_statements = _load_statements(session, data["statements"], speakers_by_slug, sources, report)
    statements = {
        s.external_id: s
        for s in session.scalars(select(Statement).where(Statement.external_id.in_([d["id"] for d in data["statements"]])))
    }
    for spec in data.get("ratings", []):
        # Ratings belong to the statement's first load; re-loading must not append versions.
        if spec["statement"] not in new_statements:
            continue
        rating = ratings.rate_statement(
            session,
            statements[spec["statement"]],
            scale=spec["scale"],
            verdict=spec["verdict"],
            rationale=spec.get("rationale", ""),
            headline=spec.get("headline"),
            evidence=spec.get("evidence"),
            # Demo files from before kinds: a version with a note was a correction.
            kind=spec.get("kind") or ("correction" if spec.get("correction_note") else None),
            correction_note=spec.get("correction_note"),
        )
        if spec.get("publish"):
            # The loader publishes what it has just written; no person reviewed a version of it.
            ratings.publish_rating(session, rating, actor=None, version=None)
            if spec.get("published_on"):
                # The demo's history reads in order: rated when said, not on the day the demo was loaded.
                when = dt.datetime.combine(dt.date.fromisoformat(spec["published_on"]), dt.time(12), tzinfo=dt.UTC)
                rating.created_at = rating.published_at = when
        report.count("ratings")
    _load_outcomes(session, data.get("outcomes", []), statements, report)
    _load_links(session, data.get("links", []), statements, report)
    session.flush()
    return report


def _load_speakers(session: Session, specs: list[dict[str, Any]], report: LoadReport) -> dict[str, Speaker]:
    found = {}
    for spec in specs:
        # A demo speaker renamed or merged on the desk is found at its address now, not made again.
        slug = speakers.speaker_moved_to(session, spec["slug"]) or spec["slug"]
        speaker = session.scalar(select(Speaker).where(Speaker.slug == slug))
        if speaker is None:
            speaker = speakers.create_speaker(
                session,
                spec["name"],
                slug=spec["slug"],
                role_title=spec.get("role_title"),
                affiliation=spec.get("affiliation"),
                country=spec.get("country"),
                aliases=spec.get("aliases", []),
            )
            report.count("speakers")
        found[spec["slug"]] = speaker
    return found


def _load_statements(
    session: Session,
    specs: list[dict[str, Any]],
    speakers_by_slug: dict[str, Speaker],
    sources: dict[str, dict[str, Any]],
    report: LoadReport,
) -> set[str]:
    new: set[str] = set()
    source_objects: dict[str, Any] = {}
    for spec in specs:
        if session.scalar(select(Statement.id).where(Statement.external_id == spec["id"])) is not None:
            continue
        if spec["speaker"] not in speakers_by_slug:
            raise Invalid(f"statement {spec['id']}: unknown speaker {spec['speaker']!r}")
        source = None
        if spec.get("source"):
            key = spec["source"]
            if key not in sources:
                raise Invalid(f"statement {spec['id']}: unknown source {key!r}")
            if key not in source_objects:
                src = sources[key]
                source_objects[key] = claims.get_or_create_source(
                    session,
                    src.get("url"),
                    publisher=src.get("publisher"),
                    title=src.get("title"),
                    kind=SourceKind(src.get("kind", "article")),
                    published_on=_date(src.get("published_on")),
                )
            source = source_objects[key]
        statement = claims.log_statement(
            session,
            spec["text"],
            speaker=speakers_by_slug[spec["speaker"]],
            said_on=_date(spec.get("said_on")),
            said_on_precision=DatePrecision(spec.get("precision", "day")),
            source=source,
            claim=spec.get("claim"),
            context=spec.get("context"),
            topics=spec.get("topics", []),
            expected_by=_date(spec.get("expected_by")),
            external_id=spec["id"],
        )
        if spec.get("publish", True):
            # The demo is the desk's published record; a spec with "publish": false waits for review.
            workflow.publish(session, statement, None, version=None)
        new.add(spec["id"])
        report.count("statements")
    return new


def _load_outcomes(
    session: Session, specs: list[dict[str, Any]], statements: dict[str | None, Statement], report: LoadReport
) -> None:
    for spec in specs:
        if session.scalar(select(Outcome.id).where(Outcome.description == spec["description"])) is not None:
            continue
        outcome = outcomes.record_outcome(
            session,
            spec["description"],
            occurred_on=_date(spec.get("occurred_on")),
            evidence_url=spec.get("evidence_url"),
            evidence_title=spec.get("evidence_title"),
        )
        if spec.get("publish", True):
            workflow.publish(session, outcome, None, version=None)
        for link in spec.get("links", []):
            made = outcomes.link_outcome(session, outcome, statements[link["statement"]], OutcomeRelation(link["relation"]))
            if spec.get("publish", True):
                workflow.publish(session, made, None, version=None)
        report.count("outcomes")


def _load_links(
    session: Session, specs: list[dict[str, Any]], statements: dict[str | None, Statement], report: LoadReport
) -> None:
    for spec in specs:
        source, target = statements[spec["from"]], statements[spec["to"]]
        relation = LinkRelation(spec["relation"])
        exists = session.scalar(
            select(StatementLink.id).where(
                StatementLink.from_statement_id == source.id,
                StatementLink.to_statement_id == target.id,
                StatementLink.relation == relation,
            )
        )
        if exists is None:
            link = claims.link_statements(session, source, target, relation, note=spec.get("note"))
            if spec.get("publish", True):
                workflow.publish(session, link, None, version=None)
            report.count("statement links")
