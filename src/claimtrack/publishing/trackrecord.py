"""A speaker's track record: current published verdicts counted, drawn as a small SVG.

It counts ratings, not statements added: a statement counts once, by its
current published verdict, and unrated statements do not count at all. The
number of rated statements always travels with the counts, and below
:data:`MIN_TO_JUDGE` the record says it is too thin to judge by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.ratings.scales import OUTCOME, TRUTH, Scale

MIN_TO_JUDGE = 5

#: Bar colours per verdict (AA contrast against white for the count labels beside them).
COLOURS = {
    "true": "#1d6b3a", "mostly_true": "#3f7d3a", "half_true": "#8a5a00", "mostly_false": "#b3541e",
    "false": "#a4262c", "fabricated": "#7a1c21",
    "came_true": "#1d6b3a", "partly_came_true": "#8a5a00", "did_not_come_true": "#a4262c",
    "pending": "#4f5b69", "unverifiable": "#4f5b69",
}


@dataclass
class ScaleCounts:
    scale: Scale
    #: (verdict key, label, count) in the scale's order, zeros included.
    rows: list[tuple[str, str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.rows)

    def count(self, verdict: str) -> int:
        return next((n for key, _, n in self.rows if key == verdict), 0)


@dataclass
class TrackRecord:
    truth: ScaleCounts
    #: Predictions and promises, on the outcome scale.
    predictions: ScaleCounts
    by_verdict: dict[str, int] = field(default_factory=dict)

    @property
    def rated(self) -> int:
        return self.truth.total + self.predictions.total

    @property
    def too_few(self) -> bool:
        return self.rated < MIN_TO_JUDGE

    @property
    def summary(self) -> str:
        """One plain sentence: how many ratings the record rests on, and whether that is enough."""
        noun = "statement" if self.rated == 1 else "statements"
        if self.rated == 0:
            return "No rated statements yet, so there is no track record to show."
        if self.too_few:
            return f"Based on {self.rated} rated {noun}: too few to judge this speaker by."
        return f"Based on {self.rated} rated {noun}."

    def predictions_summary(self) -> str | None:
        p = self.predictions
        settled = p.count("came_true") + p.count("partly_came_true") + p.count("did_not_come_true")
        if p.total == 0:
            return None
        return (
            f"Of {p.total} rated predictions, {p.count('came_true')} came true, {p.count('partly_came_true')} partly, "
            f"{p.count('did_not_come_true')} did not; {p.total - settled} not settled."
        )

    def as_json(self) -> dict[str, object]:
        return {
            "rated_statements": self.rated,
            "too_few_to_judge": self.too_few,
            "truth": {key: n for key, _, n in self.truth.rows},
            "predictions": {key: n for key, _, n in self.predictions.rows},
        }


def _counts(scale: Scale, found: dict[tuple[str, str], int]) -> ScaleCounts:
    return ScaleCounts(scale, [(v.name, v.label, found.get((scale.name, v.name), 0)) for v in scale.verdicts])


def track_records(session: Session, speaker_ids: list[int]) -> dict[int, TrackRecord]:
    """Track records for several speakers in one grouped query."""
    found: dict[int, dict[tuple[str, str], int]] = {i: {} for i in speaker_ids}
    if speaker_ids:
        rows = session.execute(
            select(Statement.speaker_id, Rating.scale, Rating.verdict, func.count())
            .join(Rating, Rating.id == Statement.current_rating_id)
            .where(Statement.speaker_id.in_(speaker_ids), Rating.status == RatingStatus.PUBLISHED)
            .group_by(Statement.speaker_id, Rating.scale, Rating.verdict)
        )
        for speaker_id, scale, verdict, n in rows:
            found[speaker_id][(scale, verdict)] = n
    return {
        speaker_id: TrackRecord(_counts(TRUTH, counts), _counts(OUTCOME, counts))
        for speaker_id, counts in found.items()
    }


def _bars(counts: ScaleCounts, top: int, y0: int, label_width: int, bar_width: int) -> list[str]:
    parts = []
    biggest = max((n for _, _, n in counts.rows), default=0) or 1
    for i, (key, label, n) in enumerate(counts.rows):
        y = y0 + i * 26
        width = round(bar_width * n / biggest) if n else 0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" class="tr-label">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{max(width, 2)}" height="16" rx="3" fill="{COLOURS[key] if n else "#c9c4b8"}"/>'
            f'<text x="{label_width + max(width, 2) + 6}" y="{y + 14}" class="tr-count">{n}</text>'
        )
    return parts


def track_record_svg(record: TrackRecord, speaker_name: str) -> Markup:
    """The record as an accessible inline SVG chart (role="img", with title and description)."""
    label_width, bar_width = 150, 220
    sections = [(f"{TRUTH.label} ratings", record.truth), ("Predictions and promises", record.predictions)]
    sections = [(title, counts) for title, counts in sections if counts.total]
    if not sections:
        sections = [(f"{TRUTH.label} ratings", record.truth)]
    parts, y = [], 0
    for title, counts in sections:
        parts.append(f'<text x="0" y="{y + 16}" class="tr-heading">{escape(title)} ({counts.total})</text>')
        parts += _bars(counts, 0, y + 24, label_width, bar_width)
        y += 24 + 26 * len(counts.rows) + 12
    description = "; ".join(
        f"{title}: " + ", ".join(f"{label} {n}" for _, label, n in counts.rows) for title, counts in sections
    ) + ". " + record.summary
    title = f"Track record of {speaker_name}"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="track-record-chart" role="img" '
        f'aria-labelledby="tr-title tr-desc" viewBox="0 0 {label_width + bar_width + 50} {y}" '
        f'width="{label_width + bar_width + 50}" height="{y}">'
        f'<title id="tr-title">{escape(title)}</title><desc id="tr-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
    return Markup(svg)
