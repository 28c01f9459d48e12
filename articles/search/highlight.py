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
    # Spaces between characters are not part of a match (matching.py): "2024年" marks "2024 年".
    alternatives = sorted(
        (r"\s*".join(map(re.escape, _fold(piece))) for piece in pieces), key=len, reverse=True
    )
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _one_for_one_folds():
    """Letters and digits that the index folds to another single character (full-width forms,
    compatibility ideographs). Punctuation is left alone: queries never match it."""
    table = {}
    for code in range(0x80, 0x10000):
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded != char and folded.isalnum():
            table[code] = folded
    return table


_FOLDS = _one_for_one_folds()
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLDS) + "]")


def _fold(text):
    """``text`` as the index sees its letters and digits, one character for one, so that
    offsets in the folded text are offsets in the original."""
    if not _FOLDABLE.search(text):  # nearly always: a regex scan is much cheaper than translate
        return text
    return text.translate(_FOLDS)


def mark(text: str, query_words) -> str:
    """``text`` escaped, with every match of the query in <mark>."""
    pattern = _pattern(query_words)
    if pattern is None:
        return escape(text)
    return mark_safe(_marked(text, _fold(text), pattern, 0, len(text)))


def highlight(article, query_words) -> str:
    """An HTML snippet of the body around the first match, every match in <mark>."""
    text = " ".join(body_text(article).split())
    folded = _fold(text)
    pattern = _pattern(query_words)
    first = pattern.search(folded) if pattern else None
    start = max(0, first.start() - SNIPPET // 3) if first else 0
    end = min(len(text), start + SNIPPET)
    body = _marked(text, folded, pattern, start, end) if pattern else escape(text[start:end])
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))


def _marked(text, folded, pattern, start, end):
    parts, position = [], start
    for match in pattern.finditer(folded, start, end):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        position = match.end()
    parts.append(escape(text[position:end]))
    return "".join(parts)
