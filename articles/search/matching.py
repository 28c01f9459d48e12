"""What a match is: one definition for the index, the database fallback and the tests.

An article matches a query when every query word occurs, as a substring, in its *searchable
text*: its title, subtitle, kicker, authors' names (as printed and as recorded), source,
author note and body text, each folded by ``fold`` and joined by "\\n" (a character no query
word holds, so a word never spans two fields). Folding is NFKC (full-width forms) and
lowercase; whitespace is dropped except one space between two letters/digits ("2024 年" and
"2024年" are one, "hello world" keeps its space); in the body, inline tags do not break a word
(<strong>协商</strong>议事 holds 协商议事) but block boundaries (</p><p>, <br>) do.

A word that begins or ends with a Latin letter or digit matches whole words only at that end:
"gdp" is not found inside "gdps" and "20" not inside "2024" (the index's terms are whole Latin
words, and so a substring test here agrees with it).

Not searched: the issue's title (every article of "2024年第1期" would match 2024年) and the
section's name; readers filter by year and section instead.

Query words are separated by spaces; a quoted part (“…”, "…" or 「…」) is one word whatever
spaces it holds, folded the same way. Quote marks are never required in the text.
"""

import html
import re
import unicodedata

import nh3

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SEPARATOR = "\n"
_SPACES = re.compile(r"[^\S\n]+")
# A space survives only between two letters/digits that are not Chinese characters.
_DROPPED_SPACE = re.compile(rf"(?<![^\W_{CJK}]) | (?![^\W_{CJK}])")
_LINES = re.compile(r" *\n[\s]*")
_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|div|br|hr|h[1-6]|li|ul|ol|table|thead|tbody|tr|td|th|blockquote|figure"
    r"|figcaption|pre|section|article|header|footer|dl|dt|dd|caption)\b[^>]*>",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"“([^”]*)”?|\"([^\"]*)\"?|「([^」]*)」?|‘([^’]*)’?")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_LATIN = re.compile(rf"[^\W_{CJK}]")


def fold(text: str) -> str:
    """Text as matching sees it (see the module docstring); newlines are kept as breaks."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _SPACES.sub(" ", text)
    text = _DROPPED_SPACE.sub("", text)
    return _LINES.sub("\n", text).strip()


def fold_line(text: str) -> str:
    """A one-line field (a title may hold a manual line break: it does not break a word)."""
    return fold((text or "").replace("\n", " ").replace("\r", " "))


def html_text(body: str) -> str:
    """The body's text: block boundaries become line breaks, inline tags vanish."""
    text = _BLOCK.sub("\n", body or "")
    return html.unescape(nh3.clean(text, tags=set()))


def searchable_text(article, authorships=None) -> str:
    """The folded fields of ``article``, title first, subtitle second, kicker third (ranking
    reads them by line), the body last (the only field with line breaks)."""
    if authorships is None:
        authorships = list(article.authorships.all()) if article.pk else []
    names = []
    for authorship in authorships:
        names.append(authorship.printed_name)
        if authorship.author is not None:
            names.append(authorship.author.name)
    fields = [article.title, article.subtitle, article.kicker, " ".join(n for n in names if n)]
    fields += [article.source, article.author_note]
    lines = [fold_line(value) for value in fields]
    return SEPARATOR.join([*lines, fold(html_text(article.body))])


TITLE, SUBTITLE, KICKER = 0, 1, 2


def field_lines(search_text: str) -> list[str]:
    return search_text.split(SEPARATOR, 3)[:3]


def query_words(text: str) -> list[str]:
    """The folded words of a reader's query: quoted parts whole, the rest split at spaces, the
    punctuation around an unquoted word dropped. Words without a letter or digit are dropped."""
    return list(dict.fromkeys(fold_line(part) for part in query_parts(text)))


def query_parts(text: str) -> list[str]:
    """The words of a query as typed (for showing it back), before folding."""
    found = []
    position = 0
    for match in _QUOTED.finditer(text):
        found += _plain_words(text[position : match.start()])
        found.append(next(group for group in match.groups() if group is not None).strip())
        position = match.end()
    found += _plain_words(text[position:])
    return [part for part in found if _has_letters(part)]


def _plain_words(text):
    return [_EDGES.sub("", word) for word in text.split()]


def _has_letters(word):
    return any(char.isalnum() for char in word)


def word_pattern(word: str) -> re.Pattern:
    """A pattern for ``word`` that respects whole Latin words at its Latin ends."""
    before = r"(?<![^\W_" + CJK + "])" if _LATIN.match(word[:1]) else ""
    after = r"(?![^\W_" + CJK + "])" if _LATIN.match(word[-1:]) else ""
    return re.compile(before + re.escape(word) + after)


def needs_pattern(word: str) -> bool:
    """Whether a plain substring test may be wrong for ``word`` (a Latin end)."""
    return bool(_LATIN.match(word[:1]) or _LATIN.match(word[-1:]))


def contains(search_text: str, word: str) -> bool:
    if needs_pattern(word):
        return word_pattern(word).search(search_text) is not None
    return word in search_text


def matches(search_text: str, words: list[str]) -> bool:
    """The definition itself: every word occurs in the searchable text."""
    return all(contains(search_text, word) for word in words)
