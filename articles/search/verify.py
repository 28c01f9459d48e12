"""Settling the index's candidates against the definition of a match (matching.py).

A query word of up to three units is one index term, and the index alone answers it exactly.
A longer word's candidates hold all of its trigrams, which does not prove the word is there:
they are checked against Article.search_text. A segment never changes once written (an edited
article's new version goes to a new segment), so the outcome for one word in one segment is
cached with the postings (engine.cache): a word is read from the database once per segment,
and later queries with it cost what an index term costs.

Each hit also gets its tier for ranking: 2 when the title holds every word, 1 when the title,
subtitle or kicker do, else 0.
"""

from dataclasses import dataclass

import numpy as np

from articles.models import Article

from . import engine, matching
from .analysis import is_exact, run_terms, runs
from .engine import Term

CHUNK = 5000  # ids per query (SQLite allows 32,766 parameters)


@dataclass
class Verified:
    """The documents of one segment that hold one word, ascending, and where in them it is."""

    ids: np.ndarray
    in_title: np.ndarray
    in_lead: np.ndarray  # subtitle or kicker

    @property
    def nbytes(self):
        return self.ids.nbytes + self.in_title.nbytes + self.in_lead.nbytes


def word_terms(word):
    return [term for units in runs(word) for term in run_terms(units)]


def verifier(query_words):
    """engine.search's ``verify``: keep the hits that hold every word, with their tiers."""

    def verify(reader, hits):
        keep = np.ones(len(hits), bool)
        in_title = np.ones(len(hits), bool)
        in_head = np.ones(len(hits), bool)  # title, subtitle or kicker
        for word in query_words:
            if is_exact(word):  # every hit holds it; the title and lead fields say where
                (term,) = word_terms(word)
                title = engine.contains(reader, Term("title", term), hits)
                lead = engine.contains(reader, Term("lead", term), hits)
            else:
                key = (reader.segment().segment_id(), "v", word)
                verified = engine.cache.get(key, lambda w=word: _verify_word(reader, w))
                if not len(verified.ids):
                    return hits[:0], np.zeros(0)
                where, present = engine.within(hits, verified.ids)
                keep &= present
                title = present & verified.in_title[where]
                lead = present & verified.in_lead[where]
            in_title &= title
            in_head &= title | lead
        tier = np.where(in_title, 2.0, np.where(in_head, 1.0, 0.0))
        return hits[keep], tier[keep]

    return verify


def _verify_word(reader, word):
    candidates = engine.candidates(reader, [Term("text", term) for term in word_terms(word)])
    pks = engine.column(reader, "article_id")[candidates].tolist()
    found, in_title, in_lead = [], [], []
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        texts = dict(Article.objects.filter(pk__in=chunk).values_list("pk", "search_text"))
        for offset, pk in enumerate(chunk):
            text = texts.get(pk)
            if text is None or not matching.contains(text, word):
                continue
            title, subtitle, kicker = (matching.field_lines(text) + ["", "", ""])[:3]
            found.append(candidates[start + offset])
            in_title.append(matching.contains(title, word))
            in_lead.append(matching.contains(f"{subtitle}\n{kicker}", word))
    return Verified(np.array(found, np.int32), np.array(in_title, bool), np.array(in_lead, bool))
