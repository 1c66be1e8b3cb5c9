"""Sitemaps (sitemaps.org 0.9): an index, one file for the fixed pages, speakers and topics,
and claim files of at most :data:`CLAIMS_PER_FILE` URLs (the protocol allows 50,000 per file)."""

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


def speaker_slugs(session: Session) -> list[str]:
    return list(session.scalars(select(Speaker.slug).order_by(Speaker.slug)))


def topic_slugs(session: Session) -> list[str]:
    return list(session.scalars(select(Topic.slug).order_by(Topic.slug)))


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
