from haystack import indexes

from .models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """Published articles. Issue 5 replaces the analysis with a Chinese-aware schema."""

    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title")
    section = indexes.CharField(model_attr="section__name")
    year = indexes.IntegerField(model_attr="issue__year")

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            Article.objects.published()
            .select_related("issue", "section")
            .prefetch_related("authorships__person", "authorships__organisation")
        )
