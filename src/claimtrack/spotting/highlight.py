"""Cutting an article's text into plain and highlighted pieces for the review page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from claimtrack.articles.models import Appearance


@dataclass
class Piece:
    text: str
    #: The appearances found at this span; empty for plain text.
    appearances: list[Appearance] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"match-{self.appearances[0].start_offset}" if self.appearances else ""


def highlight(text: str, appearances: Sequence[Appearance]) -> list[Piece]:
    """``text`` split at the spans of ``appearances``; overlapping spans are merged into one piece."""
    spans: dict[tuple[int, int], list[Appearance]] = {}
    for appearance in appearances:
        if appearance.start_offset is None or appearance.end_offset is None:
            continue
        spans.setdefault((appearance.start_offset, appearance.end_offset), []).append(appearance)
    pieces: list[Piece] = []
    cursor = 0
    for (start, end), group in sorted(spans.items()):
        if start < cursor:  # overlaps the previous span: fold it in
            pieces[-1].appearances.extend(group)
            continue
        if start > cursor:
            pieces.append(Piece(text[cursor:start]))
        pieces.append(Piece(text[start:end], sorted(group, key=lambda a: -(a.score or 0))))
        cursor = end
    if cursor < len(text):
        pieces.append(Piece(text[cursor:]))
    return pieces
