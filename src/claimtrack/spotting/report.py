"""How well the matcher does on this desk's own reviewed appearances.

Every suggestion a reviewer confirms or rejects is a labelled example. At a
threshold t, precision is the share of reviewed suggestions scoring >= t that
were confirmed, and recall the share of confirmed ones scoring >= t. Only
suggestions that were shown (score >= the suggest threshold of the day) get
reviewed, so recall is relative to what reviewers saw: the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.spotting.services import Thresholds

#: A strong match should be right this often before it is trusted without review.
STRONG_PRECISION_TARGET = 0.95
MIN_LABELS_TO_SUGGEST = 20


@dataclass(frozen=True)
class Point:
    threshold: float
    precision: float | None
    recall: float | None
    kept: int


@dataclass(frozen=True)
class MatchReport:
    confirmed: int
    rejected: int
    at_suggest: Point
    at_strong: Point
    curve: list[Point]
    suggested_suggest: float | None
    suggested_strong: float | None

    @property
    def labelled(self) -> int:
        return self.confirmed + self.rejected


def point(labels: list[tuple[float, bool]], threshold: float) -> Point:
    kept = [ok for score, ok in labels if score >= threshold]
    confirmed = sum(ok for _score, ok in labels)
    hits = sum(kept)
    return Point(
        threshold=threshold,
        precision=hits / len(kept) if kept else None,
        recall=hits / confirmed if confirmed else None,
        kept=len(kept),
    )


def labelled_scores(session: Session) -> list[tuple[float, bool]]:
    rows = session.execute(
        select(Appearance.score, Appearance.status).where(
            Appearance.score.is_not(None),
            Appearance.status.in_([AppearanceStatus.CONFIRMED, AppearanceStatus.REJECTED]),
        )
    )
    return [(float(score), status is AppearanceStatus.CONFIRMED) for score, status in rows if score is not None]


def build_report(labels: list[tuple[float, bool]], thresholds: Thresholds) -> MatchReport:
    """Precision and recall at the current thresholds, a curve, and suggested thresholds.

    The suggested *suggest* threshold maximises F1; the suggested *strong* one is
    the lowest threshold whose precision reaches STRONG_PRECISION_TARGET. Neither
    is suggested from fewer than MIN_LABELS_TO_SUGGEST labels.
    """
    curve = [point(labels, t / 100) for t in range(0, 101, 5)]
    suggest = strong = None
    if len(labels) >= MIN_LABELS_TO_SUGGEST:
        def f1(p: Point) -> float:
            if not p.precision or not p.recall:
                return 0.0
            return 2 * p.precision * p.recall / (p.precision + p.recall)

        best = max(curve, key=lambda p: (f1(p), -p.threshold))  # on a tie, the lower one misses less
        suggest = best.threshold if f1(best) > 0 else None
        precise = [p for p in curve if p.precision is not None and p.precision >= STRONG_PRECISION_TARGET and p.kept]
        strong = min(p.threshold for p in precise) if precise else None
        if suggest is not None and strong is not None:
            strong = max(strong, suggest)
    return MatchReport(
        confirmed=sum(ok for _s, ok in labels),
        rejected=sum(not ok for _s, ok in labels),
        at_suggest=point(labels, thresholds.suggest),
        at_strong=point(labels, thresholds.strong),
        curve=curve,
        suggested_suggest=suggest,
        suggested_strong=strong,
    )


def format_report(report: MatchReport, thresholds: Thresholds) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    lines = [
        f"Reviewed suggestions: {report.labelled} ({report.confirmed} confirmed, {report.rejected} rejected)",
        f"At the suggest threshold {thresholds.suggest:.2f}: precision {pct(report.at_suggest.precision)}, "
        f"recall {pct(report.at_suggest.recall)} ({report.at_suggest.kept} suggestions)",
        f"At the strong threshold {thresholds.strong:.2f}: precision {pct(report.at_strong.precision)}, "
        f"recall {pct(report.at_strong.recall)} ({report.at_strong.kept} suggestions)",
    ]
    if report.labelled < MIN_LABELS_TO_SUGGEST:
        lines.append(
            f"Too few reviewed suggestions to suggest thresholds (at least {MIN_LABELS_TO_SUGGEST} are needed)."
        )
    else:
        lines.append(
            "Suggested thresholds: suggest "
            + (f"{report.suggested_suggest:.2f}" if report.suggested_suggest is not None else "n/a (no threshold helps)")
            + ", strong "
            + (
                f"{report.suggested_strong:.2f}"
                if report.suggested_strong is not None
                else f"n/a (no threshold reaches {STRONG_PRECISION_TARGET:.0%} precision)"
            )
        )
    lines.append("Recall counts only suggestions that were shown for review.")
    return "\n".join(lines)
