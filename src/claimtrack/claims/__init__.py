"""Statements as said, their sources, topics and the links between them."""
