"""What a search asks for, parsed and validated from query-string arguments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from claimtrack.errors import DomainError
from claimtrack.orm import MAX_ID
from claimtrack.ratings.scales import SCALES
from claimtrack.text import without_nul

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
#: Deeper pages cost a scan of every row before them; past this, narrow the search.
MAX_OFFSET = 10_000
#: The deepest ``?page=`` any list takes (search, the public list pages, the API's lists). A fixed bound, so
#: the API can document it; a search page past ``MAX_OFFSET`` is empty, like any page past the end.
MAX_PAGE = MAX_OFFSET
#: The most digits a whole number in a query string may have: enough for any 64-bit id.
_MAX_DIGITS = 19

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


class SearchError(DomainError, ValueError):
    """Query-string arguments that cannot be used (400); ``fields`` names each bad argument.

    A :class:`~claimtrack.errors.DomainError`, so a page that does not catch it answers the 400 error page,
    and the API its JSON error naming the arguments.
    """

    status = 400

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        super().__init__("Invalid value for " + "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))


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


#: The longest words, speaker, topic or publisher a search takes (the API documents it as their maxLength).
MAX_TEXT = 200


def _text(args: Mapping[str, str], name: str, max_length: int = MAX_TEXT) -> str:
    return " ".join(without_nul(args.get(name) or "").split())[:max_length]


def _free_text(args: Mapping[str, str], name: str, errors: dict[str, list[str]]) -> str:
    """Words typed into a search field, white space collapsed; longer than :data:`MAX_TEXT` is refused, not cut."""
    value = _text(args, name, max_length=MAX_TEXT + 1)
    if len(value) > MAX_TEXT:
        errors[name] = [f"must be at most {MAX_TEXT} characters"]
        return ""
    return value


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


def whole_number(value: str, low: int, high: int) -> int:
    """``value``, ASCII digits only, as a number from ``low`` to ``high``.

    Python's ``int()`` would also take "²"-like digits of other scripts, signs, underscores and spaces, and
    numbers too large for any database column; every query-string number goes through here instead.

    :raise ValueError: with the message to show, for anything else.
    """
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number")
    number = int(value) if len(value) <= _MAX_DIGITS else high + 1
    if not low <= number <= high:
        raise ValueError(f"must be between {low} and {high}")
    return number


def _integer(args: Mapping[str, str], name: str, default: int, low: int, high: int, errors: dict[str, list[str]]) -> int:
    value = _text(args, name)
    if not value:
        return default
    try:
        return whole_number(value, low, high)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return default


def page_number(args: Mapping[str, str], name: str = "page") -> int:
    """The ``page`` of a list page from the query string: 1 when blank or left out.

    :raise SearchError: (400) for anything but a whole number from 1 to :data:`MAX_PAGE`.
    """
    errors: dict[str, list[str]] = {}
    page = _integer(args, name, 1, 1, MAX_PAGE, errors)
    if errors:
        raise SearchError(errors)
    return page


def all_verdicts() -> dict[str, str]:
    """Every verdict key on every scale, with its label."""
    return {v.name: v.label for scale in SCALES.values() for v in scale.verdicts}


def parse_search_args(args: Mapping[str, str]) -> SearchQuery:
    """Build a :class:`SearchQuery` from query-string arguments; blanks mean "any".

    :raise SearchError: naming every argument with a bad value (unknown verdict,
        scale, sort or outcome; a malformed or reversed date range; a page or
        per-page out of bounds; words longer than ``MAX_TEXT``). A page past the search depth (``MAX_OFFSET``) is not
        an error: like a page past the end, it is empty.
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
    page = _integer(args, "page", 1, 1, MAX_PAGE, errors)
    query = SearchQuery(
        q=_free_text(args, "q", errors),
        speaker=_free_text(args, "speaker", errors),
        speaker_id=_integer(args, "speaker_id", 0, 1, MAX_ID, errors) or None,
        verdict=verdict,
        scale=scale,
        said_from=said_from,
        said_to=said_to,
        topic=_free_text(args, "topic", errors) or None,
        outcome=_choice(args, "outcome", OUTCOME_FILTERS, errors),
        publisher=_free_text(args, "publisher", errors) or None,
        sort=_choice(args, "sort", SORTS, errors) or "newest",
        page=page,
        per_page=per_page,
    )
    if errors:
        raise SearchError(errors)
    return query
