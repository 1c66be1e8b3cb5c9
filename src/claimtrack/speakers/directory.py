"""Finding speakers by what a text or a person calls them: a name, an alias, a misspelling.

"Peskof", "the Kremlin spokesperson" and "Kellogg" all have to find their
speaker: names and aliases are compared with RapidFuzz's WRatio, which copes
with typos, extra words and word order, after dropping a leading "the".

One directory, three policies: attribution in articles (:meth:`SpeakerDirectory.resolve`,
strict, no one reviews it), the desk's typeahead (:func:`suggest_speakers`,
loose, a person picks) and search (:func:`match_speakers`, an exact name wins).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.speakers.models import Speaker, SpeakerAlias

#: A mention in an article must be this close to be attributed without review.
RESOLVE_CUTOFF = 86.0
#: The typeahead offers names down to this score: 70 keeps "Peskof" -> Peskov but drops unrelated names.
SUGGEST_CUTOFF = 70.0
#: Queries shorter than this match by word prefix only: fuzzy scores on two letters are noise.
SHORT_QUERY = 3
#: Search takes a name as meant from this score ("Kelog" vs "Kellogg" scores 83)...
SEARCH_CUTOFF = 80.0
#: ...and drops hits this far below the best one, so one clear hit is not diluted by near misses.
SEARCH_MARGIN = 10.0


@dataclass(frozen=True)
class SpeakerHit:
    speaker_id: int
    name: str
    slug: str
    role_title: str | None
    #: The name or alias that matched, and how well (0-100).
    matched: str
    score: float

    def as_json(self) -> dict[str, object]:
        return {"id": self.speaker_id, "name": self.name, "role_title": self.role_title, "matched": self.matched,
                "score": round(self.score, 1)}


@dataclass(frozen=True)
class _Entry:
    speaker_id: int
    name: str
    slug: str
    role_title: str | None
    label: str


def _normalise(label: str) -> str:
    text = utils.default_process(label)
    return text[4:] if text.startswith("the ") else text


class SpeakerDirectory:
    """Every speaker's name and aliases in memory: fine for a newsroom's few thousand speakers."""

    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries
        self._keys = [_normalise(e.label) for e in entries]

    @classmethod
    def load(cls, session: Session) -> SpeakerDirectory:
        columns = (Speaker.id, Speaker.name, Speaker.slug, Speaker.role_title)
        names = session.execute(select(*columns, Speaker.name))
        aliases = session.execute(select(*columns, SpeakerAlias.alias).join(SpeakerAlias, SpeakerAlias.speaker_id == Speaker.id))
        return cls([_Entry(*row) for row in [*names, *aliases]])

    def rank(
        self,
        query: str,
        *,
        cutoff: float,
        limit: int | None = 8,
        prefix_below: int = 0,
        exact_wins: bool = False,
        margin: float | None = None,
    ) -> list[SpeakerHit]:
        """Speakers whose name or an alias resembles ``query``, best first, one hit per speaker.

        ``prefix_below``: shorter queries match a word's start instead of fuzzily.
        ``exact_wins``: a name or alias equal to the query (ignoring case and
        punctuation) is the only answer. ``margin``: drop hits this far below the best.
        """
        key = _normalise(query)
        if not key:
            return []
        if len(key) < prefix_below:
            scored = [(100.0, i) for i, k in enumerate(self._keys) if any(w.startswith(key) for w in k.split())]
        elif exact_wins and key in self._keys:
            scored = [(100.0, i) for i, k in enumerate(self._keys) if k == key]
        else:
            found = process.extract(key, self._keys, scorer=fuzz.WRatio, score_cutoff=cutoff, limit=None)
            scored = [(float(score), i) for _key, score, i in found]
        top = max((score for score, _ in scored), default=0.0)
        hits: dict[int, SpeakerHit] = {}
        for score, i in scored:
            if margin is not None and score < top - margin:
                continue
            e = self.entries[i]
            if e.speaker_id not in hits or score > hits[e.speaker_id].score:
                hits[e.speaker_id] = SpeakerHit(e.speaker_id, e.name, e.slug, e.role_title, e.label, score)
        return sorted(hits.values(), key=lambda h: (-h.score, h.name))[:limit]

    def resolve(self, mention: str | None, cutoff: float = RESOLVE_CUTOFF) -> SpeakerHit | None:
        """The one speaker ``mention`` most likely names, or None when nothing is close enough."""
        if not mention:
            return None
        hits = self.rank(mention, cutoff=cutoff, limit=1)
        return hits[0] if hits else None


def suggest_speakers(session: Session, query: str, limit: int = 8) -> list[SpeakerHit]:
    """The desk's typeahead: speakers a fact-checker may mean by ``query``, best first."""
    return SpeakerDirectory.load(session).rank(query, cutoff=SUGGEST_CUTOFF, limit=limit, prefix_below=SHORT_QUERY)


def match_speakers(session: Session, wanted: str, limit: int = 10) -> list[SpeakerHit]:
    """Search by speaker: an exact name or alias wins outright, else the close ones, best first."""
    return SpeakerDirectory.load(session).rank(
        wanted, cutoff=SEARCH_CUTOFF, limit=limit, exact_wins=True, margin=SEARCH_MARGIN
    )
