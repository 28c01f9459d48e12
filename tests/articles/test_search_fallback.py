"""Search when the index folder is missing, empty or re-created empty: readers still find every
published article (from the database), and `ensure_search_index` builds what is missing."""

import logging
import shutil
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.search.query import search_articles
from tests.articles.test_search_page import count_line, result_titles

SEARCH = reverse("articles:search")
SUN = ["乡村振兴调研报告"]  # the one published article by 孙大伟


def sun_page(client):
    response = client.get(SEARCH, {"q": "孙大伟"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_deleting_the_index_under_a_running_process_falls_back(client, search_corpus, caplog):
    assert result_titles(sun_page(client)) == SUN  # the index answers and is held open
    shutil.rmtree(search_corpus.search_index.path)
    with caplog.at_level(logging.WARNING):
        page = sun_page(client)
    assert result_titles(page) == SUN and count_line(page) == 1
    assert "answering from the database" in caplog.text


@pytest.mark.django_db
def test_a_new_worker_after_the_deletion_falls_back_instead_of_finding_nothing(
    client, search_corpus, caplog
):
    """A process started after the deletion (or another thread) re-creates an empty index on
    first use; it must not answer "no results"."""
    shutil.rmtree(search_corpus.search_index.path)
    search_corpus.search_index.reconnect()
    with caplog.at_level(logging.WARNING):
        page = sun_page(client)
    assert result_titles(page) == SUN and count_line(page) == 1
    assert "answering from the database" in caplog.text
    # and again, now that the (empty) index exists on disk
    assert result_titles(sun_page(client)) == SUN


@pytest.mark.django_db
def test_an_edit_after_the_deletion_does_not_leave_a_partial_index(
    client, search_corpus, django_capture_on_commit_callbacks
):
    search_corpus.search_index.apply_queue()  # as after the corpus's commits: nothing queued
    shutil.rmtree(search_corpus.search_index.path)
    search_corpus.search_index.reconnect()
    economy = search_corpus.economy
    with django_capture_on_commit_callbacks(execute=True):
        economy.title = "民营经济座谈会召开（更正）"
        economy.save()
    assert (search_corpus.search_index.path / "INCOMPLETE").exists()
    # the re-created index holds only the edited article; the others are still found
    assert result_titles(sun_page(client)) == SUN
    results = search_articles("乡村振兴")
    assert results.from_database and results.count == 2


@pytest.mark.django_db
def test_an_empty_index_while_articles_are_published_falls_back(client, search_corpus):
    call_command("clear_index", interactive=False, verbosity=0)
    assert search_corpus.search_index.path.exists()
    assert result_titles(sun_page(client)) == SUN


@pytest.mark.django_db(transaction=True)
def test_deleting_the_index_under_a_live_server(search_corpus, live_server):
    """The real thing: a server answering in its own threads while the folder is deleted."""

    def titles():
        url = f"{live_server.url}{SEARCH}?{urllib.parse.urlencode({'q': '孙大伟'})}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return result_titles(response.read().decode())

    assert titles() == SUN
    shutil.rmtree(search_corpus.search_index.path)
    assert titles() == SUN
    assert titles() == SUN


# -- ensure_search_index -------------------------------------------------------------------------


def run_ensure():
    from io import StringIO

    out = StringIO()
    call_command("ensure_search_index", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_ensure_builds_a_missing_index(search_corpus):
    shutil.rmtree(search_corpus.search_index.path)
    search_corpus.search_index.reconnect()
    assert "missing; building" in run_ensure()
    results = search_articles("孙大伟")
    assert not results.from_database and [h.article.title for h in results.hits] == SUN


@pytest.mark.django_db
def test_ensure_builds_an_incomplete_or_empty_index(search_corpus):
    search_corpus.search_index.apply_queue()
    shutil.rmtree(search_corpus.search_index.path)
    search_corpus.search_index.reconnect()
    assert search_articles("孙大伟").from_database  # re-creates it empty, marked
    assert "incomplete; building" in run_ensure()
    assert not search_articles("孙大伟").from_database
    call_command("clear_index", interactive=False, verbosity=0)
    assert "empty; building" in run_ensure()
    assert not search_articles("乡村振兴").from_database


@pytest.mark.django_db
def test_an_index_of_an_older_schema_falls_back_until_ensure_rebuilds_it(search_corpus):
    """An index built before the exact-match schema (no article_id column, bigrams only) would
    miss every phrase of three characters or more: the database answers until the rebuild."""
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in

    path = search_corpus.search_index.path
    shutil.rmtree(path)
    path.mkdir()
    old = create_in(str(path), Schema(id=ID(stored=True, unique=True), text=TEXT))
    writer = old.writer()
    writer.add_document(id="articles.article.1", text="旧索引")
    writer.commit()
    search_corpus.search_index.reconnect()

    results = search_articles("孙大伟")
    assert results.from_database and [h.article.title for h in results.hits] == SUN
    assert "outdated; building" in run_ensure()
    results = search_articles("孙大伟")
    assert not results.from_database and [h.article.title for h in results.hits] == SUN


@pytest.mark.django_db
def test_ensure_leaves_a_usable_index_alone(search_corpus):
    path = search_corpus.search_index.path
    before = {p.name: p.stat().st_mtime_ns for p in path.iterdir()}
    assert "present; nothing to do" in run_ensure()
    assert {p.name: p.stat().st_mtime_ns for p in path.iterdir()} == before


@pytest.mark.django_db
def test_an_edit_in_the_process_that_saw_the_deletion_is_applied_and_search_falls_back(
    client, search_corpus, django_capture_on_commit_callbacks, caplog
):
    from articles.models import SearchQueueEntry

    search_corpus.search_index.apply_queue()
    assert result_titles(sun_page(client)) == SUN  # this process holds the index open
    shutil.rmtree(search_corpus.search_index.path)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        search_corpus.economy.title = "民营经济座谈会召开（更正）"
        search_corpus.economy.save()
    assert not SearchQueueEntry.objects.exists()  # applied, not left failing in the queue
    assert "Search index update failed" not in caplog.text
    assert result_titles(sun_page(client)) == SUN
    assert search_articles("乡村振兴").count == 2
