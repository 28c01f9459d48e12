"""Benchmark: Chinese full-text search at archive scale (issue 5's targets).

    .venv/bin/python bench/search.py --articles 10000     # about 5 minutes
    .venv/bin/python bench/search.py --articles 50000     # the target size, about 20 minutes

(`make bench` runs both.)

Writes a corpus of generated articles (bench/search_corpus.py: 1,500-3,000 characters each,
deterministic for --seed; with --prose their bodies are rebuilt from the seed issue's sentences,
bench/search_prose.py) with bulk_create to a fresh SQLite database in a temporary data
folder (or to DATABASE_URL, which must point to an empty database), then measures:

- the index build through the project's own path (`manage.py rebuild_index`, i.e. ArticleIndex
  and articles.search.backend): articles/s and the size of the index folder;
- the fixed queries of search_corpus.QUERIES (with --prose: search_prose.queries, adversarial
  phrases among them) through search_articles(q, page_size=20), warm: latency median and p95
  of the top 20, and recall and precision of EVERY hit against the ground truth, the definition
  of a match (articles/search/matching.py) applied to each article's columns from scratch. The
  full hit set is the very query search_articles ran (captured at articles.search.engine.search,
  verification included) with no limit; failing that (the database answered), every page of
  search_articles;
- the same queries as a plain database substring search (icontains on the same columns);
- one article's change reaching the live index: apply_queue() alone, and save -> commit ->
  findable through the real on_commit path;

and prints a table, written as markdown to bench/results-<N>.md with the machine and the
targets of issue 5. Exit status 1 when a target is missed.
"""

import argparse
import bisect
import functools
import os
import platform
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

WARM_UP_QUERY = "政协委员"  # not one of the measured queries
TARGETS = {
    "recall": 1.0,
    "precision": 1.0,
    "p95_ms": 100.0,
    "rate": 100.0,
    "mb_per_10k": 100.0,
    "live_s": 1.0,
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def setup_django(data_dir):
    sys.path.insert(0, str(ROOT))
    os.environ["BULLETIN_DATA_DIR"] = str(data_dir)  # never the developer's index
    os.environ["DJANGO_DEBUG"] = "0"  # as in production: no query log
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bulletin.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from articles.models import Article

    if Article.objects.exists():
        sys.exit("bench/search.py: the database already holds articles; give it an empty one.")


# -- measuring helpers -----------------------------------------------------------------------------


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))]


def folder_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


class WhooshProbe:
    """Records each call of the search engine (articles.search.engine.search): its arguments
    and its time."""

    def __init__(self):
        self.calls = []

    def install(self):
        from articles.search import engine

        original = engine.search
        probe = self

        @functools.wraps(original)
        def wrapper(searcher, **kwargs):
            started = time.perf_counter()
            try:
                return original(searcher, **kwargs)
            finally:
                probe.calls.append((kwargs, time.perf_counter() - started))

        engine.search = wrapper
        self.original = original


# -- ground truth ------------------------------------------------------------------------------


