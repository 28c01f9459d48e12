"""Benchmark: the generated print PDF of a whole issue (targets: the seed issue < 3 s, a 60-page
issue < 10 s).

    .venv/bin/python bench/issue_pdf.py [--runs N]

The seed issue (../shared/seeds/, else a composed issue) is imported into a fresh SQLite
database in a temporary folder; the 60-page issue repeats its articles with varied titles until
the PDF has at least 60 pages. Each PDF is made once to warm up (fonts, WeasyPrint's import),
then timed N times (HTML rendering and layout together: what the admin button and publishing
pay). Exits non-zero when a median misses its target.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"
TARGETS = {"seed issue": 3.0, "60-page issue": 10.0}


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["BULLETIN_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-pdf-")
    os.environ.pop("DATABASE_URL", None)  # layout time does not depend on the database
    os.environ["DJANGO_SETTINGS_MODULE"] = "bulletin.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_text():
    if SEED.exists():
        return SEED.read_bytes(), str(SEED)
    from tests.importers.composer import compose_issue

    composed = max((compose_issue(seed) for seed in range(40)), key=lambda c: len(c.text))
    return composed.text.encode("utf-8"), "composed issue (seed not found)"


def import_issue(data, number):
    from articles.importers.print_text import parse_print_text
    from bulletin.models import Publication
    from issues.importing import save_parsed_issue

    publication, _ = Publication.objects.get_or_create(
        slug="bench", defaults={"name": "广西政协工作"}
    )
    return save_parsed_issue(
        parsed=parse_print_text(data), publication=publication, year=2024, number=number
    )


def grow_to(issue, pages):
    """Repeat the issue's articles (titles varied) until its PDF has at least ``pages`` pages."""
    from pypdf import PdfReader

    from articles.models import Article
    from issues.printing import issue_pdf

    originals = list(Article.objects.filter(issue=issue).with_authors().in_print_order())
    round_ = 0
    while len(PdfReader(io.BytesIO(issue_pdf(issue))).pages) < pages:
        round_ += 1
        for article in originals:
            authorships = list(article.authorships.all())
            copy = Article.objects.create(
                issue=issue,
                section=article.section,
                kicker=article.kicker,
                title=f"{article.title}（之{round_ + 1}）",
                subtitle=article.subtitle,
                body=article.body,
                source=article.source,
                author_note=article.author_note,
                order=article.order + 100 * round_,
            )
            for authorship in authorships:
                authorship.pk = None
                authorship.article = copy
                authorship.save()


def measure(label, issue, runs):
    from pypdf import PdfReader

    from issues.printing import issue_pdf

    issue_pdf(issue)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        pdf = issue_pdf(issue)
        times.append(time.perf_counter() - started)
    reader = PdfReader(io.BytesIO(pdf))
    median, worst = statistics.median(times), max(times)
    target = TARGETS[label]
    verdict = "ok" if median < target else "MISSED"
    print(
        f"{label:14} {len(reader.pages):3d} pages, {issue.articles.count():3d} articles, "
        f"{len(pdf) / 1e6:5.2f} MB: median {median:6.2f} s, max {worst:6.2f} s "
        f"(target < {target:.0f} s, {runs} runs) {verdict}"
    )
    return median < target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()

    data, label = seed_text()
    print(f"source: {label}")
    seed = import_issue(data, number=2)
    long = import_issue(data, number=3)
    grow_to(long, 60)
    ok = measure("seed issue", seed, args.runs)
    ok = measure("60-page issue", long, args.runs) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
