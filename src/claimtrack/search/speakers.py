"""Finding speakers by a name as people type it: typos ("Kelog") and roles ("the Kremlin")."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.speakers.models import Speaker, SpeakerAlias

#: Below this WRatio score a name is not taken as a match ("Kelog" vs "Kellogg" scores 83).
MIN_SCORE = 80
#: Matches this far below the best one are dropped, so one clear hit is not diluted by near misses.
SCORE_MARGIN = 10


@dataclass(frozen=True)
class SpeakerMatch:
    speaker_id: int
    name: str
    slug: str
    #: The name or alias that matched, and how well (0-100).
    matched: str
    score: float


def match_speakers(session: Session, wanted: str, limit: int = 10) -> list[SpeakerMatch]:
    """Speakers whose name or an alias matches ``wanted``, best first.

    An exact match (ignoring case and punctuation) wins outright; otherwise
    RapidFuzz's WRatio ranks names and aliases, with a cut-off.
    """
    needle = utils.default_process(wanted)
    if not needle:
        return []
    rows = session.execute(
        select(Speaker.id, Speaker.name, Speaker.slug, Speaker.name)
        .union_all(select(Speaker.id, Speaker.name, Speaker.slug, SpeakerAlias.alias).join(SpeakerAlias))
    ).all()
    candidates = [utils.default_process(row[3]) for row in rows]
    exact = [i for i, candidate in enumerate(candidates) if candidate == needle]
    if exact:
        scored = [(candidates[i], 100.0, i) for i in exact]
    else:
        scored = process.extract(needle, candidates, scorer=fuzz.WRatio, score_cutoff=MIN_SCORE, limit=None)
    best: dict[int, SpeakerMatch] = {}
    top = max((score for _, score, _ in scored), default=0.0)
    for _, score, index in scored:
        if score < top - SCORE_MARGIN:
            continue
        speaker_id, name, slug, matched = rows[index]
        if speaker_id not in best or score > best[speaker_id].score:
            best[speaker_id] = SpeakerMatch(speaker_id, name, slug, matched, score)
    return sorted(best.values(), key=lambda m: (-m.score, m.name))[:limit]
