"""Sanitize the bodies already stored: before the pre_save sanitizing, loaddata (and reverting
a revision) could store a body as it came, and the sanitizer now also drops foreign images."""

from django.db import migrations


def sanitize_stored_bodies(apps, schema_editor):
    from bulletin.html import sanitize_html

    Article = apps.get_model("articles", "Article")
    for pk, body in Article.objects.values_list("pk", "body").iterator(chunk_size=500):
        cleaned = sanitize_html(body)
        if cleaned != body:
            # update(): no version bump, no timestamps; the content readers see is unchanged
            # but for what was unsafe.
            Article.objects.filter(pk=pk).update(body=cleaned)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_workflow")]

    operations = [migrations.RunPython(sanitize_stored_bodies, migrations.RunPython.noop)]
