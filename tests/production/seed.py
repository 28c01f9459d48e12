"""Puts what the proxy test fetches into a fresh site: a published issue whose cover and PDF are
saved through the app's storage (as an upload is), and an HTML file dropped among the uploads.

Run in the site's environment: python -m tests.production.seed (prints the stored names as JSON).
"""

import io
import json

import django


def main():
    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from PIL import Image
    from pypdf import PdfWriter

    from tests.factories import IssueFactory, PublicationFactory

    cover = io.BytesIO()
    Image.new("RGB", (60, 85), (180, 30, 30)).save(cover, format="PNG")
    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(pdf)

    issue = IssueFactory(
        publication=PublicationFactory(name="广西政协工作"),
        year=2024,
        number=3,
        published=True,
        published_at=timezone.now(),
    )
    issue.cover.save("cover.png", ContentFile(cover.getvalue()), save=False)
    issue.pdf.save("issue.pdf", ContentFile(pdf.getvalue()), save=False)
    issue.save()
    html = default_storage.save(
        "covers/2024/page.html", ContentFile(b"<html><script>alert(document.cookie)</script>")
    )
    print(json.dumps({"cover": issue.cover.url, "pdf": issue.pdf.url, "html": f"/media/{html}"}))


if __name__ == "__main__":
    main()
