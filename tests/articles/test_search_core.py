"""Search: what a reader finds, and the index following every change."""

import logging
import shutil
import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import transaction
from haystack import connections

from articles.models import Article, SearchQueueEntry
from articles.search.analysis import refresh_names, run_terms, runs, term_counts, words
from articles.search.indexing import apply_queue
from articles.search.query import clean_query, search_articles
from issues.services import publish_issue, publish_without_review, unpublish_issue
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    OrganisationFactory,
    PersonFactory,
    SectionFactory,
)
from tests.threads import run_in_threads


@pytest.fixture
def index_dir(tmp_path):
    """A fresh Whoosh index folder for this test."""
    info = connections.connections_info["default"]
    old_path = info["PATH"]
    info["PATH"] = str(tmp_path / "index")
    connections.reload("default")
    yield tmp_path / "index"
    info["PATH"] = old_path
    connections.reload("default")


def titles(results):
    return [hit.article.title for hit in results.hits]


def all_ids(query, **filters):
    results = search_articles(query, page_size=100, **filters)
    assert results.count <= 100
    return {hit.article.pk for hit in results.hits}


# -- analysis ------------------------------------------------------------------------------------


def test_terms_are_units_bigrams_and_trigrams_that_never_span_punctuation():
    assert term_counts("孙大伟，崇左 GDP增长。崇左；孙") == {
        "孙": 1, "大": 1, "伟": 1, "崇": 1, "左": 1, "增": 1, "长": 1, "gdp": 1,
        "孙大": 1, "大伟": 1, "孙大伟": 1, "崇左": 2, "gdp增": 1, "增长": 1, "gdp增长": 1,
    }  # fmt: skip


def test_a_query_run_is_one_term_up_to_three_units_then_its_trigrams_once():
    assert run_terms(["人", "民", "民", "主", "人", "民"]) == [
        "人民民",
        "民民主",
        "民主人",
        "主人民",
    ]
    assert run_terms(["gdp"]) == ["gdp"]
    assert run_terms(["2024", "年"]) == ["2024年"]


def test_names_in_the_database_are_words_for_ranking(db):
    assert "覃美岚" not in words("政协委员覃美岚在会上发言")
    PersonFactory(name="覃美岚")
    OrganisationFactory(name="政协凭祥市委员会")
    refresh_names(force=True)
    found = words("政协委员覃美岚在会上发言，政协凭祥市委员会")
    assert "覃美岚" in found and "政协凭祥市委员会" in found


def test_query_runs_fold_width_and_case():
    assert runs("ＧＤＰ 增长！") == [["gdp"], ["增", "长"]]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  乡村振兴   委员行动 ", "乡村振兴 委员行动"),
        ("\x00孙大伟\x1b\u202e", "孙大伟"),
        ('"AND" OR ( ) * ?', "AND OR"),
        ("！！！。。。", ""),
        ("政" * 500, "政" * 100),
    ],
)
def test_clean_query(raw, cleaned):
    assert clean_query(raw)[0] == cleaned


# -- recall and precision on a corpus with known answers ---------------------------------------


PARAGRAPHS = [
    "孙大伟来到崇左市龙州县调研，看望慰问基层群众。",
    "会议强调，要在乡村振兴中发挥政协委员作用，推动全过程人民民主走深走实。",
    "委员们围绕民营经济发展建言献策，提出了务实管用的意见建议。",
    "崇左边境贸易持续增长，GDP增长保持较快水平。",
    "大伟同志在乡村一线工作多年。",  # 大伟 without 孙: must not match 孙大伟
    "全过程的人民民主实践不断深化。",  # 人民民主 but not 全过程人民民主
]


