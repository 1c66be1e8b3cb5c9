"""Splitting an article into the pieces that are matched: sentences and quoted spans,
each with the speaker the text attributes it to, when it says.

Sentence boundaries come from sentencex, a maintained rule-based splitter
that knows abbreviations ("U.S.", "Mr.") in some 300 languages and returns
character offsets, so a match can be highlighted in the original text. Attribution is found with a few patterns
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


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence; paragraphs (blank-line separated) never run together."""
    spans: list[tuple[int, int]] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        base = paragraph.start()
        for piece in get_sentence_boundaries("en", paragraph.group()):
            start = base + piece["start_index"]
            end = base + piece["end_index"]
            while end > start and text[end - 1].isspace():
                end -= 1
            while start < end and text[start].isspace():
                start += 1
            if end > start:
                spans.append((start, end))
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
