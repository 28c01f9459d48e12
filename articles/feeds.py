"""RSS 2.0 and Atom 1.0 feeds of newly published articles, site-wide and per section."""

import html
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Exists, F, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator

from bulletin.models import Publication
from issues.models import Issue

from .models import Article, Section

FEED_LENGTH = 30
DESCRIPTION_LENGTH = 200
DEFAULT_TITLE = "最新文章"


def one_line(text: str) -> str:
    """``text`` with its whitespace collapsed to single spaces."""
    return " ".join(text.split())


def html_to_text(value: str) -> str:
    """The text a reader sees of the HTML ``value``: no tags, entities read as characters."""
    return one_line(html.unescape(strip_tags(value)))


def as_html(text: str) -> str:
    """Plain ``text`` for a feed element that readers render as HTML: escaped once here (the
    XML writer escapes once more), so text that looks like a tag stays text in the reader."""
    return html.escape(text, quote=False)


def item_summary(article, length=DESCRIPTION_LENGTH) -> str:
    """The article's summary (plain text, as the site shows it), else the opening ``length``
    characters of its body, as plain text."""
    return one_line(article.summary) or Truncator(html_to_text(article.body)).chars(length)


@dataclass(frozen=True)
class FeedScope:
    """What one request's feed covers. Feed instances are shared between requests, so the
    per-request state travels in this object (the framework's ``obj``), never on ``self``."""

    publication: Publication | None
    section: Section | None = None


class LatestArticlesFeed(Feed):
    """Published articles of the current publication's published issues, newest issue first.

    Readers render an RSS title or description as HTML, an Atom title or subtitle as text and
    an Atom summary as HTML: ``text_element`` prepares the plain text of the first kind, item
    descriptions (RSS descriptions and Atom summaries) are always escaped.
    """

    feed_type = Rss201rev2Feed
    language = "zh-cn"
    # The unique id defaults to the item's absolute link: the article URL, which is permanent.
    item_guid_is_permalink = True
    text_element = staticmethod(as_html)

    def get_object(self, request, *args, **kwargs):
        return FeedScope(publication=Publication.objects.current())

    def title(self, obj):
        return self.text_element(self.title_text(obj))

    def title_text(self, obj):
        name = obj.publication.name if obj.publication else ""
        if obj.section is not None:
            return f"{name} · {obj.section.name}" if name else obj.section.name
        return name or DEFAULT_TITLE

    def description(self, obj):
        return self.text_element(self.description_text(obj))

    def description_text(self, obj):
        if obj.section is not None and obj.section.description:
            return one_line(obj.section.description)
        if obj.publication is not None:
            return one_line(obj.publication.description) or f"{obj.publication.name}最新文章"
        return DEFAULT_TITLE

    def link(self, obj):
        if obj.section is not None:
            return obj.section.get_absolute_url()
        return reverse("bulletin:home")

    def items(self, obj):
        if obj.publication is None:
            return Article.objects.none()
        # The same rule as Article.objects.of_current_publication(), with the row in hand.
        articles = Article.objects.published().filter(issue__publication=obj.publication)
        if obj.section is not None:
            articles = articles.filter(section__in=obj.section.get_descendants(include_self=True))
        articles = articles.filter(issue__in=self.newest_issues(obj.publication, articles))
        articles = articles.select_related("issue", "section").with_authors().in_print_order()
        # Newest issue first; within an issue, the print order in_print_order() defines.
        print_order = articles.query.order_by
        return articles.order_by(
            F("issue__published_at").desc(nulls_last=True),
            "-issue__year",
            "-issue__number",
            *print_order,
        )[:FEED_LENGTH]

    def newest_issues(self, publication, articles):
        """Ids of the FEED_LENGTH newest issues holding any of ``articles``: the feed's items all
        come from them (each holds one at least), so the print-order sort below covers a few
        issues' articles rather than the whole archive (one small query, index-backed)."""
        issues = (
            Issue.objects.filter(publication=publication, status=Issue.Status.PUBLISHED)
            .filter(Exists(articles.filter(issue=OuterRef("pk"))))
            .order_by(F("published_at").desc(nulls_last=True), "-year", "-number")
        )
        return list(issues.values_list("pk", flat=True)[:FEED_LENGTH])

    def item_title(self, item):
        return self.text_element(item.title)

    def item_description(self, item):
        return as_html(item_summary(item))

    def item_author_name(self, item):
        names = [a.display_name for a in item.authorships.all() if a.display_name]
        return "、".join(names) or None

    def item_pubdate(self, item):
        published_at = item.issue.published_at
        return timezone.localtime(published_at) if published_at else None

    def item_updateddate(self, item):
        # Atom wants an entry's last change; a correction after publishing moves it forward.
        published_at = item.issue.published_at
        updated_at = max(item.updated_at, published_at) if published_at else item.updated_at
        return timezone.localtime(updated_at)

    def item_categories(self, item):
        return [item.section.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    # Atom's title and subtitle elements are type="text": readers show them as they are.
    text_element = staticmethod(str)

    def subtitle(self, obj):
        return self.description_text(obj)


class SectionFeedMixin:
    """A section's feed: its articles and those of all its descendant sections."""

    def get_object(self, request, slug):
        return FeedScope(
            publication=Publication.objects.current(),
            section=get_object_or_404(Section.objects.listed(), slug=slug),
        )


class SectionArticlesFeed(SectionFeedMixin, LatestArticlesFeed):
    pass


class SectionArticlesAtomFeed(SectionFeedMixin, LatestArticlesAtomFeed):
    pass
