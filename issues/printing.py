"""The whole issue as it prints: one HTML document for the staff proof and the generated PDF.

``proof_html`` renders templates/issues/issue_proof.html (styled by static/css/print_issue.css);
the proof page shows it in the browser and ``issue_pdf`` lays the very same document out with
WeasyPrint, so what staff proof is what prints. WeasyPrint is imported lazily: it needs Pango,
HarfBuzz and fontconfig from the system, and a machine without them must still serve every
other page (the missing libraries become ``PdfUnavailable`` with a clear message).
"""

import logging
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string

from articles.models import Article
from bulletin.pagecache import bump_generation

from .models import Issue, IssueCredit

logger = logging.getLogger(__name__)

TEMPLATE = "issues/issue_proof.html"
# Relative URLs in the document (/static/…, /media/…) resolve against this made-up origin; the
# fetcher maps it to files on disk and refuses anything else, so a PDF never reaches the network.
DOCUMENT_ORIGIN = "http://bulletin.invalid"

SYSTEM_LIBRARIES_HINT = (
    "WeasyPrint cannot load its system libraries (Pango, HarfBuzz, fontconfig). On Debian or "
    "Ubuntu install them with: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0 fonts-noto-cjk"
)


class PdfUnavailable(RuntimeError):
    """The PDF cannot be made on this machine (WeasyPrint or its system libraries missing)."""


def proof_context(issue: Issue) -> dict:
    """Everything the proof template prints: the issue in print order, grouped by section."""
    articles = list(
        Article.objects.filter(issue=issue)
        .select_related("section")
        .with_authors()
        .prefetch_related("images")
        .in_print_order()
    )
    sections = []
    for article in articles:
        if not sections or sections[-1]["section"].pk != article.section_id:
            sections.append({"section": article.section, "articles": []})
        sections[-1]["articles"].append(article)
    credits = issue.credits.select_related("person").order_by("role", "order", "pk")
    by_role = {}
    for credit in credits:
        by_role.setdefault(credit.role, []).append(credit.person.name)
    return {
        "issue": issue,
        "publication": issue.publication,
        "sections": sections,
        "articles": articles,
        "credits": [
            (label, by_role[role]) for role, label in IssueCredit.Role.choices if role in by_role
        ],
    }


def proof_html(issue: Issue, *, request=None, extra_context=None) -> str:
    """The issue as one printable HTML document (the proof page and the PDF share it)."""
    context = {**proof_context(issue), "for_pdf": request is None, **(extra_context or {})}
    return render_to_string(TEMPLATE, context, request=request)


def issue_pdf(issue: Issue) -> bytes:
    """The issue as an A4 PDF: CJK fonts embedded, 目录 page numbers and bookmarks from the
    layout. Raises PdfUnavailable when WeasyPrint cannot run here."""
    weasyprint = _weasyprint()
    html = proof_html(issue)
    started = time.perf_counter()
    document = weasyprint.HTML(
        string=html, base_url=f"{DOCUMENT_ORIGIN}/", url_fetcher=_local_fetcher(weasyprint)
    )
    pdf = document.write_pdf(optimize_images=True)
    logger.info("PDF of %s: %d bytes in %.2f s", issue, len(pdf), time.perf_counter() - started)
    return pdf


def pdf_filename(issue: Issue) -> str:
    return f"{issue.publication.slug or 'issue'}-{issue.year}-{issue.number:02d}.pdf"


def store_pdf_after_publish(issue: Issue) -> None:
    """After the publishing transaction commits, generate and store the issue's PDF unless one
    was uploaded. Called from run_transition; a failure is logged and never undoes the publish."""
    pk = issue.pk
    transaction.on_commit(lambda: store_generated_pdf(pk))


def store_generated_pdf(pk) -> bool:
    """Generate and store the PDF of issue ``pk`` if it has none; True when one was stored."""
    try:
        issue = Issue.objects.select_related("publication").get(pk=pk)
        if issue.pdf:
            return False  # an uploaded (or earlier generated) PDF is kept
        content = issue_pdf(issue)
        issue.pdf.save(pdf_filename(issue), ContentFile(content), save=False)
        # update() rather than save(): no version bump that would refuse an editor's open form.
        if not Issue.objects.filter(pk=pk, pdf="").update(pdf=issue.pdf.name):
            issue.pdf.storage.delete(issue.pdf.name)  # a PDF was uploaded meanwhile: ours is unused
            return False
        bump_generation()  # update() sends no signal: the issue page now links the PDF
        return True
    except PdfUnavailable as error:
        logger.warning("No PDF stored for published issue %s: %s", pk, error)
    except Exception:
        logger.exception("Generating the PDF of published issue %s failed", pk)
    return False


def _weasyprint():
    # Its progress log (a line per page at INFO, and three at import for its own stylesheets)
    # would flood the server's log: quiet it before the import.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        import weasyprint
    except ImportError as error:
        raise PdfUnavailable(f"WeasyPrint is not installed ({error}).") from error
    except OSError as error:  # cffi's dlopen: a system library is missing
        raise PdfUnavailable(f"{SYSTEM_LIBRARIES_HINT} ({error}).") from error
    return weasyprint


def _local_fetcher(weasyprint):
    """A URL fetcher serving /static/ and /media/ from disk and refusing every other URL."""

    class LocalFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            path = local_path(url)
            if path is None:
                raise ValueError(f"not a file of this site: {url}")
            return super().fetch(path.as_uri(), headers)

    return LocalFetcher()


def local_path(url: str) -> Path | None:
    """The file on disk behind a /static/ or /media/ URL of the document, or None."""
    if url.startswith("data:"):
        return None
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != DOCUMENT_ORIGIN:
        return None
    path = unquote(parts.path)
    if path.startswith(settings.STATIC_URL):
        name = path.removeprefix(settings.STATIC_URL)
        found = finders.find(name)
        if not found:
            try:
                found = staticfiles_storage.path(name)  # collected (hashed) files in production
            except NotImplementedError:
                return None
        return _inside(Path(found), None)
    if path.startswith(settings.MEDIA_URL):
        root = Path(settings.MEDIA_ROOT).resolve()
        return _inside(root / path.removeprefix(settings.MEDIA_URL), root)
    return None


def _inside(path: Path, root: Path | None) -> Path | None:
    """``path`` if it is an existing file (under ``root`` when given): no ../ escapes."""
    path = path.resolve()
    if root is not None and not path.is_relative_to(root):
        return None
    return path if path.is_file() else None
