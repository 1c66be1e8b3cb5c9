"""The rating scales claimtrack ships.

Scales live in code, not in the database: a verdict's meaning must not change
under a published rating. Ratings store the scale name and verdict key; an
imported rating may also keep the publisher's own wording (``verdict_text``).
"""

from dataclasses import dataclass

from claimtrack.errors import Invalid

#: The colour of a verdict that names none: neutral, like "not yet settled".
NEUTRAL_COLOUR = "#4f5b69"


@dataclass(frozen=True)
class Verdict:
    name: str
    label: str
    #: Position on the scale for ClaimReview's ratingValue; None for verdicts
    #: that are not a point on the scale (pending, unverifiable).
    value: int | None
    description: str
    #: Its colour in charts (AA contrast against white for the count labels beside the bars).
    colour: str = NEUTRAL_COLOUR
    #: Whether the verdict says how the claim stands. Every truth verdict does; on the outcome
    #: scale "pending" (the date has not come) and "unverifiable" (events cannot tell) leave
    #: the prediction open, so a track record counts them as not settled.
    settled: bool = True


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
        Verdict("true", "True", 6, "Accurate, and nothing significant is missing.", "#1d6b3a"),
        Verdict("mostly_true", "Mostly true", 5, "Accurate but needs clarification or context.", "#3f7d3a"),
        Verdict("half_true", "Half true", 4, "Partly accurate; leaves out important details.", "#8a5a00"),
        Verdict("mostly_false", "Mostly false", 3, "Has an element of truth but ignores critical facts.", "#b3541e"),
        Verdict("false", "False", 2, "Not accurate.", "#a4262c"),
        Verdict("fabricated", "Entirely false", 1, "Not accurate, and invented or absurd.", "#7a1c21"),
    ),
)

OUTCOME = Scale(
    name="outcome",
    label="Outcome (predictions and promises)",
    verdicts=(
        Verdict("pending", "Pending", None, "Not yet settled; the expected date has not passed.", settled=False),
        Verdict("came_true", "Came true", 3, "What was predicted or promised happened.", "#1d6b3a"),
        Verdict("partly_came_true", "Partly came true", 2, "Some of it happened, or it happened in part.", "#8a5a00"),
        Verdict("did_not_come_true", "Did not come true", 1, "It did not happen by the expected date.", "#a4262c"),
        Verdict("unverifiable", "Unverifiable", None, "What happened cannot be established.", settled=False),
    ),
)

SCALES: dict[str, Scale] = {scale.name: scale for scale in (TRUTH, OUTCOME)}


def get_scale(name: str) -> Scale:
    """:raise KeyError: when no scale has that name."""
    try:
        return SCALES[name]
    except KeyError:
        raise KeyError(f"unknown rating scale {name!r}; known: {', '.join(SCALES)}") from None


def check_verdict(scale: str, verdict: str) -> Verdict:
    """The verdict ``verdict`` of the scale ``scale``: the one check of a verdict, whoever asks.

    :raise Invalid: (field "scale") when no scale has that name, (field "verdict") when the scale
        has no such verdict; the message lists what would do.
    """
    found = SCALES.get(scale)
    if found is None:
        raise Invalid(f"Unknown scale {scale!r}; use one of: {', '.join(SCALES)}.", field="scale")
    for candidate in found.verdicts:
        if candidate.name == verdict:
            return candidate
    names = ", ".join(v.name for v in found.verdicts)
    raise Invalid(f"The {found.name} scale has no verdict {verdict!r}; use one of: {names}.", field="verdict")
