"""Finding speakers by what a text or a person calls them: a name, an alias, a misspelling.

"Peskof", "the Kremlin spokesperson" and "Kellogg" all have to find their
speaker: names and aliases are compared with RapidFuzz's WRatio, which copes
with typos, extra words and word order, after dropping a leading "the".
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.speakers.models import Speaker, SpeakerAlias

#: A mention in an article must be this close to be attributed without review.
RESOLVE_CUTOFF = 86.0
#: Typeahead and search are looser: a person picks from the list.
SUGGEST_CUTOFF = 60.0


@dataclass(frozen=True)
class SpeakerHit:
    speaker_id: int
    name: str
    #: The name or alias that matched.
    matched: str
    score: float


def _normalise(label: str) -> str:
    text = utils.default_process(label)
    return text[4:] if text.startswith("the ") else text


class SpeakerDirectory:
    """An in-memory list of every speaker's name and aliases, for fuzzy lookups."""

    def __init__(self, entries: list[tuple[int, str, str]]) -> None:
        #: (speaker id, speaker name, label) for each name and alias.
        self.entries = entries
        self._keys = [_normalise(label) for _sid, _name, label in entries]

    @classmethod
    def load(cls, session: Session) -> SpeakerDirectory:
        names = session.execute(select(Speaker.id, Speaker.name, Speaker.name))
        aliases = session.execute(
            select(Speaker.id, Speaker.name, SpeakerAlias.alias).join(SpeakerAlias, SpeakerAlias.speaker_id == Speaker.id)
        )
        return cls([tuple(row) for row in names] + [tuple(row) for row in aliases])  # type: ignore[misc]

    def suggest(self, query: str, limit: int = 8, cutoff: float = SUGGEST_CUTOFF) -> list[SpeakerHit]:
        """Speakers whose name or alias resembles ``query``, best first, one hit per speaker."""
        key = _normalise(query)
        if not key:
            return []
        hits: dict[int, SpeakerHit] = {}
        for _key, score, i in process.extract(key, self._keys, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=cutoff):
            sid, name, label = self.entries[i]
            if sid not in hits or score > hits[sid].score:
                hits[sid] = SpeakerHit(sid, name, label, float(score))
        return sorted(hits.values(), key=lambda h: (-h.score, h.name))[:limit]

    def resolve(self, mention: str | None, cutoff: float = RESOLVE_CUTOFF) -> SpeakerHit | None:
        """The one speaker ``mention`` most likely names, or None when nothing is close enough."""
        if not mention:
            return None
        hits = self.suggest(mention, limit=2, cutoff=cutoff)
        return hits[0] if hits else None