@pytest.fixture
def corpus(db, index_dir, django_capture_on_commit_callbacks):
    """Eight published articles mixing the paragraphs, one draft, one in a draft issue."""
    combos = [(0,), (1,), (2,), (3,), (4,), (5,), (0, 1), (1, 3), (2, 4)]
    section, child = SectionFactory(name="政协动态"), None
    child = SectionFactory(name="市县政协", parent=section)
    with django_capture_on_commit_callbacks(execute=True):
        issue = IssueFactory(year=2024, number=1)
        made = {}
        for i, combo in enumerate(combos):
            body = "".join(f"<p>{PARAGRAPHS[p]}</p>" for p in combo)
            made[combo] = ArticleFactory(
                issue=issue, section=child if i % 2 else section, title=f"第{i}篇稿件", body=body
            )
        ArticleFactory(
            issue=issue, title="草稿稿件", body=f"<p>{PARAGRAPHS[0]}</p>", status="draft"
        )
        publish_without_review(issue=issue, comment="测试")
        Article.objects.filter(title="草稿稿件").update(status="draft")
        ArticleFactory(
            issue=IssueFactory(year=2024, number=2),
            title="下期稿件",
            body=f"<p>{PARAGRAPHS[0]}</p>",
            status="published",
        )
    apply_queue()
    for article in made.values():
        article.refresh_from_db()  # publish_issue changed their status in the database
    return made


def expected(corpus, text):
    words = text.split()
    return {
        article.pk
        for combo, article in corpus.items()
        if all(any(w.lower() in PARAGRAPHS[p].lower() for p in combo) for w in words)
    }


@pytest.mark.parametrize(
    "query",
    ["孙大伟", "大伟", "崇左", "乡村振兴", "全过程人民民主", "人民民主", "民营经济", "GDP增长",
     "gdp", "孙大伟 乡村振兴", "崇左 增长", "委员 崇左", "不存在的词语", "伟来"],
)  # fmt: skip
def test_finds_exactly_the_articles_containing_the_query(corpus, query):
    assert all_ids(query) == expected(corpus, query)


def test_unpublished_articles_are_never_found(corpus):
    found = titles(search_articles("孙大伟", page_size=100))
    assert "草稿稿件" not in found and "下期稿件" not in found


