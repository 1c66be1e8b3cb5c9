"""Markdown written by fact-checkers, rendered to HTML that is safe to show anyone.

markdown-it-py parses CommonMark (raw HTML disabled), and nh3 (the Rust
ammonia sanitiser) keeps only a small allow-list of tags, so a rationale can
never carry a script or an event handler onto the public site.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(source: str | None) -> Markup:
    """Sanitised HTML for ``source``; links get rel="nofollow noopener"."""
    if not source:
        return Markup("")
    html = _markdown.render(source)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return Markup(clean)
