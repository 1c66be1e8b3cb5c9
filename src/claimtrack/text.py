"""Small text helpers shared by every feature: slugs, whitespace, control characters, counts and dates."""

import datetime as dt
import enum
import re
import unicodedata
from urllib.parse import urlsplit

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(value: str, max_length: int = 80) -> str:
    """An ASCII, lower-case, hyphenated form of ``value`` ("Dmitry Peskov" -> "dmitry-peskov")."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def squash_whitespace(value: str) -> str:
    return " ".join(value.split())


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the noun in the right number: "1 sentence", "3 sentences", "0 suggestions"."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def without_nul(value: str) -> str:
    """``value`` without NUL characters: they carry no meaning in text, and PostgreSQL refuses them."""
    return value.replace("\x00", "")


#: Vertical tab and form feed: Word writes a line break inside a paragraph as \v.
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})
#: What XML 1.0 cannot carry at all, not even escaped: the C0 controls but tab, newline and
#: carriage return, lone surrogates, and the non-characters U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids, so a feed of it always parses."""
    return _NOT_IN_XML.sub("", value)


def clean_text(value: str) -> str:
    """Text as it is stored: \\v and \\f become line breaks; NUL and the other characters XML forbids go.

    Every way in (desk forms, the API, the importer) passes text through here: the controls
    carry no meaning in a quote, PostgreSQL refuses NUL, and any one of them in a stored text
    would make every Atom feed that shows it invalid XML.
    """
    return xml_safe(value.translate(_LINE_BREAKS))


def said_date(day: dt.date | None, precision: enum.Enum | str = "day") -> str:
    """A date shown no more precisely than it is known ("December 2025").

    ``precision`` is a ``DatePrecision`` or its value ("day", "month", "year"); this module stays
    below the models, so it reads the value rather than importing the enum.
    """
    if day is None:
        return "date unknown"
    level = precision.value if isinstance(precision, enum.Enum) else precision
    if level == "year":
        return str(day.year)
    if level == "month":
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


def long_date(day: dt.date | dt.datetime | None) -> str:
    """A date or timestamp as a full day ("3 December 2025"); a timestamp's time is left out."""
    return said_date(day.date() if isinstance(day, dt.datetime) else day)


def is_web_url(value: str) -> bool:
    """True for a full http(s) address: the only kind stored, since stored addresses become links
    (where "javascript:" would run). Surrounding spaces are ignored; spaces inside are not allowed."""
    text = value.strip()
    parts = urlsplit(text)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in text)


def as_sentence(message: str) -> str:
    """A message as a reader sees it: a capital first letter and a full stop. Services write theirs
    to be joined into other sentences ("statement 3 is a draft"); pages and API answers show them whole."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".!?)\"'" else message + "."
