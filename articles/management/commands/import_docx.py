import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.urls import reverse

from articles.docx_import import import_docx_article
from articles.importers.errors import DocxImportError
from articles.models import Section
from bulletin.models import Publication
from issues.models import Issue


class Command(BaseCommand):
    help = "Import one article from a Word (.docx) file as a draft."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .docx file")
        parser.add_argument(
            "--issue",
            help="YEAR-NUMBER of an existing issue of the current publication, e.g. 2024-2; "
            "leave out to import an unassigned draft",
        )
        parser.add_argument("--section", required=True, help="section name or slug, e.g. 理论研究")
        parser.add_argument("--title", help="title to use instead of the one found in the file")

    def handle(self, *args, file, issue, section, title, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        issue_obj = self._issue(issue) if issue else None
        section_obj = self._section(section)
        with path.open("rb") as fileobj:
            try:
                article = import_docx_article(
                    fileobj=fileobj,
                    filename=path.name,
                    issue=issue_obj,
                    section=section_obj,
                    title=title,
                )
            except DocxImportError as exc:
                raise CommandError(f"Cannot import {path}: {exc.english}") from exc
        self.stdout.write(self.style.SUCCESS(f"Created article {article.pk}: {article.title}"))
        self.stdout.write(f"Admin: {reverse('admin:articles_article_change', args=[article.pk])}")
        for warning in article.import_warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))

    def _issue(self, value):
        match = re.fullmatch(r"(\d{4})-(\d{1,3})", value.strip())
        if not match:
            raise CommandError(f"--issue must be YEAR-NUMBER, e.g. 2024-2 (got {value!r})")
        publication = Publication.objects.current()
        if publication is None:
            raise CommandError("There is no publication yet: create one in the admin first.")
        year, number = map(int, match.groups())
        found = Issue.objects.filter(publication=publication, year=year, number=number).first()
        if found is None:
            raise CommandError(f"No issue {year}-{number} of {publication.name} exists.")
        return found

    def _section(self, value):
        matches = list(Section.objects.filter(Q(slug=value) | Q(name=value.strip())))
        by_slug = [s for s in matches if s.slug == value]
        if by_slug:
            matches = by_slug
        if not matches:
            raise CommandError(f"No section named {value!r} (give a section name or slug).")
        if len(matches) > 1:
            slugs = ", ".join(s.slug for s in matches)
            raise CommandError(f"Several sections are named {value!r}; give a slug: {slugs}.")
        if not matches[0].is_active:
            raise CommandError(f"Section {value!r} is inactive; choose an active section.")
        return matches[0]
