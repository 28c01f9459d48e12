"""On PostgreSQL with a realistic archive, the readers' pages read the article table through
indexes only: EXPLAIN of every query a page runs shows no sequential scan of it."""

import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Authorship, Section
from issues.models import Issue, IssueSection
from people.models import Person
from tests.factories import PublicationFactory

pytestmark = [
    # Committed rows, so that VACUUM may run: a live site's tables are vacuumed (autovacuum),
    # which lets the planner read counts from the indexes alone.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are PostgreSQL's; run with DATABASE_URL=postgres://…",
    ),
]

YEARS, PER_YEAR, PER_ISSUE = 20, 12, 45  # 240 issues, 10,800 articles
SECTIONS, PEOPLE = 30, 3000


def build_archive():
    """Twenty years of a monthly bulletin, in bulk; then VACUUM ANALYZE, as autovacuum would."""
    rng = random.Random(12)
    publication = PublicationFactory()
    parents = [Section.objects.create(name=f"栏目{n}") for n in range(SECTIONS // 3)]
    sections = parents + [
        Section.objects.create(name=f"子栏目{n}", parent=parents[n % len(parents)])
        for n in range(SECTIONS - len(parents))
    ]
    issues = Issue.objects.bulk_create(
        Issue(publication=publication, year=2000 + y, number=n + 1, status="published")
        for y in range(YEARS)
        for n in range(PER_YEAR)
    )
    IssueSection.objects.bulk_create(
        IssueSection(issue=issue, section=section, order=k)
        for issue in issues
        for k, section in enumerate(sections[:8])
    )
    people = Person.objects.bulk_create(Person(name=f"作者{n}") for n in range(PEOPLE))
    articles = Article.objects.bulk_create(
        Article(
            issue=issue,
            section=rng.choice(sections),
            title=f"{issue.year}年第{issue.number}期第{k}篇",
            body="<p>" + "政协委员围绕中心工作建言献策。" * 20 + "</p>",
            order=k,
            status="published",
        )
        for issue in issues
        for k in range(PER_ISSUE)
    )
    prolific = people[0]
    Authorship.objects.bulk_create(
        Authorship(article=article, person=prolific if n % 20 == 0 else rng.choice(people))
        for n, article in enumerate(articles)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return publication, issues, articles, parents[0], prolific


def article_scans(url, client):
    """The plan lines of the page's queries that read articles_article without an index."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    bad = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if "articles_article" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            if "Seq Scan on articles_article " in plan + " ":
                bad.append((sql, plan))
    return bad


def test_no_page_scans_the_article_table(client):
    publication, issues, articles, section, prolific = build_archive()
    middle = issues[len(issues) // 2]
    pages = {
        "home": reverse("bulletin:home"),
        "issue": middle.get_absolute_url(),
        "article": articles[len(articles) // 2].get_absolute_url(),
        "section": section.get_absolute_url(),
        "section deep page": section.get_absolute_url() + "?page=40",
        "author": reverse("articles:person", args=[prolific.pk]),
        "author deep page": reverse("articles:person", args=[prolific.pk]) + "?page=20",
        "year": reverse("issues:year", args=[middle.year]),
        "feed": reverse("articles:feed_rss"),
        "api issue": reverse("api:issue", args=[middle.year, middle.number]),
        "api article": reverse("api:article", args=[articles[7].pk]),
    }
    found = {name: article_scans(url, client) for name, url in pages.items()}

    scanned = {name: scans for name, scans in found.items() if scans}
    assert not scanned, "\n\n".join(
        f"{name}:\n{sql}\n{plan}" for name, scans in scanned.items() for sql, plan in scans
    )