class GroundTruth:
    """The definition of a match (articles/search/matching.py) applied from scratch: each
    published article's searchable text built again from its columns and its authors' names
    (not read from Article.search_text, which the search itself uses)."""

    def __init__(self):
        from types import SimpleNamespace

        from articles.models import Article, Authorship
        from articles.search.matching import searchable_text
        from bulletin.models import Publication

        authors = {}  # article id -> its author lines
        authorships = Authorship.objects.order_by("article_id", "order", "pk").values_list(
            "article_id", "printed_name", "person__name", "organisation__name"
        )
        for article_id, printed_name, person, organisation in authorships.iterator(chunk_size=5000):
            name = person or organisation
            author = SimpleNamespace(name=name) if name else None
            authors.setdefault(article_id, []).append(
                SimpleNamespace(printed_name=printed_name, author=author)
            )
        articles = (
            Article.objects.published()
            .filter(issue__publication=Publication.objects.current())  # the site searches its own
            .order_by("pk")
        )
        self.ids, texts = [], []
        for article in articles.iterator(chunk_size=2000):
            self.ids.append(article.pk)
            texts.append(searchable_text(article, authors.get(article.pk, [])))
        self.starts, position = [], 0
        for text in texts:
            self.starts.append(position)
            position += len(text) + 1
        self.blob = "\x00".join(texts)

    def containing(self, word):
        from articles.search.matching import needs_pattern, word_pattern

        found, blob, starts = set(), self.blob, self.starts
        if needs_pattern(word):
            for match in word_pattern(word).finditer(blob):
                found.add(self.ids[bisect.bisect_right(starts, match.start()) - 1])
            return found
        position = 0
        while (position := blob.find(word, position)) >= 0:
            index = bisect.bisect_right(starts, position) - 1
            found.add(self.ids[index])
            position = starts[index + 1] if index + 1 < len(starts) else len(blob)
        return found

    def relevant(self, query):
        from articles.search.query import clean_query

        sets = [self.containing(word) for word in clean_query(query)[1]]
        return set.intersection(*sets) if sets else set()


# -- the plain database search ---------------------------------------------------------------------


def database_search(query, limit=20):
    """icontains on the same columns (the search's own database match); the top ``limit`` ids
    by date and the count."""
    from articles.models import Article
    from articles.search.query import contains
    from bulletin.models import Publication

    articles = Article.objects.published().filter(issue__publication=Publication.objects.current())
    from articles.search.query import clean_query

    for word in clean_query(query)[1]:
        articles = articles.filter(contains(word))
    ids = articles.order_by("-issue__published_at", "pk").values_list("pk", flat=True).distinct()
    return list(ids[:limit]), ids.count()


# -- the benchmark ---------------------------------------------------------------------------------


def machine():
    info = {}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return {
        "cpu": info.get("Model name", platform.processor() or "?"),
        "cores": info.get("CPU(s)", str(os.cpu_count())),
        "memory": memory,
    }


def versions():
    import sqlite3
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("Django", "django-haystack", "whoosh-reloaded", "jieba")
    )
    return f"Python {platform.python_version()}, {packages}, SQLite {sqlite3.sqlite_version}"


def source_state():
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout.rstrip()  # fmt: skip
        except (OSError, subprocess.CalledProcessError):
            return ""

    head = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--", "articles", "bulletin/settings.py").splitlines()
    if dirty:
        return f"{head} + uncommitted changes in " + ", ".join(line[3:] for line in dirty)
    return head


def index_doc_count(path):
    """Documents committed to the index at ``path`` so far (reads the table of contents only)."""
    from whoosh import index

    try:
        return index.open_dir(path).doc_count()
    except Exception:  # not created yet, or being replaced
        return 0


def build_index(*, timeout, profile_path=None):
    """`manage.py rebuild_index --noinput` in a child process, as an operator runs it."""
    from django.conf import settings
    from django.db import connections as databases
    from haystack import connections

    from articles.models import Article, SearchQueueEntry

    SearchQueueEntry.objects.all().delete()  # bulk_create queued nothing; be sure
    expected = Article.objects.published().count()
    path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH", "")
    databases.close_all()
    command = [sys.executable, str(ROOT / "manage.py"), "rebuild_index", "--noinput"]
    if profile_path:
        command[1:1] = ["-m", "cProfile", "-o", str(profile_path)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT)
    timed_out, last_log = False, started
    while child.poll() is None:
        time.sleep(1)
        now = time.perf_counter()
        if now - started > timeout:
            child.terminate()  # only the child this benchmark started
            child.wait()
            timed_out = True
            break
        if now - last_log >= 60:
            last_log = now
            done = index_doc_count(path) if path else 0
            log(f"  {now - started:5.0f} s: {done:,} of {expected:,} documents committed")
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    connections.reload("default")
    result = {
        "seconds": elapsed,
        "expected": expected,
        "timed_out": timed_out,
        "returncode": child.returncode,
        "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "max_rss_mb": after.ru_maxrss / 1024,
        "path": path,
    }
    if path:
        from whoosh import index

        result["docs"] = index_doc_count(path)
        result["bytes"] = folder_size(path)
        try:
            result["segments"] = len(index.open_dir(path)._segments())
        except Exception:
            result["segments"] = 0
    return result


