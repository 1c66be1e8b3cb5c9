"""A speaker's track record: current published verdicts counted, and the geometry of its chart.

It counts ratings, not statements added: a statement counts once, by its
current published verdict, and unrated statements do not count at all. The
number of rated statements always travels with the counts, and below
:data:`MIN_TO_JUDGE` the record says it is too thin to judge by. The chart's
markup is a template (``public/_trackrecord.svg``); this module only measures it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.ratings.scales import OUTCOME, TRUTH, Scale, Verdict

MIN_TO_JUDGE = 5


@dataclass
class ScaleCounts:
    scale: Scale
    #: (verdict, count) in the scale's order, zeros included.
    rows: list[tuple[Verdict, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)

    def count(self, verdict: str) -> int:
        return next((n for v, n in self.rows if v.name == verdict), 0)

    @property
    def settled(self) -> int:
        """How many of the counted verdicts settle the claim (see ``Verdict.settled``)."""
        return sum(n for v, n in self.rows if v.settled)


@dataclass
class TrackRecord:
    truth: ScaleCounts
    #: Predictions and promises, on the outcome scale.
    predictions: ScaleCounts

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
        if p.total == 0:
            return None
        return (
            f"Of {p.total} rated prediction{'' if p.total == 1 else 's'}, {p.count('came_true')} came true, "
            f"{p.count('partly_came_true')} partly, "
            f"{p.count('did_not_come_true')} did not; {p.total - p.settled} not settled."
        )

    def as_json(self) -> dict[str, object]:
        return {
            "rated_statements": self.rated,
            "too_few_to_judge": self.too_few,
            "truth": {v.name: n for v, n in self.truth.rows},
            "predictions": {v.name: n for v, n in self.predictions.rows},
        }


def _counts(scale: Scale, found: dict[tuple[str, str], int]) -> ScaleCounts:
    return ScaleCounts(scale, [(v, found.get((scale.name, v.name), 0)) for v in scale.verdicts])


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
            assert speaker_id is not None  # the filter on speaker_ids leaves no statement without a speaker
            found[speaker_id][(scale, verdict)] = n
    return {
        speaker_id: TrackRecord(_counts(TRUTH, counts), _counts(OUTCOME, counts))
        for speaker_id, counts in found.items()
    }


#: The chart's measures, in SVG user units.
LABEL_WIDTH, BAR_WIDTH, MARGIN = 150, 220, 50
HEADING_HEIGHT, ROW_HEIGHT, SECTION_GAP = 24, 26, 12
#: The thin stub drawn for a verdict nobody got.
EMPTY_BAR_COLOUR, EMPTY_BAR_WIDTH = "#c9c4b8", 2


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    #: Top of the bar's row.
    y: int
    width: int
    colour: str


@dataclass(frozen=True)
class ChartSection:
    title: str
    total: int
    #: Top of the section's heading.
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    """What ``public/_trackrecord.svg`` draws: one section per scale with ratings, bars scaled to the largest."""

    title: str
    description: str
    sections: list[ChartSection]
    height: int
    width: int = LABEL_WIDTH + BAR_WIDTH + MARGIN
    label_width: int = LABEL_WIDTH


def _bars(counts: ScaleCounts, y0: int) -> list[Bar]:
    biggest = max((n for _, n in counts.rows), default=0) or 1
    return [
        Bar(
            label=verdict.label,
            count=n,
            y=y0 + i * ROW_HEIGHT,
            width=max(round(BAR_WIDTH * n / biggest), EMPTY_BAR_WIDTH) if n else EMPTY_BAR_WIDTH,
            colour=verdict.colour if n else EMPTY_BAR_COLOUR,
        )
        for i, (verdict, n) in enumerate(counts.rows)
    ]


def track_record_chart(record: TrackRecord, speaker_name: str) -> Chart:
    """The chart of ``record``: the truth scale, the outcome scale, or both, whichever has ratings."""
    sections = [(f"{TRUTH.label} ratings", record.truth), ("Predictions and promises", record.predictions)]
    sections = [(title, counts) for title, counts in sections if counts.total]
    if not sections:
        sections = [(f"{TRUTH.label} ratings", record.truth)]
    drawn: list[ChartSection] = []
    y = 0
    for title, counts in sections:
        drawn.append(ChartSection(title, counts.total, y, _bars(counts, y + HEADING_HEIGHT)))
        y += HEADING_HEIGHT + ROW_HEIGHT * len(counts.rows) + SECTION_GAP
    description = "; ".join(
        f"{title}: " + ", ".join(f"{v.label} {n}" for v, n in counts.rows) for title, counts in sections
    ) + ". " + record.summary
    return Chart(title=f"Track record of {speaker_name}", description=description, sections=drawn, height=y)
