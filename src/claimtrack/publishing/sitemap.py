"""Sitemaps (sitemaps.org 0.9): an index, page files (the fixed pages, then speakers, then topics) of at
most :data:`PAGES_PER_FILE` URLs, and claim files of at most :data:`CLAIMS_PER_FILE` URLs (the protocol
allows 50,000 per file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement, Topic
from claimtrack.speakers.models import Speaker

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
CLAIMS_PER_FILE = 40_000
PAGES_PER_FILE = 40_000

#: The public pages that are always there, first in the first page file.
FIXED_PAGES = ("public.home", "public.speakers", "public.topics", "public.how_we_rate")


def claim_file_count(session: Session) -> int:
    """How many claim sitemap files there are; files hold consecutive id ranges."""
    highest = session.scalar(select(func.max(Statement.id))) or 0
    return (highest + CLAIMS_PER_FILE - 1) // CLAIMS_PER_FILE


def claim_entries(session: Session, number: int) -> list[tuple[int, dt.datetime]]:
    """(statement id, last change) for claim file ``number`` (1-based)."""
    low, high = (number - 1) * CLAIMS_PER_FILE, number * CLAIMS_PER_FILE
    rows = session.execute(
        select(Statement.id, Statement.updated_at)
        .where(Statement.id > low, Statement.id <= high)
        .order_by(Statement.id)
    )
    return [(statement_id, updated) for statement_id, updated in rows]


def page_file_count(session: Session) -> int:
    """How many page files there are (at least one: the fixed pages)."""
    speakers = session.scalar(select(func.count()).select_from(Speaker)) or 0
    topics = session.scalar(select(func.count()).select_from(Topic)) or 0
    return max(1, -(-(len(FIXED_PAGES) + speakers + topics) // PAGES_PER_FILE))


def page_entries(session: Session, number: int) -> list[tuple[str, dict[str, str]]]:
    """(endpoint, URL values) of page file ``number`` (1-based): a slice of the fixed pages, then the
    speakers, then the topics, each in slug order."""
    start, stop = (number - 1) * PAGES_PER_FILE, number * PAGES_PER_FILE
    entries: list[tuple[str, dict[str, str]]] = [(endpoint, {}) for endpoint in FIXED_PAGES[start:stop]]
    start, stop = max(0, start - len(FIXED_PAGES)), stop - len(FIXED_PAGES)
    models: tuple[tuple[str, type[Speaker] | type[Topic]], ...] = (("public.speaker", Speaker), ("public.topic", Topic))
    for endpoint, model in models:
        if stop <= 0:
            break
        slugs = session.scalars(select(model.slug).order_by(model.slug).offset(start).limit(stop - start))
        entries += [(endpoint, {"slug": slug}) for slug in slugs]
        # What this list did not fill comes from the next one, counted from its own start.
        total = session.scalar(select(func.count()).select_from(model)) or 0
        start, stop = max(0, start - total), stop - total
    return entries


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def urlset(entries: Iterable[tuple[str, dt.datetime | None]]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for loc, lastmod in entries:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
        if lastmod is not None:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.date().isoformat()
    return _xml(root)


def sitemap_index(locations: Iterable[str]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for loc in locations:
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP_NS}}}sitemap"), f"{{{SITEMAP_NS}}}loc").text = loc
    return _xml(root)
