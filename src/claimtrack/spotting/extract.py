"""Turning what a user gives us (pasted text, an uploaded file, a fetched page) into plain text.

HTML is reduced to the article's own text by trafilatura, a maintained
main-content extractor, so navigation, footers and comments do not produce
false matches.
"""

from __future__ import annotations

import datetime as dt
import re

#: The longest text checked for repeats, some forty pages of print; longer text is refused, never cut.
MAX_TEXT_CHARS = 200_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")

_HTML_HINT = re.compile(rb"<(!doctype html|html|body|p|div|article)[\s>]", re.IGNORECASE)


class ExtractError(ValueError):
    """The input cannot be turned into text; the message says why and what to do."""


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Decode bytes as the declared charset, else UTF-8 (with or without BOM).

    :raise ExtractError: for binary data or bytes that are not valid in the encoding.
    """
    if not data.strip():
        raise ExtractError("the input is empty")
    if b"\x00" in data:  # anywhere, not only near the start: PostgreSQL refuses NUL in text
        raise ExtractError("the input looks like a binary file, not text (it contains NUL bytes)")
    encoding = (charset or "utf-8").lower()
    try:
        text = data.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except LookupError:
        raise ExtractError(f"unknown character encoding {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise ExtractError(
            f"the input is not valid {encoding.upper()} text (bad byte at position {exc.start}); save it as UTF-8"
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text[:8192]) * 0.05:
        raise ExtractError("the input looks like a binary file, not text")
    return text


def html_to_text(html: str) -> str:
    """The main text of an HTML page.

    :raise ExtractError: when no article text can be found.
    """
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not text or not text.strip():
        raise ExtractError("no article text could be found in the HTML")
    return text


def html_published_on(data: bytes, *, content_type: str = "", charset: str | None = None) -> dt.date | None:
    """The publication date an HTML page declares, as trafilatura reads its metadata; None when it gives none.

    A date after today is not believed: the desk would refuse it, and the user gave none to correct.
    """
    if "html" not in content_type and not looks_like_html(data):
        return None
    from trafilatura import extract_metadata

    try:
        found = extract_metadata(decode_text(data, charset)).date
        day = dt.date.fromisoformat(found[:10]) if found else None
    except (ExtractError, ValueError):
        return None
    return day if day is not None and day <= dt.date.today() else None


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_HINT.search(data[:4096]))


def to_plain_text(data: bytes, *, filename: str = "", content_type: str = "", charset: str | None = None) -> str:
    """Plain text from an uploaded or fetched document (.txt, .md, .html).

    :raise ExtractError: for unsupported types, binary or wrongly encoded input, empty or huge text.
    """
    name = filename.lower()
    is_html = name.endswith(HTML_SUFFIXES) or "html" in content_type
    if not is_html and not name.endswith(TEXT_SUFFIXES) and not content_type.startswith("text/"):
        if name or content_type:
            raise ExtractError(f"unsupported file type {filename or content_type!r}: use .txt, .md or .html")
        is_html = looks_like_html(data)
    text = decode_text(data, charset)
    if is_html:
        text = html_to_text(text)
    return check_text(text)


def too_long_message(count: int, limit: int) -> str:
    """What the form and the command line say about a text over the limit: its count and the limit."""
    return f"the text has {count:,} characters; the limit is {limit:,}: check it in parts"


def check_text(text: str) -> str:
    """Normalise line endings and enforce the size limits on text to be matched.

    :raise ExtractError: when the text is empty or longer than MAX_TEXT_CHARS.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ExtractError("the input is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractError(too_long_message(len(text), MAX_TEXT_CHARS))
    return text
