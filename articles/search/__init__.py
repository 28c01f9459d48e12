"""Chinese full-text search of published articles.

What matches is defined once, in matching.py (every query word occurs in the article's folded
search text, Article.search_text). The index holds terms of one to three characters (or
Latin/digit words), which find candidates, exact by themselves for short words; verify.py checks
longer words against the search text. Ranking puts the query in the title first, then in the
subtitle or kicker, then BM25 with jieba's words. Index changes are queued in the database with
the edit that causes them and applied after the commit by one writer at a time (indexing.py).
"""
