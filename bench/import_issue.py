"""Benchmark: importing one whole issue from print text (target: under 2 s).

    .venv/bin/python bench/import_issue.py [FILE] [--runs N]

FILE defaults to the real seed issue in ../shared/seeds/ when present, else a composed issue
of the same size. Each run parses the file and saves it (sections, articles, people, credits)
in one transaction on a fresh SQLite database in a temporary folder, or on DATABASE_URL.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("BULLETIN_DATA_DIR", tempfile.mkdtemp(prefix="bench-import-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bulletin.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sample_bytes(path):
    if path:
        return Path(path).read_bytes(), path
    if SEED.exists():
        return SEED.read_bytes(), str(SEED)
    from tests.importers.composer import compose_issue

    composed = max((compose_issue(seed) for seed in range(40)), key=lambda c: len(c.text))
    return composed.text.encode("utf-8"), f"composed issue ({len(composed.text)} characters)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup_django()

    from articles.importers.print_text import parse_print_text
    from bulletin.models import Publication
    from issues.importing import save_parsed_issue

    data, label = sample_bytes(args.file)
    publication, _ = Publication.objects.get_or_create(slug="bench", defaults={"name": "基准刊物"})

    parse_times, import_times = [], []
    tracemalloc.start()
    for _ in range(args.runs):
        started = time.perf_counter()
        parsed = parse_print_text(data)
        parse_times.append(time.perf_counter() - started)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    for _ in range(args.runs):
        started = time.perf_counter()
        parsed = parse_print_text(data)
        save_parsed_issue(parsed=parsed, publication=publication, year=2024, number=2, replace=True)
        import_times.append(time.perf_counter() - started)

    engine = os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0]
    print(f"file: {label}, {len(data):,} bytes, {len(parsed.articles)} articles")
    print(
        f"parse:            median {statistics.median(parse_times) * 1000:7.1f} ms, "
        f"max {max(parse_times) * 1000:7.1f} ms, peak memory {peak / 1e6:.1f} MB"
    )
    print(
        f"parse + save ({engine}): median {statistics.median(import_times) * 1000:7.1f} ms, "
        f"max {max(import_times) * 1000:7.1f} ms  (target < 2000 ms)"
    )
    return 0 if max(import_times) < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
