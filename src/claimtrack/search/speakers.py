"""Speakers that the words of a search name, so one search box finds people as well as what they said.

The speaker field (:func:`~claimtrack.speakers.directory.match_speakers`) knows it holds a name
and matches it whole and loosely. Free words are mostly not names, so here each word must come
close to a word of the same name or alias: "Kelog" finds Keith Kellogg and "Peskof" Dmitry Peskov,
while "war" does not find an Edward, as a whole-name fuzzy match would.
"""

from __future__ import annotations

from rapidfuzz import fuzz, utils
from sqlalchemy.orm import Session

from claimtrack.speakers.directory import SpeakerDirectory, SpeakerHit

#: A query word stands for a name's word from this similarity ("kelog"/"kellogg" and "peskof"/"peskov"
#: score 83, "war"/"edward" 67); at four letters and fewer that takes the word spelt right.
WORD_CUTOFF = 80.0
#: Shorter words ("U.S." becomes "u" and "s") and a leading article say nothing about who is meant.
MIN_WORD = 3
SKIPPED = frozenset({"the"})


def _words(text: str) -> list[str]:
    return [w for w in utils.default_process(text).split() if len(w) >= MIN_WORD and w not in SKIPPED]


def speakers_named(session: Session, text: str, limit: int = 5) -> list[SpeakerHit]:
    """Speakers one of whose names or aliases holds every word of ``text`` (each spelt nearly right), best first."""
    wanted = _words(text)
    if not wanted:
        return []
    hits: dict[int, SpeakerHit] = {}
    for entry in SpeakerDirectory.load(session).entries:
        label = _words(entry.label)
        if not label:
            continue
        # The match is as good as its worst word: every word has to name this speaker.
        score = min(max(fuzz.ratio(word, part) for part in label) for word in wanted)
        if score < WORD_CUTOFF:
            continue
        known = hits.get(entry.speaker_id)
        if known is None or score > known.score:
            hits[entry.speaker_id] = SpeakerHit(entry.speaker_id, entry.name, entry.slug, entry.role_title, entry.label, score)
    return sorted(hits.values(), key=lambda h: (-h.score, h.name))[:limit]
