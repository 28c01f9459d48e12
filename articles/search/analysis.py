"""Turning Chinese text into index terms.

Text is cut into *runs* at punctuation and spaces; a run is a sequence of *units*, each one
Chinese character or one word of Latin letters/digits ("2024", "gdp"). Each run yields the
bigrams of its units at consecutive positions, and each Latin/digit unit alone as well. A
query run then matches exactly where its units appear side by side in the text: a phrase of
its bigrams (or the single term for a two-unit run).
"""

import re
import threading
import unicodedata

from whoosh.analysis import Token, Tokenizer

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"(?:[{_CJK}]|[0-9a-z]+)+")
_UNIT = re.compile(rf"[{_CJK}]|[0-9a-z]+")
RUN_GAP = 2  # position gap between runs, so no phrase spans a punctuation mark


def normalise(text: str) -> str:
    """Fold full-width forms and case, as both the index and queries see text."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[list[str]]:
    """The runs of ``text`` as lists of units."""
    return [_UNIT.findall(match.group(0)) for match in _RUN.finditer(normalise(text))]


def run_terms(units: list[str]) -> list[str]:
    """The phrase that finds ``units``: their bigrams, or the one unit of a short run."""
    if len(units) == 1:
        return units
    return [units[i] + units[i + 1] for i in range(len(units) - 1)]


def is_searchable(units: list[str]) -> bool:
    """A lone Chinese character is not indexed on its own (only in bigrams)."""
    return len(units) > 1 or not _is_cjk(units[0])


def _is_cjk(unit: str) -> bool:
    return len(unit) == 1 and bool(re.match(rf"[{_CJK}]", unit))


class BigramTokenizer(Tokenizer):
    """Whoosh tokenizer emitting unit bigrams (and Latin/digit words) with positions."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for units in runs(value):
            for index, unit in enumerate(units):
                if index + 1 < len(units):
                    token.text = unit + units[index + 1]
                    token.boost = 1.0
                    token.stopped = False
                    if positions:
                        token.pos = position
                    yield token
                if not _is_cjk(unit) or len(units) == 1:
                    token.text = unit
                    token.boost = 1.0
                    token.stopped = False
                    if positions:
                        token.pos = position
                    yield token
                position += 1
            position += RUN_GAP


def BigramAnalyzer():  # noqa: N802  (whoosh analyzers are built by functions with class-like names)
    return BigramTokenizer()


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


def add_words(words):
    """Teach the segmenter names it should keep whole (people, organisations)."""
    tokenizer = jieba_tokenizer()
    for word in words:
        word = normalise(word).strip()
        if len(word) >= 2:
            tokenizer.add_word(word, freq=200000)


def words(text: str) -> list[str]:
    """The words of ``text`` in jieba's search mode, without punctuation or single characters."""
    tokenizer = jieba_tokenizer()
    return [
        word
        for run in _RUN.findall(normalise(text))
        for word in tokenizer.cut_for_search(run, HMM=False)
        if len(word) > 1
    ]


class JiebaTokenizer(Tokenizer):
    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, word in enumerate(words(value), start=start_pos):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = position
            yield token


def JiebaAnalyzer():  # noqa: N802
    return JiebaTokenizer()
