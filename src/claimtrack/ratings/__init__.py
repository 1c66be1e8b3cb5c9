"""Verdicts on statements: scales, append-only rating versions, publication."""
