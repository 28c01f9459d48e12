"""Matching and ranking over the Whoosh index with numpy.

Whoosh's matchers step through postings one document at a time in Python. A common bigram
(政协, 发展) has a posting in nearly every article, so counting the hits of a common phrase
at tens of thousands of articles takes Whoosh hundreds of milliseconds, and scoring them
more. Here a term's postings are read a block at a time into numpy arrays, a query's hits
are the intersection of its terms' arrays, and every hit is scored at once (BM25, as
Whoosh's default). A segment never changes once written, so its arrays are cached (bounded
by size); deletions come from the current reader at each query.

The block reading uses the on-disk format of Whoosh 2.7 (pinned in pyproject.toml), and falls
back to the generic matcher for postings kept inline in the term table. It goes through private
names of Whoosh's block matcher: every one is listed in checks.PRIVATE_NAMES, which Django checks
at start-up; a new one used here belongs there too.
"""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher

K1 = 1.2
B = 0.75
CACHE_BYTES = 96 * 2**20  # per process; the common bigrams of 50,000 articles fit
LENGTH_COLUMN = "text_length"  # characters of a document's text field


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass
class Postings:
    ids: np.ndarray  # document numbers within the segment, ascending
    weights: np.ndarray

    @property
    def nbytes(self):
        return self.ids.nbytes + self.weights.nbytes


_EMPTY = Postings(np.zeros(0, np.int32), np.zeros(0, np.float32))


class SegmentCache:
    """Arrays read from immutable segments, least recently used dropped past ``limit`` bytes."""

    def __init__(self, limit=CACHE_BYTES):
        self.limit = limit
        self.size = 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, load):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load()
        nbytes = value.nbytes
        with self._lock:
            if key not in self._items and nbytes <= self.limit:
                self._items[key] = value
                self.size += nbytes
                while self.size > self.limit:
                    _, dropped = self._items.popitem(last=False)
                    self.size -= dropped.nbytes
        return value

    def clear(self):
        with self._lock:
            self._items.clear()
            self.size = 0


cache = SegmentCache()


def postings(reader, term):
    """The postings of ``term`` in one segment reader."""
    if (term.field, term.text) not in reader:
        return _EMPTY
    key = (reader.segment().segment_id(), "p", term.field, term.text)
    return cache.get(key, lambda: _read_postings(reader, term))


def _read_postings(reader, term):
    matcher = reader.postings(term.field, term.text)
    if not isinstance(matcher, W3LeafMatcher):  # a short list kept in the term table
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return Postings(np.array(ids, np.int32), np.array(weights, np.float32))
    id_blocks, weight_blocks = [], []
    while True:
        matcher._read_data()
        deltas, weights = matcher._data[0], matcher._data[1]
        count = len(deltas)
        # A block stores its first id, then differences from the previous id.
        id_blocks.append(np.cumsum(np.array(deltas, np.int64)))
        if weights is None or isinstance(weights, float):
            weight_blocks.append(np.full(count, weights or 1.0, np.float32))
        else:
            weight_blocks.append(np.asarray(weights, np.float32))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return Postings(np.concatenate(id_blocks).astype(np.int32), np.concatenate(weight_blocks))


class _Column:
    def __init__(self, values):
        self.values = values
        self.nbytes = values.nbytes


def column(reader, field):
    """An integer column's values for every document of one segment."""
    key = (reader.segment().segment_id(), "c", field)

    def load():
        values = reader.column_reader(field)
        return _Column(np.fromiter(values, np.int64, reader.doc_count_all()))

    return cache.get(key, load).values


def _within(hits, posting_ids):
    """Positions in ``posting_ids`` of each hit, and whether the hit is there at all."""
    if not len(posting_ids):
        return np.zeros(len(hits), np.int64), np.zeros(len(hits), bool)
    where = np.searchsorted(posting_ids, hits)
    where = np.minimum(where, len(posting_ids) - 1)
    return where, posting_ids[where] == hits


@dataclass
class Ranked:
    docnums: list  # the requested page's document numbers (across segments)
    total: int


TIER = 1e6  # above any BM25 score: a higher tier always ranks first


