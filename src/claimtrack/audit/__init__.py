"""A record of every write: who, when, what, before and after."""