def run_queries(queries, truth, probe, reps):
    from haystack import connections

    from articles.search.query import search_articles

    backend = connections["default"].get_backend()
    search_articles(WARM_UP_QUERY, page_size=20)  # imports, jieba's dictionary, first connection
    rows = []
    for query, kind in queries:  # each query once, timed as "first run", and its full hit set
        probe.calls.clear()
        started = time.perf_counter()
        results = search_articles(query, page_size=20)
        first = time.perf_counter() - started
        captured = [q for q, _ in probe.calls]
        if captured:  # the very query search_articles ran, with no limit
            with backend.index.refresh().searcher() as searcher:
                every = probe.original(
                    searcher, must=captured[-1]["must"], rank=[], limit=10**9,
                    verify=captured[-1].get("verify"),
                )  # fmt: skip
                hits = {int(searcher.stored_fields(doc)["django_id"]) for doc in every.docnums}
        else:  # the database answered, or no way to ask for all ids: page through the real thing
            hits, page = set(), 1
            while True:
                more = search_articles(query, page_size=100, page=page)
                hits |= {hit.article.pk for hit in more.hits}
                if page >= more.num_pages:
                    break
                page += 1
        relevant = truth.relevant(query)
        rows.append({
            "query": query, "kind": kind, "count": results.count, "hits": hits,
            "relevant": relevant, "found": len(hits & relevant),
            "from_database": results.from_database or not captured,
            "first_page": len(results.hits), "first": first, "times": [], "index_times": [],
        })  # fmt: skip
    for _ in range(reps):
        for row in rows:
            probe.calls.clear()
            started = time.perf_counter()
            search_articles(row["query"], page_size=20)
            row["times"].append(time.perf_counter() - started)
            row["index_times"].append(sum(t for _, t in probe.calls))
    return rows


def run_database_queries(rows, reps):
    database_search(rows[0]["query"])  # warm the page cache
    for row in rows:
        row["db_times"] = []
        for _ in range(reps):
            started = time.perf_counter()
            _, count = database_search(row["query"])
            row["db_times"].append(time.perf_counter() - started)
        row["db_count"] = count


def live_updates(runs):
    """Edit a published article's body; time until the new text is found."""
    from unittest import mock

    from django.db import transaction

    from articles.models import Article, SearchQueueEntry
    from articles.search import indexing
    from articles.search.query import search_articles

    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    marks = "甲乙丙丁戊己庚辛壬癸"
    salt = os.getpid() % 9973  # tokens new to this index even when --data-dir is reused

    def edit(pk, token):
        with transaction.atomic():
            article = Article.objects.get(pk=pk)
            article.body += f"\n<p>试点引入鹦鹉螺{token}号协商记录仪。</p>"
            article.save()

    def wait_found(pk, token, limit=10.0):
        started = time.perf_counter()
        while time.perf_counter() - started < limit:
            if pk in {hit.article.pk for hit in search_articles(f"鹦鹉螺{token}号").hits}:
                return True
            indexing.apply_queue()  # anything still queued (the on_commit run may have failed)
        return False

    apply_only, end_to_end, failures = [], [], 0
    for run in range(runs):
        pk = ids[(run * 7919) % len(ids)]
        token = f"{marks[run % 10]}{salt}{run}"
        assert not search_articles(f"鹦鹉螺{token}号").count
        with mock.patch.object(indexing, "apply_queue_quietly", lambda: None):
            edit(pk, token)  # queued, not applied
        assert SearchQueueEntry.objects.exists(), "the edit queued no index change"
        started = time.perf_counter()
        indexing.apply_queue()
        found = wait_found(pk, token)
        apply_only.append(time.perf_counter() - started)
        failures += not found

        token = f"{marks[run % 10]}{salt}{run + 100}"
        started = time.perf_counter()
        edit(pk, token)  # the real path: applied on commit
        found = wait_found(pk, token)
        end_to_end.append(time.perf_counter() - started)
        failures += not found
    return apply_only, end_to_end, failures


