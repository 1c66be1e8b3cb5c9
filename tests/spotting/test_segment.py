"""Segmentation and attribution on our own demo articles."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

import pytest

from claimtrack.spotting.segment import CHUNK_CHARS, attribute, chunks, segment_article, split_sentences

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"


def segments_of(name: str):  # type: ignore[no-untyped-def]
    text = (ARTICLES / name).read_text(encoding="utf-8")
    return text, segment_article(text)


def test_offsets_point_at_the_segment_text() -> None:
    text, segments = segments_of("envoy-optimism.txt")
    assert segments
    for segment in segments:
        assert text[segment.start : segment.end] == segment.text


def test_abbreviations_do_not_split_sentences() -> None:
    text = "The U.S. envoy met Mr. Smith in Kyiv. Talks went on late."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["The U.S. envoy met Mr. Smith in Kyiv.", "Talks went on late."]


def test_headline_and_body_are_separate_sentences() -> None:
    spans = split_sentences("A headline without a full stop\n\nThe body starts here.")
    assert len(spans) == 2


def test_quote_with_trailing_attribution() -> None:
    _text, segments = segments_of("envoy-optimism.txt")
    quote = next(s for s in segments if s.kind == "quote")
    assert quote.query == "We are in the final ten metres"
    assert quote.speaker_mention == "Kellogg"


def test_pronoun_takes_the_last_named_speaker() -> None:
    _text, segments = segments_of("envoy-optimism.txt")
    again = next(s for s in segments if "two major issues" in s.text)
    assert again.speaker_mention == "Kellogg"
    assert again.query.startswith("only two major issues")


@pytest.mark.parametrize(
    ("sentence", "claim", "mention"),
    [
        ("According to the Kremlin spokesperson, a deal needs radical changes.", "a deal needs radical changes.", "the Kremlin spokesperson"),
        ("Peskov said that the proposals need work.", "the proposals need work.", "Peskov"),
        ("In Kyiv, the Ukrainian president insisted that land must be returned.", "land must be returned.", "the Ukrainian president"),
        ("The deal is close, Kellogg said on Tuesday.", "The deal is close", "Kellogg"),
        ("Prices rose sharply in the autumn.", "Prices rose sharply in the autumn.", None),
    ],
)
def test_attribution_patterns(sentence: str, claim: str, mention: str | None) -> None:
    assert attribute(sentence) == (claim, mention)


def test_unattributed_text_has_no_speakers() -> None:
    _text, segments = segments_of("unrelated-local-news.txt")
    assert all(s.kind == "sentence" for s in segments)
    assert {s.speaker_mention for s in segments} <= {None, "Organisers"}


def test_news_copy_splits_at_sentence_ends_only() -> None:
    # Pins the splitter's behaviour on what news copy holds: dates, times, titles, quotes, ellipses, questions.
    text = (
        'U.S. envoy Keith Kellogg said on Dec. 2 that a deal is "really close". '
        '"We\'re in the last 10 metres," he told Mr. Smith at 3 p.m. '
        "According to the Kremlin spokesperson, the talks will continue... "
        "Is it true? Dr. Jones disagreed, e.g. on item No. 5."
    )
    assert [text[a:b] for a, b in split_sentences(text)] == [
        'U.S. envoy Keith Kellogg said on Dec. 2 that a deal is "really close".',
        '"We\'re in the last 10 metres," he told Mr. Smith at 3 p.m.',
        "According to the Kremlin spokesperson, the talks will continue...",
        "Is it true?",
        "Dr. Jones disagreed, e.g. on item No. 5.",
    ]


def _one_paragraph(size: int) -> str:
    # Unbalanced opening quotes in one paragraph: the shape that made segmenting quadratic.
    unit = "“a deal is close and the talks go on "
    return (unit * (size // len(unit) + 1))[:size]


def test_a_long_paragraph_is_split_into_bounded_pieces_at_sentence_ends_or_spaces() -> None:
    sentence = "The envoy said the talks went on late into the night. "
    text = sentence * 200 + "x" * 5_000  # ~11,000 characters of sentences, then one unbroken word
    spans = split_sentences(text)
    assert max(b - a for a, b in spans) <= CHUNK_CHARS
    # Pieces of the sentences are whole sentences: a cut falls after a full stop, never mid-word.
    assert {text[a:b] for a, b in spans if b <= len(sentence) * 200} == {sentence.strip()}
    # Nothing is lost: the pieces cover every non-space character, in order.
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_chunks_cover_the_text_without_gaps() -> None:
    text = _one_paragraph(9_000)
    pieces = chunks(text, 0, len(text))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a == prev_b for (_, prev_b), (a, _) in pairwise(pieces))
    assert all(0 < b - a <= CHUNK_CHARS for a, b in pieces)
    assert all(text[b - 1] == " " for _, b in pieces[:-1])  # cut at a space, not inside a word


def _seconds_to_segment(text: str) -> float:
    best = float("inf")
    for _ in range(3):  # the best of three: a busy machine slows a run, never speeds it up
        started = time.perf_counter()
        segment_article(text)
        best = min(best, time.perf_counter() - started)
    return best


def test_segmenting_time_grows_linearly_with_one_long_paragraph() -> None:
    small = _seconds_to_segment(_one_paragraph(20_000))
    large = _seconds_to_segment(_one_paragraph(200_000))
    # Ten times the text: linear work takes about ten times as long, quadratic work a hundred.
    assert large / max(small, 1e-3) < 30, (small, large)
