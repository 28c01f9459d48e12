"""Turning Chinese text into index terms.

Text is cut into *runs* at punctuation and spaces; a run is a sequence of *units*, each one
Chinese character or one word of Latin letters/digits ("2024", "gdp"). Each run yields the
bigrams of its units, and each Latin/digit unit alone as well (a lone Chinese character only
when it is a run by itself). A query run matches an article that has every one of its terms:
the index keeps no positions (they would double its size and halve the indexing rate), and
text that holds all the bigrams of a phrase but not the phrase itself is very rare.

Indexing counts terms directly (``term_counts``) instead of going through Whoosh's token
stream, which costs several times more per character.
"""

import operator
import re
import threading
import time
import unicodedata
from collections import Counter

from whoosh.analysis import Token, Tokenizer

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"(?:[{_CJK}]|[0-9a-z]+)+")
_UNIT = re.compile(rf"[{_CJK}]|[0-9a-z]+")
_ALL_CJK = re.compile(rf"[{_CJK}]+")


def normalise(text: str) -> str:
    """Fold full-width forms and case, as both the index and queries see text."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[list[str]]:
    """The runs of ``text`` as lists of units."""
    return [_UNIT.findall(match.group(0)) for match in _RUN.finditer(normalise(text))]


def run_terms(units: list[str]) -> list[str]:
    """The terms an article must have to contain ``units``: their bigrams, or the one unit."""
    if len(units) == 1:
        return list(units)
    return list(dict.fromkeys(map(operator.add, units[:-1], units[1:])))


def is_searchable(units: list[str]) -> bool:
    """A lone Chinese character is not indexed on its own (only in bigrams)."""
    return len(units) > 1 or not _is_cjk(units[0])


def _is_cjk(unit: str) -> bool:
    return len(unit) == 1 and bool(_ALL_CJK.match(unit))


def term_counts(text: str) -> Counter:
    """Every index term of ``text`` with its number of occurrences."""
    counts = Counter()
    for run in _RUN.findall(normalise(text)):
        if _ALL_CJK.fullmatch(run):
            units = run  # a string is a sequence of its characters
        else:
            units = _UNIT.findall(run)
            counts.update(unit for unit in units if not _is_cjk(unit))
        if len(units) == 1:
            if _is_cjk(units[0]):
                counts[units[0]] += 1
        else:
            counts.update(map(operator.add, units[:-1], units[1:]))
    return counts


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
