"""Query helpers shared by the apps' querysets."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_subquery(rows, field):
    """How many of ``rows`` (a queryset) point at the outer row through ``field``: one
    correlated subquery for an annotation, so a list costs no query per row and the count
    follows whatever reading rule ``rows`` already applies."""
    counts = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)
