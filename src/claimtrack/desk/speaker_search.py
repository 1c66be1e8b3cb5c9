"""Finding speakers by name or alias as a fact-checker types, forgiving typos ("Peskof")."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.speakers.models import Speaker, SpeakerAlias

#: Below this WRatio score a name is not offered; 70 keeps "Peskof" -> Peskov but drops unrelated names.
SUGGEST_CUTOFF = 70
#: Queries this short match by prefix only: fuzzy scores on two letters are noise.
SHORT_QUERY = 3


@dataclass(frozen=True)
class SpeakerSuggestion:
    id: int
    name: str
    role_title: str | None
    #: The name or alias that matched.
    matched: str
    score: float

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role_title": self.role_title, "matched": self.matched,
                "score": round(self.score, 1)}


def _known_names(session: Session) -> list[tuple[str, Speaker]]:
    # Every name and alias in memory: fine for a newsroom's few thousand speakers.
    speakers = session.scalars(select(Speaker)).all()
    aliases = session.execute(select(SpeakerAlias.alias, SpeakerAlias.speaker_id)).all()
    by_id = {s.id: s for s in speakers}
    return [(s.name, s) for s in speakers] + [(alias, by_id[sid]) for alias, sid in aliases if sid in by_id]


def suggest_speakers(session: Session, query: str, limit: int = 8) -> list[SpeakerSuggestion]:
    """Speakers whose name or an alias resembles ``query``, best first, one entry per speaker."""
    wanted = utils.default_process(query)
    if not wanted:
        return []
    names = _known_names(session)
    best: dict[int, SpeakerSuggestion] = {}

    def offer(name: str, speaker: Speaker, score: float) -> None:
        if speaker.id not in best or best[speaker.id].score < score:
            best[speaker.id] = SpeakerSuggestion(speaker.id, speaker.name, speaker.role_title, name, score)

    if len(wanted) < SHORT_QUERY:
        for name, speaker in names:
            words = utils.default_process(name).split()
            if any(word.startswith(wanted) for word in words):
                offer(name, speaker, 100.0)
    else:
        matches = process.extract(
            wanted, [utils.default_process(name) for name, _ in names],
            scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF, limit=None,
        )
        for _choice, score, index in matches:
            name, speaker = names[index]
            offer(name, speaker, score)
    return sorted(best.values(), key=lambda s: (-s.score, s.name))[:limit]
