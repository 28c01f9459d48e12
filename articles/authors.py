"""Who has a public author page, and what it lists.

People and organisations also hold the editorial staff and the distribution list, which are
internal: only those credited on an article readers can see have a public page. The sitemap,
the search form's author filter and the API ask here; the author page applies the same rule to
the author's own articles (Article.objects.by_author(author).public()).
"""

from people.models import Organisation, Person

from .models import Article


def public_people():
    return Person.objects.credited_on(Article.objects.public())


def public_organisations():
    return Organisation.objects.credited_on(Article.objects.public())


def public_authors(model):
    """``public_people()`` or ``public_organisations()``, by model."""
    return public_people() if model is Person else public_organisations()
