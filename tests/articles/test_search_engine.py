"""The numpy engine over a plain Whoosh index: it must agree with Whoosh's own matchers."""

import pytest
from whoosh import fields, index
from whoosh import query as wq
from whoosh.columns import NumericColumn

from articles.search import engine
from articles.search.analysis import BigramAnalyzer
from articles.search.backend import CountedText
from articles.search.engine import Term


@pytest.fixture
def ix(tmp_path):
    engine.cache.clear()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        text=CountedText(analyzer=BigramAnalyzer()),
        recency=fields.COLUMN(NumericColumn("q")),
        text_length=fields.COLUMN(NumericColumn("q")),
    )
    return index.create_in(str(tmp_path), schema)


def add(ix, docs, **commit):
    writer = ix.writer()
    for key, text, recency in docs:
        writer.update_document(id=key, text=text, recency=recency, text_length=len(text))
    writer.commit(**commit)


def ids(searcher, docnums):
    return [searcher.stored_fields(n)["id"] for n in docnums]


def test_postings_agree_with_whoosh_across_blocks_and_segments(ix):
    # 700 documents in two segments: long posting lists span several blocks of 128.
    add(ix, [(f"a{n}", "政协委员" if n % 3 else "委员", n) for n in range(400)])
    add(ix, [(f"b{n}", "政协" if n % 2 else "孤例", n) for n in range(300)], merge=False)
    add(ix, [("c", "唯一的词", 1)], merge=False)
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 3
        for term in ["政协", "委员", "协委", "孤例", "唯一", "不存在"]:
            expected = set(wq.Term("text", term).matcher(searcher).all_ids())
            found = set()
            for leaf, base in searcher.leaf_searchers():
                found |= {
                    int(n) + base for n in engine.postings(leaf.reader(), Term("text", term)).ids
                }
            assert found == expected, term
            result = engine.search(searcher, must=[Term("text", term)], rank=[], limit=10_000)
            assert set(result.docnums) == expected and result.total == len(expected)


def test_every_term_is_required_and_deleted_documents_are_gone(ix):
    add(
        ix,
        [
            ("1", "乡村振兴崇左", 1),
            ("2", "乡村振兴", 2),
            ("3", "崇左乡村", 3),
            ("4", "乡村振兴，崇左", 4),
        ],
    )
    writer = ix.writer()
    writer.delete_by_term("id", "4")
    writer.commit()
    with ix.searcher() as searcher:
        must = [Term("text", t) for t in ["乡村", "村振", "振兴", "崇左"]]
        result = engine.search(searcher, must=must, rank=must)
        assert (ids(searcher, result.docnums), result.total) == (["1"], 1)


def test_ranking_prefers_more_occurrences_and_pages_never_repeat(ix):
    docs = [(str(n), "崇左" * (n % 5 + 1) + "其他内容" * 10, n) for n in range(60)]
    add(ix, docs)
    term = Term("text", "崇左")
    with ix.searcher() as searcher:
        top = engine.search(searcher, must=[term], rank=[term], limit=12)
        assert top.total == 60
        assert all(int(key) % 5 == 4 for key in ids(searcher, top.docnums))  # 5 occurrences
        # Ties are broken by recency (newest first): a stable order for paging.
        assert ids(searcher, top.docnums) == sorted(
            ids(searcher, top.docnums), key=int, reverse=True
        )
        pages = [
            ids(
                searcher,
                engine.search(searcher, must=[term], rank=[term], offset=o, limit=7).docnums,
            )
            for o in range(0, 63, 7)
        ]
        flat = [key for page in pages for key in page]
        assert sorted(flat, key=int) == [str(n) for n in range(60)]
        assert engine.search(searcher, must=[term], rank=[term], offset=60).docnums == []


def test_date_order_is_newest_first(ix):
    add(ix, [(str(n), "崇左" * (10 - n), n) for n in range(10)])
    term = Term("text", "崇左")
    with ix.searcher() as searcher:
        result = engine.search(searcher, must=[term], rank=[term], by_date=True, limit=3)
        assert ids(searcher, result.docnums) == ["9", "8", "7"]


def test_the_cache_keeps_within_its_limit():
    cache = engine.SegmentCache(limit=1000)
    for n in range(10):
        cache.get(
            n, lambda: engine.Postings(engine.np.zeros(50, "int32"), engine.np.zeros(50, "float32"))
        )
    assert cache.size <= 1000 and len(cache._items) == 2


def test_small_segments_are_merged_by_tens_and_large_ones_left_alone(ix):
    from articles.search.backend import merge_tiers

    add(ix, [(f"big{n}", "政协", n) for n in range(1200)], merge=False)
    big = ix.refresh()._segments()[0].segment_id()
    for n in range(25):
        add(ix, [(f"small{n}", "委员", n)], mergetype=merge_tiers)
        segments = ix.refresh()._segments()
        assert big in [segment.segment_id() for segment in segments]  # never rewritten
        assert len(segments) <= 1 + 2 * 10
    sizes = sorted(segment.doc_count_all() for segment in ix.refresh()._segments())
    assert sizes[-1] == 1200 and sum(sizes) == 1225 and len(sizes) < 12
    with ix.searcher() as searcher:
        assert engine.search(searcher, must=[Term("text", "委员")], rank=[]).total == 25
