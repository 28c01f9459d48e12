"""A read-only JSON API of what readers may see: published issues and articles only.

Endpoints (all under /api/, namespace ``api``):

- ``GET /api/`` — the list endpoints' addresses.
- ``GET /api/issues/`` — published issues of the current publication, newest first, paginated.
- ``GET /api/issues/<year>/<number>/`` — one published issue with its table of contents
  (sections in the issue's print order, each with its published articles) and its credits.
- ``GET /api/articles/<id>/`` — one published article of a published issue.
- ``GET /api/sections/`` — the active sections in tree order with their published article counts.
- ``GET /api/search/?q=&section=&year=&author=&sort=&page=&page_size=`` — published articles
  containing every word of ``q`` (words are separated by spaces), best first or (``sort=date``)
  newest first: ``{"query", "count", "page", "page_size", "num_pages", "next", "previous",
  "results": [{"id", "title", "url", "api_url", "issue": {"year", "number", "title"},
  "section": {"id", "name"}, "highlight"}]}``. ``query`` is the query as searched (control
  characters removed, cut to 100 characters, words without a letter or digit dropped);
  ``highlight`` is HTML, a snippet of the text with every match in ``<mark>`` and everything else
  escaped. ``section`` is a section's id (all digits) or its slug and includes its subsections;
  ``year`` an issue year; ``author`` ``p<id>`` for a person or ``o<id>`` for an organisation. A
  missing or empty ``q`` (or one with no letter or digit) answers count 0 and no results.

Decisions:

- Public data only, whoever asks: drafts, proofing and approved-but-unpublished issues and their
  articles, and unpublished articles of published issues, answer 404 and are left out of every
  list and count, also for logged-in staff. The API has no preview; staff use the site for that.
- Lists: ``/api/issues/`` is paginated with ``?page=`` (default 1) and ``?page_size=`` (default 20).
  A ``page_size`` above 100 is clamped to 100; a parameter that is not a positive integer answers
  400; an empty parameter counts as absent; a page past the last answers 404. ``next`` and
  ``previous`` are absolute links (or null) keeping the other query parameters.
  ``/api/search/`` pages the same way, except that a page past the last answers 200 with no
  results (a search's count moves as issues are published); an unknown ``section``, a ``year``
  that is not a number, a malformed ``author`` or one without published articles, and a ``sort``
  other than relevance or date answer 400.
  ``/api/sections/`` is not paginated (a bulletin has a few dozen sections): it answers
  ``{"count", "results"}`` with every row, so both lists keep their rows under ``results``.
- Sections: a section is listed when it and all its ancestors are active, so ``parent`` always
  names a listed section (or is null). ``article_count`` counts the section's own published
  articles of the current publication, not those of its subsections.
- Authors: ``name`` is the person's or organisation's name (not the printed form such as 吴 宁),
  ``role`` the Chinese label printed before it (记者, 通讯员 …) or "" when none.
- Times: ``published_at`` is ISO 8601 in the site's time zone with its offset, to the second;
  ``publish_date`` is an ISO date. Both may be null.
- Errors are JSON, ``{"error": {"status", "message"}}``: 404 for unknown or unpublished objects
  and unknown paths under /api/, 400 for bad parameters, 405 (with ``Allow: GET, HEAD``) for any
  other method (also for POST without a CSRF token: the views are CSRF-exempt, they write
  nothing). An absurdly large id is a plain 404: Django turns out-of-range integer lookups into
  empty results.
- Successful answers carry ``Cache-Control: public, max-age=300``: a newly published issue may take
  five minutes to show through a cache.
- Every endpoint runs a fixed number of queries however many issues, articles and authors there
  are (tests/bulletin/test_api.py holds the bounds).
"""
