"""Fill Article.search_text for the articles already stored (new saves fill it themselves)."""

from types import SimpleNamespace

from django.db import migrations


def fill_search_text(apps, schema_editor):
    from articles.search.matching import searchable_text

    Article = apps.get_model("articles", "Article")
    articles = Article.objects.prefetch_related("authorships__person", "authorships__organisation")
    for article in articles.iterator(chunk_size=500):
        # Historical models have neither Authorship.author nor the authors' __str__.
        authorships = [
            SimpleNamespace(
                printed_name=a.printed_name,
                author=SimpleNamespace(name=(a.person or a.organisation).name)
                if (a.person_id or a.organisation_id)
                else None,
            )
            for a in article.authorships.all()
        ]
        text = searchable_text(article, authorships)
        Article.objects.filter(pk=article.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_article_search_text")]

    operations = [migrations.RunPython(fill_search_text, migrations.RunPython.noop)]
