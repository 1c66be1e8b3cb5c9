"""One speaker directory, three policies: strict attribution, a loose typeahead, search where exact wins."""

from __future__ import annotations

from sqlalchemy.orm import Session

from claimtrack.speakers.directory import SpeakerDirectory, match_speakers, suggest_speakers
from claimtrack.speakers.services import create_speaker


def _speakers(session: Session) -> None:
    create_speaker(session, "Dmitry Peskov", aliases=["Kremlin spokesperson"])
    create_speaker(session, "Keith Kellogg")
    create_speaker(session, "Kellie Logan")
    session.commit()


def test_each_policy_answers_a_misspelling_as_its_user_needs(session: Session) -> None:
    _speakers(session)
    directory = SpeakerDirectory.load(session)
    assert directory.resolve("the Kremlin spokesperson").name == "Dmitry Peskov"  # type: ignore[union-attr]
    assert directory.resolve("a Kremlin official") is None, "attribution in an article is not guessed"
    assert [h.name for h in suggest_speakers(session, "Peskof")][:1] == ["Dmitry Peskov"]
    assert [h.name for h in suggest_speakers(session, "Lo")] == ["Kellie Logan"], "short queries match word starts"
    assert [h.name for h in match_speakers(session, "keith kellogg")] == ["Keith Kellogg"], "an exact name wins outright"
    hit = match_speakers(session, "kremlin spokesperson")[0]
    assert (hit.name, hit.matched, hit.slug) == ("Dmitry Peskov", "Kremlin spokesperson", "dmitry-peskov")
    assert match_speakers(session, "Zelensky") == []
