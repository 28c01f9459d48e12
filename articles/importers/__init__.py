"""Importers that turn print text and Word files into draft issues and articles."""
