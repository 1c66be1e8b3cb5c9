"""Spotting known statements in new articles: text extraction, segmentation, the live index, review.

The scoring itself is a plain library (:mod:`claimtrack.matching`); this package
connects it to the database and the web.
"""
