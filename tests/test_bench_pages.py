"""The page benchmark's corpus and verdict (bench/pages_corpus.py, bench/pages_report.py): the
corpus is what the site shows readers, and a missed target is reported as missed."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import pages_corpus  # noqa: E402
import pages_report  # noqa: E402


def test_archive_shape_follows_issue_12():
    spec = pages_corpus.Spec(articles=50000, seed=1)
    assert (spec.issues, spec.people) == (3600, 5000)
    calendar = list(pages_corpus.issue_calendar(spec))
    assert len(calendar) == 3600
    assert len({(pub, year, number) for pub, year, number, _ in calendar}) == 3600
    assert {year for _, year, _, _ in calendar} == set(range(2006, 2026))

    fifteen = pages_corpus.Spec(articles=50000, seed=1, publications=15)
    numbers = {number for _, _, number, _ in pages_corpus.issue_calendar(fifteen)}
    assert numbers == set(range(1, 13))  # fifteen monthly bulletins


@pytest.mark.django_db
def test_corpus_is_what_readers_see(client):
    spec = pages_corpus.Spec(articles=300, seed=3)
    counts = pages_corpus.build(spec, progress=lambda _: None)
    assert pages_corpus.stored_spec() == spec

    from articles.models import Article
    from issues.models import Issue

    public = Article.objects.public()
    assert counts["articles"] == Article.objects.count() == 300
    assert 0 < Article.objects.count() - public.count() < 30  # a draft issue and a few drafts
    assert public.filter(authorships__person__isnull=False).distinct().count() > 150
    article = public.order_by("pk").first()
    assert len(article.body_text) >= 1500
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert article.title in page.text
    issue = Issue.objects.public().newest_first().first()
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


def point(connections, rps, p95=10.0, errors=0):
    return {"connections": connections, "rps": rps, "p95_ms": p95, "error_count": errors,
            "errors": {"status": errors}}  # fmt: skip


def test_missed_targets_fail():
    results = [
        {"name": "static", "kind": "static", "points": [point(10, 1000), point(50, 1000)]},
        {"name": "home", "kind": "cached", "points": [point(10, 600), point(50, 600)]},
        {"name": "article", "kind": "cached", "points": [point(10, 400), point(50, 400)]},
        {"name": "article, uncached", "kind": "uncached",
         "points": [point(10, 100, p95=49.0), point(50, 100, errors=2)]},
        {"name": "sitemap.xml", "kind": "cached",  # no answer within the run at one connection
         "points": [point(1, 0.0, p95=None), point(10, 800), point(50, 800)]},
    ]  # fmt: skip
    verdict = {}
    for name, _, _, ok in pages_report.checks(results):
        verdict.setdefault(name.split(":")[0], []).append(ok)
    assert verdict == {
        "home": [True],
        "article": [False],  # 40 % of the static file's rate
        "article, uncached": [True],
        "sitemap.xml": [True, False],
        "errors at 50 connections (every page)": [False],
    }
