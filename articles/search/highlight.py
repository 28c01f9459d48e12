"""Highlighting Chinese matches in a snippet of the article (haystack's highlighter splits on
Western word boundaries, which Chinese does not have)."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search_indexes import body_text

from .analysis import normalise

SNIPPET = 120  # characters around the first match


def highlight(article, query_words) -> str:
    """An HTML snippet of the body around the first match, every match in <mark>."""
    pieces = sorted({piece for word in query_words for piece in re.split(r"[\W_]+", word) if piece},
                    key=len, reverse=True)  # fmt: skip
    text = " ".join(body_text(article).split())
    if not pieces:
        return escape(text[:SNIPPET])
    pattern = re.compile("|".join(re.escape(normalise(piece)) for piece in pieces), re.IGNORECASE)
    folded = normalise(text)
    if len(folded) != len(text):  # NFKC changed the length: match on the text as it is
        folded, pattern = text, re.compile("|".join(map(re.escape, pieces)), re.IGNORECASE)
    first = pattern.search(folded)
    start = max(0, first.start() - SNIPPET // 3) if first else 0
    end = min(len(text), start + SNIPPET)
    snippet, marked, position = [], folded[start:end], 0
    for match in pattern.finditer(marked):
        snippet.append(escape(text[start + position : start + match.start()]))
        snippet.append(f"<mark>{escape(text[start + match.start() : start + match.end()])}</mark>")
        position = match.end()
    snippet.append(escape(text[start + position : end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(snippet) + suffix)
