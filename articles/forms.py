"""The readers' search form: validates the GET parameters of /search/ and of /api/search/.

Nothing a reader types may fail the page: a parameter that does not validate is dropped (the
search runs without it) and ``notices`` says so in plain Chinese. The choices cost one query
each (sections, years); an author filter one more.
"""

import re
import unicodedata

from django import forms

from articles.authors import public_authors
from articles.models import Section
from articles.search.query import MAX_QUERY_LENGTH
from issues.models import Issue
from people.models import Organisation, Person

SORT_CHOICES = [("relevance", "按相关度"), ("date", "按日期（新的在前）")]
INDENT = "\u3000"  # an ideographic space: browsers keep it at the start of an <option>
AUTHOR_KEY = re.compile(r"([po])([1-9][0-9]{0,17})")
MAX_PAGE = 10**6  # far beyond any real result list; keeps absurd numbers out of the backend

NOTICES = {
    "section": "没有找到所选栏目，已按全部栏目搜索。",
    "year": "所选年份没有已发布的期刊，已按全部年份搜索。",
    "author": "没有找到该作者的已发布文章，已取消作者筛选。",
}


def section_choices():
    """The sections readers see, in tree order (one query)."""
    fields = ("pk", "name", "slug", "parent", "tree_id", "lft", "rght", "level")
    return list(Section.objects.listed().only(*fields))


def published_years():
    """Years with a published issue of the site's publication, newest first."""
    return list(Issue.objects.public().order_by("-year").values_list("year", flat=True).distinct())


def published_author(key):
    """The person or organisation ``key`` ("p12", "o3") names, if it has a public author page
    (the people tables also hold staff and the distribution list: guessing ids reveals none)."""
    match = AUTHOR_KEY.fullmatch(key or "")
    if not match:
        return None
    return (
        public_authors(Person if match[1] == "p" else Organisation).filter(pk=int(match[2])).first()
    )


class QueryField(forms.CharField):
    """Text as typed; NUL characters are dropped rather than refused (CharField's validator
    would reject the whole query)."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


class SearchForm(forms.Form):
    q = QueryField(label="搜索词", required=False)
    section = forms.ChoiceField(label="栏目", required=False)
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)
    author = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data=None, *, with_choices=True, **kwargs):
        """``with_choices=False`` (the API) validates section and year by lookup instead of
        loading every choice."""
        super().__init__(data, **kwargs)
        self.with_choices = with_choices
        self.author_object = None
        if with_choices:
            self.sections = section_choices()
            self.fields["section"].choices = [("", "全部栏目")] + [
                (s.slug, INDENT * s.level + s.name) for s in self.sections
            ]
            self.fields["year"].choices = [("", "全部年份")] + [
                (year, f"{year}年") for year in published_years()
            ]
        else:
            self.fields["section"] = forms.CharField(required=False)
            self.fields["year"] = forms.IntegerField(required=False, min_value=1, max_value=9999)

    def clean_section(self):
        value = self.cleaned_data.get("section")
        if not value:
            return None
        if self.with_choices:
            return next(s for s in self.sections if s.slug == value)
        return self.lookup_section(value)

    def lookup_section(self, value):
        """The API's section: an id (digits) or a slug, of a listed section."""
        sections = Section.objects.listed()
        if value.isdigit() and len(value) <= 18:
            section = sections.filter(pk=int(value)).first()
        else:
            section = sections.filter(slug=value[:100]).first()
        if section is None:
            raise forms.ValidationError(NOTICES["section"], code="unknown")
        return section

    def clean_author(self):
        value = self.cleaned_data.get("author")
        if not value:
            return ""
        self.author_object = published_author(value)
        if self.author_object is None:
            raise forms.ValidationError(NOTICES["author"], code="unknown")
        return value

    def clean_sort(self):
        return self.cleaned_data.get("sort") or "relevance"

    def clean_page(self):
        return min(self.cleaned_data.get("page") or 1, MAX_PAGE)

    # -- what the view uses ----------------------------------------------------------------

    DEFAULTS = {
        "q": "",
        "section": None,
        "year": None,
        "author": "",
        "sort": "relevance",
        "page": 1,
    }

    def value(self, name):
        """The cleaned value of ``name``, or its default when it did not validate."""
        self.is_valid()
        return self.cleaned_data.get(name, self.DEFAULTS[name])

    @property
    def query(self):
        """The query as typed, for search_articles() (which cleans and cuts it itself)."""
        return self.value("q")

    @property
    def display_query(self):
        """The query for the search box: as typed, without control characters, at most the
        length that is searched."""
        text = "".join(ch for ch in self.query if not _invisible(ch))
        return text[:MAX_QUERY_LENGTH].strip()

    def select(self, name):
        """The <select> of ``name`` showing the value in use (an ignored one shows as 全部), without
        the error attributes of a bound field: an ignored value is not the reader's error."""
        value = self.value(name)
        if name == "section" and value is not None:
            value = value.slug
        widget = self.fields[name].widget
        return widget.render(name, "" if value is None else value, attrs={"id": f"search-{name}"})

    @property
    def section_select(self):
        return self.select("section")

    @property
    def year_select(self):
        return self.select("year")

    @property
    def has_filters(self):
        return any(self.value(name) for name in ("section", "year", "author"))

    @property
    def notices(self):
        """Gentle messages for parameters that were ignored (page and sort are dropped silently)."""
        self.is_valid()
        messages = [NOTICES[name] for name in ("section", "year", "author") if name in self.errors]
        if len(self.value("q")) > MAX_QUERY_LENGTH:
            messages.append(f"搜索词过长，只按前{MAX_QUERY_LENGTH}个字搜索。")
        return messages

    def search_kwargs(self):
        """Keyword arguments for search_articles()."""
        return {
            "section": self.value("section"),
            "year": self.value("year"),
            "author": self.value("author") or None,
            "sort": self.value("sort"),
            "page": self.value("page"),
        }

    def params(self, **changes):
        """The valid parameters as a dict for links (empty ones left out), with ``changes``."""
        section = self.value("section")
        params = {
            "q": self.display_query,
            "section": section.slug if section else "",
            "year": self.value("year") or "",
            "author": self.value("author"),
            "sort": "" if self.value("sort") == "relevance" else self.value("sort"),
        }
        params.update(changes)
        return {key: value for key, value in params.items() if value not in ("", None)}


def _invisible(character):
    """Control and direction-override characters: kept out of the page."""
    return (
        unicodedata.category(character) == "Cc"
        or "\u202a" <= character <= "\u202e"
        or ("\u2066" <= character <= "\u2069")
    )