def search(searcher, *, must, rank, by_date=False, offset=0, limit=20, verify=None, tiers=()):
    """Documents having every term of ``must``: how many, and the page [offset, offset+limit)
    best first by tier, then the BM25 of ``rank``, then recency (or newest first, by the
    ``recency`` column).

    ``verify(reader, hits)``, when given, returns the hits to keep and their tiers (or None);
    otherwise a hit's tier is the highest weight in ``tiers`` (pairs of a weight and a list of
    terms: title terms 2, lead terms 1) whose terms it all has, else 0.
    """
    idf = {term: _idf(searcher, term) for term in rank}
    leaves = [(leaf.reader(), base) for leaf, base in searcher.leaf_searchers()]
    average = _average_length(leaves) if rank and not by_date else 1.0
    keys, docnums, total = [], [], 0
    for reader, base in leaves:
        hits = _matches(reader, must)
        tier = None
        if verify is not None and len(hits):
            hits, tier = verify(reader, hits)
        if not len(hits):
            continue
        if tier is None:
            tier = _tiers(reader, hits, tiers)
        total += len(hits)
        recency = column(reader, "recency")[hits]
        if by_date:
            keys.append((recency, np.zeros(len(hits))))
        else:
            keys.append((tier * TIER + _scores(reader, hits, rank, idf, average), recency))
        docnums.append(hits.astype(np.int64) + base)
    if not total:
        return Ranked([], 0)
    first = np.concatenate([k[0] for k in keys]).astype(np.float64)
    second = np.concatenate([k[1] for k in keys]).astype(np.float64)
    docnums = np.concatenate(docnums)
    wanted = min(offset + limit, total)
    if wanted <= offset:
        return Ranked([], total)
    if wanted < total:  # only the best `wanted` need sorting
        best = np.argpartition(-first, wanted - 1)[:wanted]
        # Ties at the cut must not drop a better-by-second document: take all tied, then sort.
        cut = first[best].min()
        best = np.flatnonzero(first >= cut)
    else:
        best = np.arange(total)
    order = best[np.lexsort((docnums[best], -second[best], -first[best]))]
    return Ranked(docnums[order][offset:wanted].tolist(), total)


def _matches(reader, must):
    lists = sorted((postings(reader, term).ids for term in must), key=len)
    if not lists or not len(lists[0]):
        return np.zeros(0, np.int32)
    hits = lists[0]
    for ids in lists[1:]:
        _, present = _within(hits, ids)
        hits = hits[present]
        if not len(hits):
            return hits
    if reader.has_deletions():
        deleted = np.fromiter(reader.segment().deleted_docs(), np.int32)
        hits = hits[~np.isin(hits, deleted)]
    return hits


def candidates(reader, terms):
    """The documents of one segment having every one of ``terms`` (deletions excluded)."""
    return _matches(reader, terms)


def contains(reader, term, hits):
    """Whether each of ``hits`` has ``term``."""
    return _within(hits, postings(reader, term).ids)[1]


def within(hits, posting_ids):
    return _within(hits, posting_ids)


def _tiers(reader, hits, tiers):
    tier = np.zeros(len(hits), np.float64)
    for weight, terms in tiers:
        has_all = np.ones(len(hits), bool)
        for term in terms:
            has_all &= _within(hits, postings(reader, term).ids)[1]
        tier = np.where(has_all, np.maximum(tier, weight), tier)
    return tier


def _scores(reader, hits, rank, idf, average):
    scores = np.zeros(len(hits), np.float64)
    # Long articles mention everything more often. Only the text field varies enough in length
    # to matter; titles and leads count as equally long.
    text_norm = K1 * ((1 - B) + B * column(reader, LENGTH_COLUMN)[hits] / average)
    for term in rank:
        found = postings(reader, term)
        where, present = _within(hits, found.ids)
        if not present.any():
            continue
        weight = np.where(present, found.weights[where], 0.0)
        norm = text_norm if term.field == "text" else K1
        scores += term.boost * idf[term] * weight * (K1 + 1) / (weight + norm)
    return scores


def _average_length(leaves):
    total = sum(float(column(reader, LENGTH_COLUMN).sum()) for reader, _ in leaves)
    count = sum(reader.doc_count_all() for reader, _ in leaves)
    return total / count if total else 1.0


def _idf(searcher, term):
    frequency = searcher.doc_frequency(term.field, term.text)
    return math.log(searcher.doc_count_all() / (frequency + 1)) + 1