def test_title_matches_rank_first(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = corpus[(2,)]
        article.title = "民营经济发展调研"
        article.save()
    assert titles(search_articles("民营经济"))[0] == "民营经济发展调研"


def test_highlight_marks_the_chinese_match(corpus):
    hit = next(h for h in search_articles("崇左市").hits)
    assert "<mark>崇左市</mark>" in hit.highlight


def test_highlight_escapes_html(db, index_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published=True, body="<p>a &lt;b&gt; 协商议事 &lt;script&gt;</p>")
    snippet = search_articles("协商议事").hits[0].highlight
    assert (
        "<mark>协商议事</mark>" in snippet
        and "<script>" not in snippet
        and "&lt;script&gt;" in snippet
    )


def test_filters_by_section_with_children_year_and_author(corpus):
    parent = next(a.section for a in corpus.values() if a.section.parent is None)
    child = next(a.section for a in corpus.values() if a.section.parent is not None)
    everything = all_ids("崇左")
    assert all_ids("崇左", section=parent) == everything  # the parent includes its child
    assert (
        all_ids("崇左", section=child)
        == {a.pk for a in corpus.values() if a.section == child} & everything
    )
    assert all_ids("崇左", year=2023) == set()
    assert all_ids("崇左", year=2024) == everything
    article = corpus[(0,)]
    person = AuthorshipFactory(article=article).person
    organisation = OrganisationFactory(name="政协崇左市委员会")
    AuthorshipFactory(article=corpus[(3,)], person=None, organisation=organisation)
    apply_queue()
    assert all_ids("崇左", author=f"p{person.pk}") == {article.pk}
    assert all_ids("崇左", author=f"o{organisation.pk}") == {corpus[(3,)].pk}


def test_sort_by_date_puts_newer_issues_first(db, index_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in (1, 3, 2):
            issue = IssueFactory(year=2024, number=number)
            ArticleFactory(issue=issue, title=f"第{number}期的报道", body="<p>协商民主</p>")
            publish_without_review(issue=issue, comment="测试")
    assert titles(search_articles("协商民主", sort="date")) == [
        "第3期的报道",
        "第2期的报道",
        "第1期的报道",
    ]


def test_pagination_and_count(db, index_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(25):
            ArticleFactory(published=True, body="<p>提案办理</p>")
    first = search_articles("提案办理", page_size=10)
    third = search_articles("提案办理", page=3, page_size=10)
    beyond = search_articles("提案办理", page=9, page_size=10)
    assert (first.count, len(first.hits), first.num_pages) == (25, 10, 3)
    assert len(third.hits) == 5 and beyond.hits == [] and beyond.count == 25


@pytest.mark.parametrize(
    "query",
    ['"孙大伟', "孙大伟 AND 崇左", "NOT 崇左", "崇左*", "title:崇左", "(崇左", "崇左~2", "\\", "' OR 1=1 --",
     "𠀀𠀁", "😀崇左", "x" * 10000, "\u202e崇左", "5G基站", "：；。", ""],
)  # fmt: skip
def test_hostile_queries_never_fail(corpus, query):
    results = search_articles(query)
    assert results.count == len(results.hits) or results.count > len(results.hits)


def test_single_character_query_is_answered_from_the_database(corpus):
    assert all_ids("崇") == expected(corpus, "崇")


# -- keeping the index current ---------------------------------------------------------------


def test_publish_edit_unpublish_and_delete_update_the_index(
    db, index_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = IssueFactory()
        article = ArticleFactory(issue=issue, body="<p>城市更新</p>", status="approved")
    assert all_ids("城市更新") == set()
    with django_capture_on_commit_callbacks(execute=True):
        publish_without_review(issue=issue, comment="测试")
    assert all_ids("城市更新") == {article.pk}
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        article.body = "<p>老旧小区改造</p>"
        article.save()
    assert all_ids("城市更新") == set() and all_ids("老旧小区") == {article.pk}
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_issue(issue=issue, user=None, reason="测试")
    assert all_ids("老旧小区") == set()
    with django_capture_on_commit_callbacks(execute=True):
        publish_issue(issue=issue)
    assert all_ids("老旧小区") == {article.pk}
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert all_ids("老旧小区") == set()
    assert SearchQueueEntry.objects.count() == 0


def test_unchanged_segments_are_not_reopened(db, index_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published=True, body="<p>城市更新</p>")
    backend = connections["default"].get_backend()
    first = backend.searcher()
    assert backend.searcher() is first  # nothing changed: the very same searcher
    old_readers = {id(reader) for reader, _ in first.reader().leaf_readers()}
    with django_capture_on_commit_callbacks(execute=True):
        added = ArticleFactory(published=True, body="<p>城市更新行动</p>")
    second = backend.searcher()
    new_readers = {id(reader) for reader, _ in second.reader().leaf_readers()}
    assert second is not first and old_readers < new_readers  # the old segment kept, one new
    assert all_ids("更新行动") == {added.pk}


def test_a_rebuilt_index_is_seen_even_at_the_same_generation(
    db, index_dir, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(published=True, body="<p>城市更新</p>")
    assert all_ids("城市更新") == {article.pk}
    # No signal, no queue (the search text is what the index reads, so it changes too).
    Article.objects.filter(pk=article.pk).update(
        body="<p>乡村建设</p>", search_text=article.search_text.replace("城市更新", "乡村建设")
    )
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert all_ids("乡村建设") == {article.pk} and all_ids("城市更新") == set()


def test_renaming_an_author_reindexes_their_articles(
    db, index_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = PersonFactory(name="韦东")
        article = ArticleFactory(published=True, body="<p>正文</p>")
        AuthorshipFactory(article=article, person=person)
    assert all_ids("韦东") == {article.pk}
    with django_capture_on_commit_callbacks(execute=True):
        person.name = "韦东明"
        person.save()
    assert all_ids("韦东明") == {article.pk}


def test_rolled_back_changes_are_not_indexed(db, index_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            ArticleFactory(published=True, body="<p>回滚的稿件</p>")
            raise RuntimeError
    assert all_ids("回滚的稿件") == set() and SearchQueueEntry.objects.count() == 0


def test_a_busy_index_keeps_changes_queued_and_never_errors(
    db, index_dir, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from articles.search import indexing

    def broken(ids):
        raise OSError("index is busy")

    monkeypatch.setattr(indexing, "_apply", broken)
    monkeypatch.setattr(indexing, "ATTEMPTS", 1)
    monkeypatch.setattr(indexing.time, "sleep", lambda s: None)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(published=True, body="<p>排队的更新</p>")  # no exception here
    assert SearchQueueEntry.objects.filter(article_id=article.pk).exists()
    assert "changes stay queued" in caplog.text
    monkeypatch.undo()
    assert apply_queue() == 1
    assert all_ids("排队的更新") == {article.pk}


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_nothing(index_dir):
    """Several threads save articles and apply the queue at once (as web workers would)."""
    issue = IssueFactory(published=True)
    section = SectionFactory()

    def worker(n):
        for i in range(4):
            with transaction.atomic():
                ArticleFactory(issue=issue, section=section, status="published",
                               body=f"<p>并发写入第{n}组第{i}篇</p>")  # fmt: skip
            apply_queue()

    assert run_in_threads(worker, 4) == []
    apply_queue()
    assert search_articles("并发写入", page_size=100).count == 16


@pytest.mark.django_db(transaction=True)  # writers read the names for jieba
def test_first_writers_racing_to_create_the_index_lose_nothing(index_dir):
    """Workers that find no index yet must not re-create it over each other's writes."""
    barrier = threading.Barrier(6)

    def worker(n):
        backend = connections["default"].get_backend()  # one per thread, as in haystack
        barrier.wait()
        for i in range(5):
            with backend.writer() as writer:
                writer.add_document(id=f"t.{n}.{i}", django_ct="t.t", django_id=str(i))

    assert run_in_threads(worker, 6) == []
    from whoosh import index

    assert index.open_dir(index_dir).doc_count() == 30


@pytest.mark.django_db(transaction=True)  # writers read the names for jieba
def test_a_failed_commit_does_not_keep_the_index_locked(index_dir, monkeypatch):
    from whoosh.writing import SegmentWriter

    backend = connections["default"].get_backend()

    def broken_commit(self, *args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(SegmentWriter, "commit", broken_commit)
        with pytest.raises(OSError), backend.writer() as writer:
            writer.add_document(id="t.1", django_ct="t.t", django_id="1")
    with backend.writer() as writer:  # would wait for Whoosh's lock, then raise LockError
        writer.add_document(id="t.2", django_ct="t.t", django_id="2")
    from whoosh import index

    assert index.open_dir(index_dir).doc_count() == 1


def test_writer_lock_serialises_processes(tmp_path):
    """Two processes writing one Whoosh index through the lock both succeed (no LockError)."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(__import__("pathlib").Path(__file__).resolve().parents[2])!r})
        from whoosh import index, fields
        from articles.search.backend import writer_lock
        path = {str(tmp_path / "ix")!r}
        for i in range(30):
            with writer_lock(path):
                ix = index.open_dir(path)
                writer = ix.writer(timeout=0)  # would raise LockError if another held it
                writer.add_document(id=sys.argv[1] + str(i))
                writer.commit()
        """
    )
    from whoosh import fields, index

    (tmp_path / "ix").mkdir()
    index.create_in(tmp_path / "ix", fields.Schema(id=fields.ID(stored=True)))
    procs = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert index.open_dir(tmp_path / "ix").doc_count() == 60


# -- when the index is gone --------------------------------------------------------------------


def test_an_empty_index_answers_without_the_database(db, index_dir, caplog):
    ArticleFactory(status="draft", body="<p>政协委员</p>")
    with caplog.at_level(logging.WARNING):
        results = search_articles("政协")
    assert (results.count, results.from_database, caplog.records) == (0, False, [])


def test_missing_index_falls_back_to_the_database(corpus, index_dir, caplog):
    shutil.rmtree(index_dir)
    connections.reload("default")
    (index_dir).write_text("not a folder")  # unreadable: the backend cannot even create it
    with caplog.at_level(logging.WARNING):
        results = search_articles("孙大伟 乡村振兴", page_size=100)
    assert results.from_database
    assert {h.article.pk for h in results.hits} == expected(corpus, "孙大伟 乡村振兴")
    assert "answering from the database" in caplog.text
    index_dir.unlink()
    connections.reload("default")


def test_an_engine_that_does_not_fit_whoosh_answers_from_the_database_and_logs_an_error(
    corpus, monkeypatch, caplog
):
    """A Whoosh without a name the engine reads (what checks.py refuses at start-up): readers
    still get their answer, and the log an error with the traceback, not a mere warning."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from articles.search import engine

    engine.cache.clear()  # postings read before would spare the engine the missing name
    monkeypatch.delattr(W3LeafMatcher, "_read_data")
    with caplog.at_level(logging.WARNING):
        results = search_articles("孙大伟 乡村振兴", page_size=100)
    assert results.from_database
    assert {h.article.pk for h in results.hits} == expected(corpus, "孙大伟 乡村振兴")
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info[0] is AttributeError


def test_a_key_error_in_the_engine_is_logged_as_a_failure(corpus, monkeypatch, caplog):
    """A KeyError is a LookupError, but not the query the index cannot answer by design."""
    from articles.search import engine

    def broken(*args, **kwargs):
        raise KeyError("recency")

    monkeypatch.setattr(engine, "search", broken)
    with caplog.at_level(logging.WARNING):
        results = search_articles("孙大伟")
    assert results.from_database and results.count == len(expected(corpus, "孙大伟"))
    assert [record.exc_info[0] for record in caplog.records] == [KeyError]


def test_the_database_answers_for_printed_author_lines_too(db, index_dir):
    article = ArticleFactory(published=True, body="<p>正文</p>")
    AuthorshipFactory(article=article, printed_name="本刊特约评论员")
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.write_text("not a folder")
    connections.reload("default")
    try:
        results = search_articles("特约评论员")
        assert results.from_database and [h.article.pk for h in results.hits] == [article.pk]
    finally:
        index_dir.unlink()
        connections.reload("default")


def test_rebuild_index_restores_search(corpus, index_dir):
    from django.core.management import call_command

    shutil.rmtree(index_dir)
    connections.reload("default")
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert not search_articles("孙大伟").from_database
    assert all_ids("孙大伟") == expected(corpus, "孙大伟")


def test_only_the_sites_publication_is_searched(db, index_dir, django_capture_on_commit_callbacks):
    from tests.factories import PublicationFactory

    ours = PublicationFactory(slug="ours")
    other = PublicationFactory(slug="other", name="别的刊物")
    with django_capture_on_commit_callbacks(execute=True):
        mine = ArticleFactory(published=True, issue__publication=ours, body="<p>两刊同题</p>")
        ArticleFactory(published=True, issue__publication=other, body="<p>两刊同题</p>")
    assert all_ids("两刊同题") == {mine.pk}


def test_a_new_sub_section_is_found_through_its_parent(
    db, index_dir, django_capture_on_commit_callbacks
):
    parent = SectionFactory(name="理论研究")
    with django_capture_on_commit_callbacks(execute=True):
        first = ArticleFactory(published=True, section=parent, body="<p>调研报告写作</p>")
    child = SectionFactory(name="调研报告", parent=parent)  # after the index cached the tree
    with django_capture_on_commit_callbacks(execute=True):
        second = ArticleFactory(published=True, section=child, body="<p>调研报告写作</p>")
    assert all_ids("调研报告写作", section=parent) == {first.pk, second.pk}


def test_an_article_still_in_the_index_but_unpublished_is_neither_shown_nor_counted(corpus):
    article = corpus[(0,)]
    Article.objects.filter(pk=article.pk).update(status="draft")  # no signal: index is behind
    results = search_articles("孙大伟")
    assert article.pk not in {h.article.pk for h in results.hits}
    assert results.count == len(results.hits)


def test_another_haystack_backend_is_queried_through_searchqueryset(db, monkeypatch):
    """The Elasticsearch path: the query goes through haystack's SearchQuerySet with the
    words as exact phrases and the filters as fields, and the database supplies the articles."""
    from articles.search import query as query_module

    built = {}

    class RecordingSearchQuerySet:
        def __init__(self, filters=()):
            self.filters = list(filters)

        def models(self, *models):
            return self

        def filter(self, **kwargs):
            return RecordingSearchQuerySet([*self.filters, kwargs])

        def order_by(self, *fields):
            built["order_by"] = fields
            return self

        def __getitem__(self, item):
            built["filters"] = self.filters
            return [type("Result", (), {"pk": str(article.pk)})()]

        def count(self):
            return 1

    article = ArticleFactory(published=True)
    monkeypatch.setattr(query_module, "SearchQuerySet", RecordingSearchQuerySet)
    monkeypatch.setattr(query_module, "ChineseWhooshSearchBackend", type("NotThisOne", (), {}))
    results = search_articles("孙大伟 崇左", year=2024, sort="date")
    assert [h.article for h in results.hits] == [article] and results.count == 1
    contents = [f["content"] for f in built["filters"] if "content" in f]
    assert [str(c.query_string) for c in contents] == ["孙大伟", "崇左"]
    assert {"year": 2024} in built["filters"]
    assert built["order_by"] == ("-recency",)
