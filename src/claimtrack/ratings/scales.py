"""The rating scales claimtrack ships.

Scales live in code, not in the database: a verdict's meaning must not change
under a published rating. Ratings store the scale name and verdict key; an
imported rating may also keep the publisher's own wording (``verdict_text``).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    name: str
    label: str
    #: Position on the scale for ClaimReview's ratingValue; None for verdicts
    #: that are not a point on the scale (pending, unverifiable).
    value: int | None
    description: str


@dataclass(frozen=True)
class Scale:
    name: str
    label: str
    verdicts: tuple[Verdict, ...]

    def verdict(self, name: str) -> Verdict:
        """:raise KeyError: when the scale has no such verdict."""
        for verdict in self.verdicts:
            if verdict.name == name:
                return verdict
        raise KeyError(f"scale {self.name!r} has no verdict {name!r}")

    @property
    def best(self) -> int:
        return max(v.value for v in self.verdicts if v.value is not None)

    @property
    def worst(self) -> int:
        return min(v.value for v in self.verdicts if v.value is not None)


TRUTH = Scale(
    name="truth",
    label="Truth",
    verdicts=(
        Verdict("true", "True", 6, "Accurate, and nothing significant is missing."),
        Verdict("mostly_true", "Mostly true", 5, "Accurate but needs clarification or context."),
        Verdict("half_true", "Half true", 4, "Partly accurate; leaves out important details."),
        Verdict("mostly_false", "Mostly false", 3, "Has an element of truth but ignores critical facts."),
        Verdict("false", "False", 2, "Not accurate."),
        Verdict("fabricated", "Entirely false", 1, "Not accurate, and invented or absurd."),
    ),
)

OUTCOME = Scale(
    name="outcome",
    label="Outcome (predictions and promises)",
    verdicts=(
        Verdict("pending", "Pending", None, "Not yet settled; the expected date has not passed."),
        Verdict("came_true", "Came true", 3, "What was predicted or promised happened."),
        Verdict("partly_came_true", "Partly came true", 2, "Some of it happened, or it happened in part."),
        Verdict("did_not_come_true", "Did not come true", 1, "It did not happen by the expected date."),
        Verdict("unverifiable", "Unverifiable", None, "What happened cannot be established."),
    ),
)

SCALES: dict[str, Scale] = {scale.name: scale for scale in (TRUTH, OUTCOME)}


def get_scale(name: str) -> Scale:
    """:raise KeyError: when no scale has that name."""
    try:
        return SCALES[name]
    except KeyError:
        raise KeyError(f"unknown rating scale {name!r}; known: {', '.join(SCALES)}") from None
