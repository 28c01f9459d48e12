from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from articles.models import Article
from bulletin.preview import PublishedOrPreviewMixin, can_preview

from . import printing
from .models import Issue, IssueCredit


def _public_issues():
    return Issue.objects.public().newest_first().with_article_counts()


def archive(request):
    """The years with published issues and how many, and the newest year's issues: one short
    page however long the archive (each earlier year's issues are on its own page)."""
    years = list(
        Issue.objects.public().order_by("-year").values("year").annotate(issue_count=Count("pk"))
    )
    latest = list(_public_issues().filter(year=years[0]["year"])) if years else []
    return render(request, "issues/issue_archive.html", {"years": years, "latest": latest})


def year_archive(request, year):
    issues = list(_public_issues().filter(year=year))
    if not issues:
        raise Http404("No published issue in this year.")
    return render(request, "issues/issue_year.html", {"year": year, "issues": issues})


class IssueDetailView(PublishedOrPreviewMixin, DetailView):
    template_name = "issues/issue_detail.html"
    queryset = Issue.objects.select_related("publication")

    def get_queryset(self):
        return super().get_queryset().of_current_publication()

    def lookup(self, queryset):
        return get_object_or_404(queryset, year=self.kwargs["year"], number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        articles = Article.objects.filter(issue=self.object)
        if not self.is_preview:
            articles = articles.published()
        credits = self.object.credits.select_related("person").order_by("role", "order")
        return super().get_context_data(
            articles=articles.select_related("section").with_authors().in_print_order(),
            credits=_credits_by_role(credits),
            **kwargs,
        )


def _credits_by_role(credits):
    """[(role label, [people])] in colophon order: 编辑, 核稿, 签发."""
    by_role = {}
    for credit in credits:
        by_role.setdefault(credit.role, []).append(credit.person)
    return [(label, by_role[role]) for role, label in IssueCredit.Role.choices if role in by_role]


@never_cache
def issue_proof(request, year, number):
    """整期校样: the whole issue as it prints, in every state, for staff only (404 otherwise,
    as for any unpublished page)."""
    if not can_preview(request.user):
        raise Http404
    issue = get_object_or_404(
        Issue.objects.select_related("publication").of_current_publication(),
        year=year,
        number=number,
    )
    admin_url = reverse("admin:issues_issue_change", args=[issue.pk])
    extra = {"admin_url": admin_url, "pdf_url": reverse("admin:issues_issue_pdf", args=[issue.pk])}
    return HttpResponse(printing.proof_html(issue, request=request, extra_context=extra))
