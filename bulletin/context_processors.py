from django.utils.functional import SimpleLazyObject

from .models import Publication


def publication(request):
    """The site's publication for the page chrome; queried only if a template uses it."""
    return {"publication": SimpleLazyObject(Publication.objects.current)}
