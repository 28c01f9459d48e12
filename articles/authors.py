"""Who has a public author page, and what it lists.

People and organisations also hold the editorial staff and the distribution list, which are
internal: only those credited on an article readers can see have a public page. The author
pages, the sitemap, the search form's author filter and the API all ask here.
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