# -- the report ------------------------------------------------------------------------------------


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def summarise(rows):
    times = [t for row in rows for t in row["times"]]
    scored = rows  # single characters included: the index answers them too
    relevant = sum(len(row["relevant"]) for row in scored)
    found = sum(row["found"] for row in scored)
    returned = sum(len(row["hits"]) for row in scored)
    return {
        "times": times,
        "first": [row["first"] for row in rows],
        "index_times": [t for row in rows for t in row["index_times"]],
        "db_times": [t for row in rows for t in row.get("db_times", [])],
        "scored": scored,
        "relevant": relevant,
        "found": found,
        "returned": returned,
        "recall": found / relevant if relevant else 1.0,
        "precision": found / returned if returned else 1.0,
        "missing": [row for row in scored if row["found"] < len(row["relevant"])],
        "extra": [row for row in scored if len(row["hits"]) > row["found"]],
        "p95": percentile(times, 95),
    }


def spread(values):
    return (f"median {ms(statistics.median(values))} ms, p95 {ms(percentile(values, 95))} ms, "
            f"max {ms(max(values))} ms")  # fmt: skip


def report(args, corpus, corpus_seconds, build, rows, live, info):
    n = args.articles
    finished = not build["timed_out"] and build["returncode"] == 0
    rate = build["docs"] / build["seconds"] if build["seconds"] else 0.0
    mb = build["bytes"] / 1e6
    mb_10k = mb / build["docs"] * 10000 if build["docs"] else 0.0
    if build["timed_out"]:
        build_note = (f"did not finish in {build['seconds'] / 60:.0f} min (--build-timeout): "
                      f"{build['docs']:,} of {build['expected']:,} documents committed")  # fmt: skip
    elif build["returncode"]:
        build_note = f"failed (exit status {build['returncode']})"
    else:
        build_note = f"{build['seconds']:.1f} s for {build['docs']:,} documents"

    checks = [
        ("index build rate", f"{rate:.0f} articles/s", "≥ 100 articles/s",
         finished and rate >= TARGETS["rate"]),
        ("index size per 10,000 articles", f"{mb_10k:.1f} MB", "≤ 100 MB",
         finished and mb_10k <= TARGETS["mb_per_10k"]),
    ]  # fmt: skip
    if rows:
        sm = summarise(rows)
        checks[:0] = [
            ("recall, every query", f"{sm['recall']:.4f}", "= 1.0",
             sm["recall"] >= TARGETS["recall"]),
            ("precision, every query", f"{sm['precision']:.4f}", "= 1.0",
             sm["precision"] >= TARGETS["precision"]),
            ("top-20 latency p95 (warm)", f"{ms(sm['p95'])} ms", "< 100 ms",
             sm["p95"] * 1000 < TARGETS["p95_ms"]),
        ]  # fmt: skip
    else:
        checks[:0] = [(name, "not measured (no complete index)", need, False) for name, need in (
            ("recall, every query", "= 1.0"),
            ("precision, every query", "= 1.0"),
            ("top-20 latency p95 (warm)", "< 100 ms"))]  # fmt: skip
    if live:
        apply_only, end_to_end, live_failures = live
        median = statistics.median(end_to_end)
        checks.append(("one change live (save → findable), median", f"{ms(median)} ms", "< 1 s",
                       median < TARGETS["live_s"] and not live_failures))  # fmt: skip
    else:
        checks.append(("one change live (save → findable), median", "not measured", "< 1 s", False))

    lines = [
        f"# Search benchmark: {n:,} articles",
        "",
        f"`.venv/bin/python bench/search.py --articles {n}` (seed {args.seed}; each query run "
        f"once, then timed {args.reps} times), {time.strftime('%Y-%m-%d %H:%M %Z')}.",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} CPUs, {info['memory']} memory",
        f"- Software: {versions()}",
        f"- Database: {args.engine}; index: Whoosh in a temporary folder, "
        f"WRITER_PROCS={args.writer_procs}",
        f"- Code: {source_state()}",
        f"- Corpus: {corpus.published:,} published articles (+{corpus.unpublished} unpublished, "
        f"never to be found) in {corpus.issues:,} issues of one publication; {corpus.people:,} "
        f"people, {corpus.organisations} organisations; body text {corpus.min_body:,}–"
        f"{corpus.max_body:,} characters, mean {corpus.body_chars / corpus.published:,.0f}; "
        f"written in {corpus_seconds:.0f} s",
        "",
        "## Targets (issue 5)",
        "",
        "| target | measured | required | |",
        "|---|---|---|---|",
    ]
    lines += [f"| {name} | {value} | {need} | {'pass' if ok else '**FAIL**'} |"
              for name, value, need, ok in checks]  # fmt: skip
    lines += [
        "",
        "## Figures",
        "",
        "| measure | figure |",
        "|---|---|",
        f"| index build (`manage.py rebuild_index --noinput`) | {build_note}: {rate:.0f} articles/s; "
        f"{build['segments']} segments; CPU {build['cpu']:.0f} s, peak memory "
        f"{build['max_rss_mb']:.0f} MB |",
        f"| index size | {mb:.1f} MB, {mb_10k:.1f} MB per 10,000 articles |",
    ]
    if rows:
        lines += [
            f"| search_articles, top 20 (Whoosh, articles loaded, snippets), warm | {spread(sm['times'])} |",
            f"| … of which in the index (engine.search) | {spread(sm['index_times'])} |",
            f"| … the first run of each query | {spread(sm['first'])} |",
            f"| database icontains, top 20 ids + count | {spread(sm['db_times'])} |"
            if sm["db_times"]
            else "| database icontains | not run (--db-reps 0) |",
            f"| recall / precision, every hit ({len(sm['scored'])} queries) | {sm['recall']:.4f} / "
            f"{sm['precision']:.4f}: {sm['found']:,} of {sm['relevant']:,} relevant found, "
            f"{sm['returned'] - sm['found']:,} returned wrongly; {len(sm['missing'])} queries "
            f"miss articles, {len(sm['extra'])} return others |",
        ]
    if live:
        lines += [
            f"| one change: apply_queue() until findable ({len(apply_only)} runs) | {spread(apply_only)} |",
            f"| one change: save → commit → findable, the on_commit path ({len(end_to_end)} runs"
            f"{f', {live_failures} never found' if live_failures else ''}) | {spread(end_to_end)} |",
        ]
    if rows:
        lines += [
            "",
            "## Queries",
            "",
            "Relevant: published articles whose searchable text contains every word of the query. "
            "Returned: every hit of the query search_articles ran, not only the first page. "
            "ms: median of the timed runs of search_articles (index ms: inside engine.search, i.e. matching and ranking on the index); "
            "first: the first run; db: the icontains search.",
            "",
            "| query | kind | relevant | found | returned | recall | precision | ms | index ms | first ms | db ms |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            rel, got, hits = len(row["relevant"]), row["found"], len(row["hits"])
            note = " (answered by the database)" if row["from_database"] else ""
            if row["count"] != hits:
                note += f" (count shown: {row['count']:,})"
            db = ms(statistics.median(row["db_times"])) if row.get("db_times") else "–"
            lines.append(
                f"| {row['query']} | {row['kind']}{note} | {rel:,} | {got:,} | {hits:,} | "
                f"{got / rel if rel else 1:.3f} | {got / hits if hits else 1:.3f} | "
                f"{ms(statistics.median(row['times']))} | "
                f"{ms(statistics.median(row['index_times']))} | {ms(row['first'])} | {db} |"
            )
        if sm["missing"] or sm["extra"]:
            lines += ["", "## Wrong answers (up to 5 article ids each)", ""]
            for row in sm["missing"]:
                ids = sorted(row["relevant"] - row["hits"])[:5]
                lines.append(
                    f"- {row['query']}: {len(row['relevant']) - row['found']} missed, e.g. {ids}"
                )
            for row in sm["extra"]:
                ids = sorted(row["hits"] - row["relevant"])[:5]
                lines.append(
                    f"- {row['query']}: {len(row['hits']) - row['found']} returned wrongly, e.g. {ids}"
                )
    lines += ["", "Planted terms (articles): " + ", ".join(
        f"{term} {count}" for term, count in corpus.planted.items())]  # fmt: skip
    return "\n".join(lines) + "\n", all(ok for *_, ok in checks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reps", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--db-reps", type=int, default=1, help="timed runs of the icontains search")
    parser.add_argument("--live-runs", type=int, default=7)
    parser.add_argument(
        "--build-timeout",
        type=float,
        metavar="MINUTES",
        help="give up the index build after this long (default: 3× the time "
        "the 100 articles/s target allows, at least 20 min)",
    )
    parser.add_argument(
        "--data-dir",
        help="keep the database and index here (default: a temporary folder, removed at the end)",
    )
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the index build")
    parser.add_argument("--output", help="markdown file (default bench/results-<N>.md)")
    parser.add_argument(
        "--prose", action="store_true",
        help="bodies rebuilt from the seed issue's sentences, with adversarial phrase queries "
        "(bench/search_prose.py; default output bench/results-prose-<N>.md)",
    )  # fmt: skip
    args = parser.parse_args()  # fmt: skip
    timeout = 60 * (args.build_timeout or max(20, 3 * args.articles / TARGETS["rate"] / 60))

    data_dir = (
        Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="bench-search-"))
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        setup_django(data_dir)
        from django.conf import settings

        args.engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        args.writer_procs = settings.HAYSTACK_CONNECTIONS["default"].get("WRITER_PROCS", 1)
        from search_corpus import QUERIES, build_corpus

        info = machine()
        log(f"writing {args.articles:,} articles to {args.engine} in {data_dir} …")
        started = time.perf_counter()
        corpus = build_corpus(
            articles=args.articles, seed=args.seed,
            progress=lambda s: log(f"  {s.published:,} published, {s.unpublished} unpublished"),
        )  # fmt: skip
        if args.prose:
            import search_prose

            log("bodies from the seed issue's sentences …")
            search_prose.reshuffle_bodies(seed=args.seed, progress=lambda n: None)
            QUERIES = search_prose.queries(args.seed)  # noqa: N806
        corpus_seconds = time.perf_counter() - started

        log(f"manage.py rebuild_index (giving up after {timeout / 60:.0f} min) …")
        build = build_index(timeout=timeout, profile_path=args.profile)
        log(f"  {build['docs']:,} documents in {build['seconds']:.1f} s, "
            f"{build['bytes'] / 1e6:.1f} MB")  # fmt: skip
        rows, live = [], None
        if build["timed_out"] or build["returncode"]:
            log("  the build did not complete: no query figures")
        else:
            if build["docs"] != build["expected"]:
                log(
                    f"  WARNING: {build['expected']:,} published articles, {build['docs']:,} documents"
                )
            log("ground truth …")
            truth = GroundTruth()
            probe = WhooshProbe()
            probe.install()
            log(f"{len(QUERIES)} queries, each once and then {args.reps}× …")
            rows = run_queries(QUERIES, truth, probe, args.reps)
            if args.db_reps:
                log("the same queries on the database (icontains) …")
                run_database_queries(rows, args.db_reps)
            log("live updates …")
            live = live_updates(args.live_runs)

        text, ok = report(args, corpus, corpus_seconds, build, rows, live, info)
        name = f"results-{'prose-' if args.prose else ''}{args.articles}.md"
        output = Path(args.output) if args.output else BENCH / name
        output.write_text(text, encoding="utf-8")
        print(text)
        log(f"written to {output}")
        return 0 if ok else 1
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
