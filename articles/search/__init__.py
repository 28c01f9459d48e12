"""Chinese full-text search of published articles.

Chinese has no spaces, so the index holds every pair of neighbouring characters (bigrams): a
query of two or more characters is found wherever it occurs, as a phrase of its bigrams.
Ranking adds jieba's word segmentation (with the names of known people and organisations in
its dictionary). Index changes are queued in the database with the edit that causes them and
applied after the commit by one writer at a time (see indexing.py).
"""
