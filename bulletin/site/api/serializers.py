"""Model instances to plain dicts for JsonResponse. Only fields readers may see."""

from django.urls import reverse
from django.utils import timezone

from issues.models import IssueCredit

CREDIT_KEYS = {
    IssueCredit.Role.EDITOR: "editors",
    IssueCredit.Role.PROOFREADER: "proofreaders",
    IssueCredit.Role.APPROVER: "approvers",
}


def _iso_datetime(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def issue_summary(request, issue, article_count):
    return {
        "year": issue.year,
        "number": issue.number,
        "total_number": issue.total_number,
        "title": issue.display_title,
        "publish_date": issue.publish_date.isoformat() if issue.publish_date else None,
        "published_at": _iso_datetime(issue.published_at),
        "url": request.build_absolute_uri(issue.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            reverse("api:issue", kwargs={"year": issue.year, "number": issue.number})
        ),
        "cover": request.build_absolute_uri(issue.cover.url) if issue.cover else None,
        "article_count": article_count,
    }


def credits(issue_credits):
    """{"editors": [...], "proofreaders": [...], "approvers": [...]}: names, in the order given."""
    by_role = {key: [] for key in CREDIT_KEYS.values()}
    for credit in issue_credits:
        by_role[CREDIT_KEYS[credit.role]].append(credit.person.name)
    return by_role


def author(request, authorship):
    person_or_organisation = authorship.author
    return {
        "name": person_or_organisation.name,
        "role": authorship.get_role_display() if authorship.role else "",
        "kind": authorship.kind,
        "url": request.build_absolute_uri(person_or_organisation.get_absolute_url()),
    }


def article_summary(request, article):
    """An entry of an issue's table of contents."""
    return {
        "id": article.pk,
        "title": article.title,
        "subtitle": article.subtitle,
        "authors": [author(request, a) for a in article.authorships.all()],
        "page": article.start_page,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("api:article", kwargs={"pk": article.pk})),
    }


def article_detail(request, article):
    issue = article.issue
    return {
        "id": article.pk,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "issue": {
            "year": issue.year,
            "number": issue.number,
            "total_number": issue.total_number,
            "title": issue.display_title,
        },
        "section": {"id": article.section_id, "name": article.section.name},
        "title": article.title,
        "subtitle": article.subtitle,
        "authors": [author(request, a) for a in article.authorships.all()],
        "page": article.start_page,
        "source": article.source,
        "author_note": article.author_note,
        "body_html": article.body,  # sanitized when saved (Article.save)
        "published_at": _iso_datetime(issue.published_at),
    }


def section(request, section):
    return {
        "id": section.pk,
        "name": section.name,
        "slug": section.slug,
        "parent": section.parent_id,
        "level": section.level,
        "url": request.build_absolute_uri(section.get_absolute_url()),
        "article_count": section.article_count,
    }


def search_hit(request, hit):
    """A search result: the article, and a snippet of its text with the matches in <mark>."""
    article = hit.article
    issue = article.issue
    return {
        "id": article.pk,
        "title": article.title,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("api:article", kwargs={"pk": article.pk})),
        "issue": {"year": issue.year, "number": issue.number, "title": issue.display_title},
        "section": {"id": article.section_id, "name": article.section.name},
        "highlight": str(hit.highlight),  # HTML: escaped text, matches in <mark>
    }
