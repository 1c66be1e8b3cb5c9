"""Fuzzy matching of new texts against stored statements (no web or database code).

Public API::

    from claimtrack.matching import MatchIndex, Match, load, save
    index = MatchIndex()
    index.add(42, "Vaccines cause autism.", speaker="Jane Doe", said_on="2020-01-02")
    index.search("Do vaccines really cause autism?", top_k=5)  # -> [Match(42, 0.9..., {...})]
    save(index, "/var/lib/claimtrack/match-index"); index = load("/var/lib/claimtrack/match-index")
"""

from .fields import speaker_key
from .index import Match, MatchIndex
from .scoring import DEFAULT_FUSION, Fusion, get_scorer, register_scorer, registered_scorers
from .storage import load, save
from .text import clean_text, fuzzy_form, tokenize

SUGGEST_THRESHOLD = 0.5
STRONG_THRESHOLD = 0.8

__all__ = [
    "DEFAULT_FUSION",
    "STRONG_THRESHOLD",
    "SUGGEST_THRESHOLD",
    "Fusion",
    "Match",
    "MatchIndex",
    "clean_text",
    "fuzzy_form",
    "get_scorer",
    "load",
    "register_scorer",
    "registered_scorers",
    "save",
    "speaker_key",
    "tokenize",
]
