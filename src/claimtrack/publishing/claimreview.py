"""schema.org ClaimReview JSON-LD for a claim page.

Only a published rating makes a ClaimReview; a claim without one gets none. The
claim page embeds it with Jinja's ``tojson``, which escapes ``<``, ``>``, ``&``
and ``'`` so no quoted claim can close the script element.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claimtrack.publishing.queries import ClaimView
from claimtrack.ratings.scales import get_scale
from claimtrack.text import said_date


def claim_review(
    view: ClaimView,
    *,
    page_url: str,
    organisation_name: str,
    organisation_url: str,
    speaker_url: Callable[[str], str] | None = None,
) -> dict[str, Any] | None:
    """The ClaimReview for ``view``'s current published rating, or None when it has none."""
    rating = view.current_rating
    if rating is None:
        return None
    statement = view.statement
    scale = get_scale(rating.scale)
    review_rating: dict[str, Any] = {
        "@type": "Rating",
        "bestRating": scale.best,
        "worstRating": scale.worst,
        "alternateName": rating.verdict_label,
    }
    # Pending and unverifiable are not points on the scale: no number rather than a made-up one.
    if rating.verdict_info.value is not None:
        review_rating["ratingValue"] = rating.verdict_info.value
    item: dict[str, Any] = {"@type": "Claim"}
    if statement.speaker is not None:
        author: dict[str, Any] = {"@type": "Person", "name": statement.speaker.name}
        if statement.speaker.role_title:
            author["jobTitle"] = statement.speaker.role_title
        if speaker_url is not None:
            author["url"] = speaker_url(statement.speaker.slug)
        item["author"] = author
    if statement.said_on is not None:
        item["datePublished"] = statement.said_on.isoformat()
    if statement.source is not None:
        first: dict[str, Any] = {"@type": "CreativeWork"}
        for key, value in (("url", statement.source.url), ("name", statement.source.title),
                           ("datePublished", statement.source.published_on and statement.source.published_on.isoformat())):
            if value:
                first[key] = value
        if statement.source.publisher:
            first["publisher"] = {"@type": "Organization", "name": statement.source.publisher}
        item["firstAppearance"] = first
    appearances = []
    for appearance in view.appearances:
        url = appearance.article.url if appearance.article else appearance.source.url if appearance.source else None
        if url:
            work: dict[str, Any] = {"@type": "CreativeWork", "url": url}
            if appearance.appeared_on:
                work["datePublished"] = appearance.appeared_on.isoformat()
            appearances.append(work)
    if appearances:
        item["appearance"] = appearances
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": statement.claim or statement.text,
        "itemReviewed": item,
        "reviewRating": review_rating,
        "author": {"@type": "Organization", "name": organisation_name, "url": organisation_url},
    }
    # The fact-check was published with its first version; a later one (update or correction) modifies
    # it, and its note leads the review's body, so readers of the markup learn what changed and why.
    first_version = view.ratings[0] if view.ratings else rating
    if first_version.published_at is not None:
        review["datePublished"] = first_version.published_at.date().isoformat()
    if rating.kind is not None and rating.published_at is not None:
        review["dateModified"] = rating.published_at.date().isoformat()
    if rating.kind is not None and rating.correction_note:
        review["reviewBody"] = f"{rating.kind.note_label}: {' '.join(rating.correction_note.split())}"
    if rating.headline:
        review["name"] = rating.headline
    explanation = " ".join(rating.rationale.split())
    if explanation:
        review["reviewRating"]["ratingExplanation"] = explanation[:500]
    if statement.said_on is not None:
        review["itemReviewed"]["name"] = f"{statement.text} ({said_date(statement.said_on, statement.said_on_precision)})"
    return review

