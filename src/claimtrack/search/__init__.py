"""Searching statements: by speaker (fuzzy names and aliases), by words, with filters.

Pages, the JSON API and the benchmark all call :func:`search_statements` with
a :class:`SearchQuery` built by :func:`parse_search_args`.
"""

from claimtrack.search.params import (
    MAX_PAGE,
    MAX_PER_PAGE,
    OUTCOME_FILTERS,
    SORTS,
    SearchError,
    SearchQuery,
    page_number,
    parse_search_args,
)
from claimtrack.search.service import SearchPage, search_statements
from claimtrack.search.speakers import speakers_named
from claimtrack.speakers.directory import match_speakers

__all__ = [
    "MAX_PAGE", "MAX_PER_PAGE", "OUTCOME_FILTERS", "SORTS", "SearchError", "SearchPage", "SearchQuery",
    "match_speakers", "page_number", "parse_search_args", "search_statements", "speakers_named",
]
