"""The site layer: what readers and crawlers reach, built on every app.

The root URLconf, the home page, sitemap.xml and robots.txt, the read-only JSON API (api/) and
the demo content (demo/). It sits above issues, articles and people and may import all of them;
nothing below imports it (`make lint` checks the layers).
"""
