"""Reading sitemap.xml as a crawler does: the index, then every file it names."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.urls import reverse

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_files(client, **extra):
    """The URLs of the files the index names (absolute, as in the index)."""
    response = client.get(reverse("bulletin:sitemap"), **extra)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}sitemapindex"
    return [entry.findtext(f"{NS}loc") for entry in root.iter(f"{NS}sitemap")]


def sitemap_urls(client, **extra):
    """{url: lastmod} of every URL in every file of the sitemap."""
    urls = {}
    for file_url in sitemap_files(client, **extra):
        parts = urlsplit(file_url)
        response = client.get(
            parts.path, dict(p.split("=") for p in parts.query.split("&") if p), **extra
        )
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert root.tag == f"{NS}urlset"
        for url in root.iter(f"{NS}url"):
            urls[url.findtext(f"{NS}loc")] = url.findtext(f"{NS}lastmod")
    return urls
