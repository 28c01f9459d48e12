"""Turning Chinese text into index terms.

Text is cut into *runs* at punctuation and spaces; a run is a sequence of *units*, each one
Chinese character or one word of Latin letters/digits ("2024", "gdp"). Each run yields its
units, the pairs (bigrams) and triples (trigrams) of neighbouring units. A query run of up to
three units is one term, so the index answers it exactly; a longer run needs every one of its
trigrams, which makes candidates that are not hits rare (民主全过程 needs 民主全, which real
prose holding 全过程人民民主 and 参政议政全过程 does not have), and the candidates are then
verified against the articles' search text (matching.py), so every hit is exact.

Indexing counts terms directly (``term_counts``) instead of going through Whoosh's token
stream, which costs several times more per character. Indexed text is already folded by
matching.fold (Article.search_text); ``normalise`` folds again only for other callers.
"""

import operator
import re
import threading
import time
import unicodedata
from collections import Counter

from whoosh.analysis import Token, Tokenizer

from .matching import CJK as _CJK

_RUN = re.compile(rf"(?:[{_CJK}]|[0-9a-z]+)+")
_UNIT = re.compile(rf"[{_CJK}]|[0-9a-z]+")
_ALL_CJK = re.compile(rf"[{_CJK}]+")
LONGEST_TERM = 3  # units in a term; a query run up to this long is answered exactly


def normalise(text: str) -> str:
    """Fold full-width forms and case, as both the index and queries see text."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[list[str]]:
    """The runs of ``text`` as lists of units."""
    return [_UNIT.findall(match.group(0)) for match in _RUN.finditer(normalise(text))]


def run_terms(units: list[str]) -> list[str]:
    """The terms an article must have to contain ``units``: the run itself when it is a term,
    else its trigrams."""
    if len(units) <= LONGEST_TERM:
        return ["".join(units)]
    return list(
        dict.fromkeys(a + b + c for a, b, c in zip(units, units[1:], units[2:], strict=False))
    )


def is_exact(word: str) -> bool:
    """Whether the index alone answers ``word`` exactly (one run, one term, nothing else)."""
    found = runs(word)
    return len(found) == 1 and len(found[0]) <= LONGEST_TERM and "".join(found[0]) == word


def term_counts(text: str) -> Counter:
    """Every index term of ``text`` with its number of occurrences; Chinese characters alone and
    trigrams count once whatever their number (they find, bigrams and Latin words rank; a
    posting list of ones is stored in a few bytes, which keeps the index in its size target)."""
    counts = Counter()
    present = set()
    add = operator.add
    for run in _RUN.findall(normalise(text)):
        if _ALL_CJK.fullmatch(run):
            units = run  # a string is a sequence of its characters
            present.update(units)
        else:
            units = _UNIT.findall(run)
            for unit in units:
                if _is_cjk(unit):
                    present.add(unit)
                else:
                    counts[unit] += 1
        if len(units) > 1:
            pairs = list(map(add, units[:-1], units[1:]))
            counts.update(pairs)
            if len(units) > 2:
                present.update(map(add, pairs[:-1], units[2:]))
    counts.update(present)  # no term is both counted and present (their shapes differ)
    return counts


def _is_cjk(unit: str) -> bool:
    return len(unit) == 1 and bool(_ALL_CJK.match(unit))


class CountingTokenizer(Tokenizer):
    """A Whoosh tokenizer over ``count`` (a function text -> Counter of terms).

    The index calls ``count`` directly (see backend.CountedText); the token stream serves the
    other users of a field's analyzer, such as Whoosh's query parser.
    """

    def __init__(self, count):
        self.count = count

    def __eq__(self, other):
        return type(self) is type(other) and self.count == other.count

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for term, times in self.count(value).items():
            for _ in range(times):
                token.text, token.boost, token.stopped = term, 1.0, False
                if positions:
                    token.pos = position
                    position += 1
                yield token


def BigramAnalyzer():  # noqa: N802  (whoosh analyzers are built by functions with class-like names)
    return CountingTokenizer(term_counts)


# -- jieba words, for ranking ----------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba = None


def jieba_tokenizer():
    """jieba's default tokenizer, loaded once per process."""
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(60)  # its loading messages are noise in logs
            _jieba = jieba.Tokenizer()
            _jieba.initialize()
        return _jieba


NAMES_TTL = 60  # seconds between two looks at the database for new names
_names = {"known": set(), "checked_at": None}


def refresh_names(*, force=False):
    """Teach the segmenter the names of people and organisations in the database, so that it
    keeps them whole (at most once a minute; names only ever get added)."""
    now = time.monotonic()
    checked_at = _names["checked_at"]
    if not force and checked_at is not None and now - checked_at < NAMES_TTL:
        return
    from people.models import Organisation, Person

    names = set(Person.objects.values_list("name", flat=True))
    names |= set(Organisation.objects.values_list("name", flat=True))
    add_words(names - _names["known"])
    _names["known"] |= names
    _names["checked_at"] = now


def add_words(names):
    tokenizer = jieba_tokenizer()
    for name in names:
        name = "".join(normalise(name).split())
        if len(name) >= 2:
            tokenizer.add_word(name, freq=200000)


def words(text: str) -> list[str]:
    """The words of ``text`` in jieba's search mode, without punctuation or single characters."""
    tokenizer = jieba_tokenizer()
    return [
        word
        for run in _RUN.findall(normalise(text))
        for word in tokenizer.cut_for_search(run, HMM=False)
        if len(word) > 1
    ]


def word_counts(text: str) -> Counter:
    return Counter(words(text))


def JiebaAnalyzer():  # noqa: N802
    return CountingTokenizer(word_counts)
