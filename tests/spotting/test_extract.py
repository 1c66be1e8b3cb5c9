"""Turning uploads and pages into text; bad input gets a clear error."""

from __future__ import annotations

import pytest

from claimtrack.spotting.extract import MAX_TEXT_CHARS, ExtractError, check_text, to_plain_text

ARTICLE_HTML = b"""<!doctype html><html><head><title>Talks</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Envoy upbeat on talks</h1>
<p>The envoy said on Tuesday that a deal to end the fighting was really close, and that only two issues remained.</p>
<p>Officials in Moscow said the American proposals needed radical changes before any agreement could be signed.</p>
</article>
<footer>Copyright Example News. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def test_html_is_reduced_to_the_article_text() -> None:
    text = to_plain_text(ARTICLE_HTML, filename="page.html")
    assert "really close" in text and "radical changes" in text
    assert "Subscribe to our newsletter" not in text
    assert "<p>" not in text


def test_plain_and_markdown_files_are_kept_as_text() -> None:
    assert to_plain_text(b"We are in the last 10 metres.\r\n", filename="a.txt") == "We are in the last 10 metres.\n"
    assert "peacemaker" in to_plain_text(b"# Notes\n\nHe wants to be a peacemaker.", filename="notes.md")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.txt", "empty"),
        (b"   \n\t", "a.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt", "binary"),
        (b"Plain words. " * 1000 + b"\x00 hidden past the first 8 KiB", "a.txt", "NUL bytes"),
        ("caf\u00e9 cr\u00e8me".encode("latin-1"), "a.txt", "not valid UTF-8"),
        (b"%PDF-1.7 ...", "a.pdf", "unsupported file type"),
        (b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>", "a.html", "no article text"),
    ],
)
def test_bad_input_gets_a_clear_error(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        to_plain_text(data, filename=filename)


def test_declared_charset_is_honoured() -> None:
    assert to_plain_text("caf\u00e9".encode("latin-1"), content_type="text/plain", charset="latin-1") == "caf\u00e9"


def test_huge_text_is_refused() -> None:
    with pytest.raises(ExtractError, match="the limit is"):
        check_text("word " * (MAX_TEXT_CHARS // 5 + 1))
