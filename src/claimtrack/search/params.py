"""What a search asks for, parsed and validated from query-string arguments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from claimtrack.ratings.scales import SCALES
from claimtrack.text import without_nul

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
#: Deeper pages cost a scan of every row before them; past this, narrow the search.
MAX_OFFSET = 10_000

SORTS = {"newest": "Newest first", "oldest": "Oldest first", "relevance": "Best match"}

#: Outcome filters: how (or whether) what was said has been settled by events.
OUTCOME_FILTERS = {
    "confirms": "An outcome confirms it",
    "contradicts": "An outcome contradicts it",
    "partly": "An outcome partly bears it out",
    "awaiting": "Awaiting its expected date",
    "overdue": "Due for review: date passed, not yet settled",
}


#: Query-string names that differ from the field names.
ARG_NAMES = {"said_from": "from", "said_to": "to"}


class SearchError(ValueError):
    """Search arguments that cannot be used; ``fields`` names each bad argument."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        super().__init__("invalid search: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    speaker: str = ""
    #: An exact speaker, for links from a speaker page or API object (no fuzzy matching).
    speaker_id: int | None = None
    verdict: str | None = None
    scale: str | None = None
    said_from: dt.date | None = None
    said_to: dt.date | None = None
    topic: str | None = None
    outcome: str | None = None
    publisher: str | None = None
    sort: str = "newest"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def is_filtered(self) -> bool:
        """True when anything narrows the results (so a blank form lists everything)."""
        ignored = {"sort", "page", "per_page"}
        return any(getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ignored)

    def args(self, **changes: Any) -> dict[str, str]:
        """Query-string arguments that reproduce this search, with ``changes`` applied (for links)."""
        values = dataclasses.replace(self, **changes)
        defaults = SearchQuery()
        out: dict[str, str] = {}
        for f in dataclasses.fields(values):
            value = getattr(values, f.name)
            if value in (None, "") or value == getattr(defaults, f.name):
                continue
            out[ARG_NAMES.get(f.name, f.name)] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out


def _text(args: Mapping[str, str], name: str, max_length: int = 200) -> str:
    return " ".join(without_nul(args.get(name) or "").split())[:max_length]


def _choice(args: Mapping[str, str], name: str, allowed: Mapping[str, object] | set[str], errors: dict[str, list[str]]) -> str | None:
    value = _text(args, name)
    if not value:
        return None
    if value not in allowed:
        errors[name] = [f"must be one of: {', '.join(sorted(allowed))}"]
        return None
    return value


def _date(args: Mapping[str, str], name: str, errors: dict[str, list[str]]) -> dt.date | None:
    value = _text(args, name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = ["must be a date as YYYY-MM-DD"]
        return None


def _integer(args: Mapping[str, str], name: str, default: int, low: int, high: int, errors: dict[str, list[str]]) -> int:
    value = _text(args, name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        errors[name] = ["must be a whole number"]
        return default
    if not low <= number <= high:
        errors[name] = [f"must be between {low} and {high}"]
        return default
    return number


def all_verdicts() -> dict[str, str]:
    """Every verdict key on every scale, with its label."""
    return {v.name: v.label for scale in SCALES.values() for v in scale.verdicts}


def parse_search_args(args: Mapping[str, str]) -> SearchQuery:
    """Build a :class:`SearchQuery` from query-string arguments; blanks mean "any".

    :raise SearchError: naming every argument with a bad value (unknown verdict,
        scale, sort or outcome; a malformed or reversed date range; a page or
        per-page out of bounds).
    """
    errors: dict[str, list[str]] = {}
    scale = _choice(args, "scale", set(SCALES), errors)
    verdicts = {v.name for v in SCALES[scale].verdicts} if scale else set(all_verdicts())
    verdict = _choice(args, "verdict", verdicts, errors)
    said_from = _date(args, "from", errors)
    said_to = _date(args, "to", errors)
    if said_from and said_to and said_from > said_to:
        errors["to"] = ["must not be earlier than the start of the range"]
    per_page = _integer(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors)
    max_page = -(-MAX_OFFSET // per_page)
    page = _integer(args, "page", 1, 1, max_page, errors)
    query = SearchQuery(
        q=_text(args, "q"),
        speaker=_text(args, "speaker"),
        speaker_id=_integer(args, "speaker_id", 0, 1, 2**31 - 1, errors) or None,
        verdict=verdict,
        scale=scale,
        said_from=said_from,
        said_to=said_to,
        topic=_text(args, "topic") or None,
        outcome=_choice(args, "outcome", OUTCOME_FILTERS, errors),
        publisher=_text(args, "publisher") or None,
        sort=_choice(args, "sort", SORTS, errors) or "newest",
        page=page,
        per_page=per_page,
    )
    if errors:
        raise SearchError(errors)
    return query
