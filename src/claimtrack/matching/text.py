"""Text cleaning and tokenisation shared by indexing and querying.

Statements and incoming articles/tweets go through the same analyser so that
their terms meet in the index.  Tweet-like noise (links, the embed trailer
``— Name (@handle) Month D, YYYY``, camel-cased hashtags) is cleaned first
because it otherwise dominates short texts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from .stopwords import STOP_WORDS

_STEMMER = Stemmer.Stemmer("english")

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# "— Name (@handle) Month D, YYYY" at the end of an embedded tweet.
_TRAILER = re.compile(
    r"\s*[\u2014\u2013-]{1,2}\s*([^\u2014\u2013]{0,80}?)\s*\(@\w+\)\s*(?:" + _MONTHS + r")\.?\s+\d{1,2},\s+\d{4}\s*$"
)
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@(\w+)")
# Splits "DefundTheCBC" -> Defund The CBC, "COVID19Test" -> COVID 19 Test.
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_PERCENT = re.compile(r"(\d)\s*%|\bper\s+cent\b", re.IGNORECASE)
_APOSTROPHE = re.compile(r"(\w)['\u2019](\w)")
_TOKEN = re.compile(r"[a-z0-9]+")
_THOUSANDS = re.compile(r"(\d),(\d{3})\b")


def split_camel(word: str) -> str:
    """Split a camel-cased identifier into words: ``"ImpeachTrump"`` -> ``"Impeach Trump"``."""
    parts = _CAMEL.findall(word)
    return " ".join(parts) if parts else word


def fold(text: str) -> str:
    """Lower-case and strip accents/compatibility forms (``"Café ﬁne"`` -> ``"cafe fine"``)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def clean_text(text: str) -> str:
    """Remove tweet/web noise while keeping every word a reader would see.

    Drops URLs, ``pic.twitter.com`` links and the handle/date of the embed
    trailer (its author name is kept: claims often say who said it), splits
    hashtags and @mentions into words, and spells ``%`` out as ``percent``.
    The result keeps case so that hashtag splitting can use it.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    # Each pattern only runs when its trigger character is present: statements
    # are mostly plain prose and bulk indexing a million of them must be cheap.
    if "://" in text or "www." in text or "pic.twitter" in text:
        text = _URL.sub(" ", text)
    if "(@" in text:
        # Keep the author's name from the trailer (claims often name who said it), drop handle and date.
        text = _TRAILER.sub(lambda m: " " + m.group(1), text)
    if "#" in text:
        text = _HASHTAG.sub(lambda m: " " + split_camel(m.group(1)) + " ", text)
    if "@" in text:
        text = _MENTION.sub(lambda m: " " + split_camel(m.group(1)) + " ", text)
    if "%" in text or "cent" in text:
        text = _PERCENT.sub(lambda m: (m.group(1) or "") + " percent", text)
    if "," in text:
        text = _THOUSANDS.sub(r"\1\2", text)
    return " ".join(text.split())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball English stem of one lower-case word (cached: vocabularies are small)."""
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """Cleaned, folded word tokens without stop words or stemming (for display and fuzzy scoring)."""
    folded = fold(_APOSTROPHE.sub(r"\1\2", clean_text(text)))
    return _TOKEN.findall(folded)


def tokenize(text: str) -> list[str]:
    """Index terms of ``text``: cleaned, folded, stop words removed, stemmed, in order.

    Single letters are dropped except digits, which often carry the claim
    ("5G", "2 million").
    """
    return [stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def fuzzy_form(text: str) -> str:
    """Normalised string for the RapidFuzz stage: stemmed terms joined by spaces."""
    return " ".join(tokenize(text))
