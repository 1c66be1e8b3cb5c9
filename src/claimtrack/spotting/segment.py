"""Splitting an article into the pieces that are matched: sentences and quoted spans,
each with the speaker the text attributes it to, when it says.

Sentence boundaries come from sentencex, a maintained rule-based splitter
that knows abbreviations ("U.S.", "Mr.") in some 300 languages and returns
character offsets, so a match can be highlighted in the original text. A paragraph longer than
CHUNK_CHARS is first cut into chunks at sentence ends or spaces, so no step (the splitter, the quote
and attribution patterns, the matcher) ever works on an unbounded piece: an article's time grows with
its length, not with the square of its longest paragraph. Attribution is found with a few patterns
that cover how news copy names a speaker: '"...," Kellogg said',
'Peskov said that ...', 'according to the Kremlin spokesperson, ...'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import get_sentence_boundaries

SPEECH_VERBS = (
    "said|says|told|added|insisted|argued|claimed|stated|warned|declared|noted|explained|repeated|wrote|"
    "maintained|stressed|suggested|predicted|promised"
)
# A name ("Keith Kellogg", "Zelensky") or a role ("the Kremlin spokesperson", "the Ukrainian president").
NAME = r"(?:[Tt]he\s+)?(?:[A-Z][\w.'’-]*\s+){0,3}(?:[A-Z][\w.'’-]*|[a-z][\w-]+)"
PRONOUNS = {"he", "she", "they"}
#: The longest piece of a paragraph handed to the sentence splitter (see :func:`chunks`).
CHUNK_CHARS = 2_000

# Where a long paragraph is best cut: after a sentence's end (and a closing quote), else at a space.
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+")
_SPACE = re.compile(r"\s+")

_QUOTE = re.compile(r"[\"“]([^\"”]{3,}?)[\"”]")
_AFTER_QUOTE = re.compile(rf"^\s*,?\s*(?P<name>(?:he|she|they)\b|{NAME})\s+(?:{SPEECH_VERBS})\b|^\s*,?\s*(?:{SPEECH_VERBS})\s+(?P<name2>{NAME})")
_SAID_THAT = re.compile(rf"^(?:[A-Z][^,]{{0,40}},\s*)?(?P<name>(?:He|She|They)\b|{NAME})\s+(?:(?:also|again|later|then)\s+)?(?:{SPEECH_VERBS})(?:\s+(?:reporters|journalists|the\s+\w+))?(?:\s+(?:on|in)\s+\w+)?(?:\s+that)?[\s,:]+(?P<claim>.+)$")
_ACCORDING_TO = re.compile(rf"^(?:[Aa]ccording to)\s+(?P<name>{NAME}),\s*(?P<claim>.+)$")
# The words after the verb must be a short tail ("on Tuesday"), not a reported clause ("that ...").
_TRAILING = re.compile(
    rf"^(?P<claim>.+?),\s*(?P<name>(?:he|she|they)\b|{NAME})\s+(?:{SPEECH_VERBS})\b(?:\s+(?!that\b)[\w'’-]+){{0,4}}[.!?]?$"
)


@dataclass(frozen=True)
class Segment:
    """A piece of the article to match: its text, where it is, and who said it (as written)."""

    text: str
    start: int
    end: int
    kind: str  # "sentence" or "quote"
    speaker_mention: str | None = None
    #: What is matched: the sentence without its attribution ("X said that"), or the quote.
    query: str = ""


def _last_cut(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """The end of the last ``pattern`` match in the second half of ``text[start:end]``."""
    cut = None
    for found in pattern.finditer(text, start + (end - start) // 2, end):
        cut = found.end()
    return cut


def chunks(text: str, start: int, end: int, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` as consecutive (start, end) pieces of at most ``size`` characters.

    Each piece ends after a sentence's end where the second half of the window has one, else
    at a space, else (one unbroken word) at ``size`` itself.
    """
    pieces = []
    while end - start > size:
        limit = start + size
        cut = _last_cut(_SENTENCE_END, text, start, limit) or _last_cut(_SPACE, text, start, limit) or limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence; paragraphs (blank-line separated) never run together,
    and no sentence is longer than :data:`CHUNK_CHARS`."""
    spans: list[tuple[int, int]] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        for base, chunk_end in chunks(text, paragraph.start(), paragraph.end()):
            spans.extend(_sentences_in(text, base, chunk_end))
    return spans


def _sentences_in(text: str, base: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for piece in get_sentence_boundaries("en", text[base:end]):
        start = base + piece["start_index"]
        stop = base + piece["end_index"]
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        while start < stop and text[start].isspace():
            start += 1
        if stop > start:
            spans.append((start, stop))
    return spans


def _clean_mention(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().rstrip(",.")
    return name or None


def attribute(sentence: str) -> tuple[str, str | None]:
    """The claim part of a sentence and the speaker mention it names, if any."""
    for pattern in (_ACCORDING_TO, _TRAILING, _SAID_THAT):
        found = pattern.match(sentence.strip())
        if found and found.group("claim").strip():
            return found.group("claim").strip(), _clean_mention(found.group("name"))
    return sentence, None


def segment_article(text: str) -> list[Segment]:
    """Sentences and quoted spans of ``text``, with attributed speakers.

    A pronoun ("he said") takes the speaker last named in the article.
    """
    segments: list[Segment] = []
    last_named: str | None = None
    for start, end in split_sentences(text):
        sentence = text[start:end]
        claim, mention = attribute(sentence)
        quotes = []
        for quote in _QUOTE.finditer(sentence):
            after = _AFTER_QUOTE.match(sentence[quote.end():])
            quote_mention = _clean_mention(after.group("name") or after.group("name2")) if after else None
            quotes.append((quote, quote_mention))
            mention = mention or quote_mention
        if mention and mention.lower() in PRONOUNS:
            mention = last_named
        elif mention:
            last_named = mention
        segments.append(Segment(sentence, start, end, "sentence", mention, claim))
        for quote, quote_mention in quotes:
            if len(quote.group(1).split()) < 3:
                continue
            if quote_mention and quote_mention.lower() in PRONOUNS:
                quote_mention = last_named
            segments.append(
                Segment(
                    quote.group(1),
                    start + quote.start(1),
                    start + quote.end(1),
                    "quote",
                    quote_mention or mention,
                    quote.group(1).strip(" ,.;:"),
                )
            )
    return segments
