"""Highlighting Chinese matches (haystack's highlighter splits on Western word boundaries,
which Chinese does not have)."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search_indexes import body_text

SNIPPET = 120  # characters shown around the first match


def _pattern(query_words):
    """A pattern matching any piece of the query (pieces: the words split at punctuation)."""
    pieces = {piece for word in query_words for piece in re.split(r"[\W_]+", word) if piece}
    if not pieces:
        return None
    alternatives = sorted((re.escape(_fold(piece)) for piece in pieces), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _fold(text):
    """Full-width letters and digits to half-width, one character for one (offsets stay)."""
    return "".join(
        folded if len(folded := unicodedata.normalize("NFKC", char)) == 1 else char for char in text
    )


def mark(text: str, query_words) -> str:
    """``text`` escaped, with every match of the query in <mark>."""
    pattern = _pattern(query_words)
    if pattern is None:
        return escape(text)
    return mark_safe(_marked(text, pattern, 0, len(text)))


def highlight(article, query_words) -> str:
    """An HTML snippet of the body around the first match, every match in <mark>."""
    text = " ".join(body_text(article).split())
    pattern = _pattern(query_words)
    first = pattern.search(_fold(text)) if pattern else None
    start = max(0, first.start() - SNIPPET // 3) if first else 0
    end = min(len(text), start + SNIPPET)
    body = _marked(text, pattern, start, end) if pattern else escape(text[start:end])
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))


def _marked(text, pattern, start, end):
    parts, position = [], start
    for match in pattern.finditer(_fold(text), start, end):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        position = match.end()
    parts.append(escape(text[position:end]))
    return "".join(parts)
