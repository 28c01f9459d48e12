"""Parsers that read print text and Word files without touching the database.

issues.importing saves a parsed issue; articles.docx_import saves an article from a Word file.
"""
