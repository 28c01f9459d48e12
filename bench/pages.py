"""Benchmark: the public pages under load (issue 12's speed targets).

    .venv/bin/python bench/pages.py                      # 10,000 articles, 10 s a point
    .venv/bin/python bench/pages.py --quick              # 3 s a point, fewer distinct pages
    .venv/bin/python bench/pages.py --articles 50000     # the archive of issue 12

Builds an archive in PostgreSQL (DATABASE_URL, default the database bulletin_pagebench on
loopback) with bulk inserts (bench/pages_corpus.py: issues, articles, people and their author
lines, generated Chinese text), builds the search index (`manage.py rebuild_index`), and keeps
both: a rerun with the same size reuses them (--rebuild to start again). A database is dropped
only when it holds an earlier benchmark corpus, no tables, or no articles.

Then serves the site as in production (DJANGO_DEBUG=0, gunicorn with the project's
gunicorn.conf.py, or 3 sync workers without one, on 127.0.0.1, static files by WhiteNoise after
collectstatic) and loads it with wrk (bench/pages.lua) at 1, 10 and 50 connections: a static
file (the ceiling), then each page. Cached pages are fetched once before they are measured;
"article, uncached" walks thousands of articles, each request with a query string never seen
before, after clearing the caches. Writes bench/results/pages-<N>-<date>.json and .md, prints the
table, and exits 1 when a target is missed (all of them are listed, failed or not).
"""

import argparse
import math
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import pages_corpus  # noqa: E402
import pages_report  # noqa: E402
import pages_server  # noqa: E402
from search import build_index, index_doc_count, machine  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bulletin_pagebench"


def log(message):
    print(message, file=sys.stderr, flush=True)


# -- environment and database ----------------------------------------------------------------------


def production_env(data_dir, extra=()):
    """The variables of a production start on plain http (issue 12's switches)."""
    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or DEFAULT_DATABASE,
        "BULLETIN_DATA_DIR": str(data_dir),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bulletin.settings",
    }
    for item in extra:
        key, _, value = item.partition("=")
        env[key] = value
    return env


def admin_connection(url):
    """An autocommit connection to the server's maintenance database, and the benchmark's
    database name."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conninfo = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    return psycopg.connect(conninfo, autocommit=True), name


def ensure_database(url, *, recreate):
    from psycopg import sql

    conn, name = admin_connection(url)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = False
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def may_drop():
    """Only a database holding a benchmark corpus, nothing, or no articles is ever dropped."""
    from django.db import DatabaseError, connection

    if pages_corpus.stored_spec() is not None:
        return True
    tables = connection.introspection.table_names()
    if not tables:
        return True
    try:
        from articles.models import Article

        return not Article.objects.exists()
    except DatabaseError:
        return False


def prepare(args, env):
    """The corpus and its index, reused when the database already holds the same one."""
    os.environ.update(env)
    import django

    ensure_database(env["DATABASE_URL"], recreate=False)
    django.setup()
    from django.core.management import call_command
    from django.db import connections

    spec = pages_corpus.Spec(articles=args.articles, seed=args.seed, publications=args.publications)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)  # first: the tables as this code reads them
    log(f"migrate: {time.perf_counter() - started:.1f} s")
    stored = pages_corpus.stored_spec()
    timings = {}
    if stored == spec and not args.rebuild:
        log(f"reusing the corpus in {env['DATABASE_URL']}")
    else:
        if not may_drop():
            sys.exit(f"bench/pages.py: {env['DATABASE_URL']} holds articles that are not a "
                     "benchmark corpus; give it a database of its own (DATABASE_URL).")  # fmt: skip
        forget_index(Path(env["BULLETIN_DATA_DIR"]))  # it indexed the corpus about to go
        connections.close_all()
        ensure_database(env["DATABASE_URL"], recreate=True)
        call_command("migrate", verbosity=0)
        log(f"writing {spec.articles:,} articles, {spec.issues:,} issues, {spec.people:,} people …")
        started = time.perf_counter()
        counts = pages_corpus.build(spec, progress=log)
        timings["corpus_s"] = round(time.perf_counter() - started, 1)
        log(f"  {counts} in {timings['corpus_s']} s")
        with django_cursor() as cursor:
            cursor.execute("ANALYZE")  # plans as on a database that has lived a while
    call_command("createcachetable", verbosity=0)  # a no-op unless a database cache is set

    index_marker = Path(env["BULLETIN_DATA_DIR"]) / "index-spec.json"
    from django.conf import settings

    from articles.models import Article

    path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH", "")
    expected = Article.objects.published().count()
    marker_ok = index_marker.exists() and index_marker.read_text() == spec.tag()
    if args.no_index:
        log("no search index (--no-index)")
    elif not args.rebuild and marker_ok and (not path or index_doc_count(path) == expected):
        log("reusing the search index (ensure_search_index rebuilds it if its schema is old)")
        call_command("ensure_search_index")
    else:
        index_marker.unlink(missing_ok=True)
        log(f"manage.py rebuild_index ({expected:,} articles) …")
        build = build_index(timeout=args.index_timeout * 60)
        if build["timed_out"] or build["returncode"]:
            sys.exit(f"bench/pages.py: the index build failed: {build}")
        timings["index_s"] = round(build["seconds"], 1)
        log(f"  {timings['index_s']} s")
        index_marker.write_text(spec.tag())
    collect_static(Path(env["BULLETIN_DATA_DIR"]))
    return spec, timings


def forget_index(data_dir):
    """Remove the marker of the indexed corpus and a Whoosh index kept in the data folder."""
    import shutil

    from django.conf import settings

    (data_dir / "index-spec.json").unlink(missing_ok=True)
    path = Path(settings.HAYSTACK_CONNECTIONS["default"].get("PATH") or data_dir / "none")
    if path.resolve().is_relative_to(data_dir.resolve()):
        shutil.rmtree(path, ignore_errors=True)


def collect_static(data_dir):
    """collectstatic (a minute here: it compresses every file), skipped when no source file
    changed since the last run."""
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    marker = data_dir / "static-sources.sha256"
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists() and marker.exists() and marker.read_text() == digest.hexdigest():
        return
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(digest.hexdigest())
    log(f"collectstatic: {time.perf_counter() - started:.1f} s")


def django_cursor():
    from django.db import connection

    return connection.cursor()


def clear_caches():
    """Every configured cache, emptied (a page cache keyed by a generation loses it too)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        try:
            caches[alias].clear()
        except Exception as error:  # a cache that is not reachable: say so, go on
            log(f"  could not clear cache {alias!r}: {error}")


def cache_description():
    from django.conf import settings

    return {alias: conf.get("BACKEND", "?") for alias, conf in settings.CACHES.items()}


# -- what is measured ------------------------------------------------------------------------------


def scenarios(args, rng):
    """(name, paths, kind) with kind "static", "cached" (a target page), "page" (measured, no
    target), "uncached"; URLs from the project's URLconf, ids from the corpus."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from articles.models import Article, Authorship, Section
    from issues.models import Issue

    ids = list(Article.objects.public().values_list("pk", flat=True))
    rng.shuffle(ids)
    issues = list(Issue.objects.public().newest_first()[: args.issue_pages])
    section = max(Section.objects.listed().with_article_counts(), key=lambda s: s.article_count)
    last_page = max(1, math.ceil(section.article_count / 20))
    author = (
        Authorship.objects.filter(article__in=Article.objects.public(), person__isnull=False)
        .values("person")
        .annotate(n=Count("pk"))
        .order_by("-n", "person")
        .first()
    )
    static = staticfiles_storage.url("css/site.css")
    search = reverse("articles:search")
    plan = [
        ("static file (CSS, WhiteNoise)", lambda: [static], "static"),
        ("home", lambda: [reverse("bulletin:home")], "cached"),
        ("issue archive /issues/", lambda: [reverse("issues:archive")], "cached"),
        (f"year page ({issues[0].year})", lambda: [reverse("issues:year", args=[issues[0].year])],
         "cached"),
        (f"issue page ({len(issues)} issues)", lambda: [i.get_absolute_url() for i in issues],
         "cached"),
        (f"article ({args.article_pages} articles)",
         lambda: [reverse("articles:detail", args=[pk]) for pk in ids[: args.article_pages]],
         "cached"),
        (f"article, uncached ({len(ids):,} articles)",
         lambda: [reverse("articles:detail", args=[pk]) for pk in ids], "uncached"),
        (f"section page 1 ({section.article_count:,} articles)",
         lambda: [section.get_absolute_url()], "cached"),
        (f"section page {last_page} (the last)",
         lambda: [f"{section.get_absolute_url()}?page={last_page}"], "cached"),
        (f"author page ({author['n'] if author else 0} articles)",
         lambda: [reverse("articles:person", args=[author["person"]])], "cached"),
        ("search, common word (政协)", lambda: [f"{search}?{urlencode({'q': '政协'})}"], "page"),
        ("search, rare word (螺蛳粉)", lambda: [f"{search}?{urlencode({'q': '螺蛳粉'})}"], "page"),
        ("API issue list", lambda: [reverse("api:issues")], "page"),
        (f"API article ({args.article_pages} articles)",
         lambda: [reverse("api:article", args=[pk]) for pk in ids[: args.article_pages]], "page"),
        ("RSS feed", lambda: [reverse("articles:feed_rss")], "cached"),
        ("sitemap.xml", lambda: [reverse("bulletin:sitemap")], "cached"),
    ]  # fmt: skip
    chosen = []
    for name, paths, kind in plan:
        try:
            chosen.append({"name": name, "paths": paths(), "kind": kind})
        except (NoReverseMatch, TypeError, IndexError) as error:
            log(f"  skipped {name}: {error}")
    return chosen


def sitemap_pages(base, scenario_list):
    """When sitemap.xml is an index, its first page of articles (else its first page) too."""
    import xml.etree.ElementTree as ET

    sitemap = next((s for s in scenario_list if s["name"] == "sitemap.xml"), None)
    if sitemap is None:
        return
    status, headers, body = pages_server.fetch(base + sitemap["paths"][0])
    if status != 200:
        return
    if headers.get("Content-Encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    root = ET.fromstring(body)
    if not root.tag.endswith("sitemapindex"):
        return
    locs = [el.text for el in root.iter() if el.tag.endswith("loc") and el.text]
    chosen = next((loc for loc in locs if "article" in loc), locs[0] if locs else None)
    if chosen:
        parts = urlsplit(chosen)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        scenario_list.insert(scenario_list.index(sitemap) + 1,
                             {"name": f"sitemap page {path}", "paths": [path], "kind": "cached"})  # fmt: skip


def probe(base, scenario):
    """Status, size and caching headers of the scenario's first page."""
    started = time.perf_counter()
    status, headers, body = pages_server.fetch(base + scenario["paths"][0])
    return {
        "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "bytes": len(body),
        **{h: headers.get(h) for h in ("Content-Encoding", "Cache-Control", "ETag",
                                       "Last-Modified", "Content-Type") if headers.get(h)},
    }  # fmt: skip


def measure(args, base, scenario, connections, first_ms):
    """Every point of one scenario, ``args.rounds`` times (medians). A page slower than a third
    of a point is given three times its time (up to a minute), so that some answers come back."""
    paths, kind = scenario["paths"], scenario["kind"]
    seconds = max(args.seconds, min(60, math.ceil(3 * first_ms / 1000)))
    if kind in ("cached", "page", "static"):
        failures = pages_server.fetch_all(base, paths)
        if failures:
            log(
                f"  warm-up: {len(failures)} of {len(paths)} pages failed, e.g. {next(iter(failures.items()))}"
            )
    points = []
    for index, c in enumerate(connections):
        runs = []
        for _ in range(args.rounds):
            walk = paths
            if kind == "uncached":
                clear_caches()
                # each point on its own share of the articles, so that none is seen twice
                share = len(paths) // (len(connections) * args.rounds)
                start = (index * args.rounds + len(runs)) * share
                walk = paths[start : start + share] or paths
            runs.append(pages_server.wrk(base, walk, connections=c, seconds=seconds,
                                         bust=kind == "uncached"))  # fmt: skip
            runs[-1]["drain_s"] = pages_server.drain(base)
        points.append(median_run(runs))
        p = points[-1]
        log(f"  {c:>3} conn: {p['rps']:8.1f} req/s, p50 {ms(p['p50_ms'])} p95 {ms(p['p95_ms'])} "
            f"p99 {ms(p['p99_ms'])} ms, errors {p['error_count']} ({p['seconds']:.0f} s)"
            + (f"; {p['drain_s']} s until the server was idle again" if p.get("drain_s", 0) > 1 else ""))  # fmt: skip
    return points


def ms(value):
    return "–" if value is None else f"{value:.1f}"


def median_run(runs):
    if len(runs) == 1:
        return runs[0]
    merged = dict(runs[0])
    for key in ("rps", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms", "bytes_per_response"):
        values = [run[key] for run in runs if run[key] is not None]
        merged[key] = statistics.median(values) if values else None
    merged["requests"] = sum(run["requests"] for run in runs)
    merged["errors"] = {k: sum(run["errors"][k] for run in runs) for k in runs[0]["errors"]}
    merged["error_count"] = sum(merged["errors"].values())
    merged["rounds"] = len(runs)
    return merged


# -- the run ---------------------------------------------------------------------------------------


def versions(env):
    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    with django_cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    names = ("Django", "gunicorn", "whitenoise", "psycopg", "django-haystack", "Whoosh-Reloaded")
    return {
        "python": platform.python_version(),
        **{name: v(name) for name in names},
        "postgresql": postgres,
        "wrk": pages_server.wrk_version(),
    }


def git_state():
    def git(*command):
        return subprocess.run(
            ["git", *command], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return head + (" (uncommitted changes)" if dirty else "")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--publications",
        type=int,
        default=1,
        help="spread the issues over this many publications (the site shows the first)",
    )
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument(
        "--quick", action="store_true", help="3 s a point, 100 articles and 30 issues rotated"
    )
    parser.add_argument("--connections", default="1,10,50")
    parser.add_argument("--rounds", type=int, default=1, help="runs per point (medians)")
    parser.add_argument("--only", help="comma-separated words: measure only scenarios naming one")
    parser.add_argument("--rebuild", action="store_true", help="write the corpus and index again")
    parser.add_argument("--no-index", action="store_true", help="skip the search index build")
    parser.add_argument(
        "--index-timeout",
        type=float,
        metavar="MINUTES",
        help="give up the index build after this long (default: 30 min, "
        "1 min per 1,000 articles above 30,000)",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an extra variable for the server, e.g. BULLETIN_PAGE_CACHE_SECONDS=0",
    )
    parser.add_argument(
        "--data-dir",
        default=str(ROOT / "var" / "pagebench"),
        help="the server's BULLETIN_DATA_DIR (index, static files, cache)",
    )
    parser.add_argument("--output", default=str(BENCH / "results"))
    args = parser.parse_args()  # fmt: skip
    if args.quick:
        args.seconds = min(args.seconds, 3)
    args.index_timeout = args.index_timeout or max(30, args.articles / 1000)
    args.article_pages = 100 if args.quick else 500
    args.issue_pages = 30 if args.quick else 100
    return args


def main():
    args = parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = production_env(data_dir, args.server_env)  # this process clears the server's caches
    load_before = os.getloadavg()
    spec, timings = prepare(args, env)
    started = time.perf_counter()
    scenario_list = scenarios(args, random.Random(args.seed))
    log(f"pages chosen: {time.perf_counter() - started:.1f} s")
    if args.only:
        words = args.only.split(",")
        scenario_list = [s for s in scenario_list
                         if s["kind"] == "static" or any(s["name"].startswith(w) for w in words)]  # fmt: skip

    server_env = {**os.environ, **env}
    server = pages_server.Server(server_env, data_dir / "gunicorn.log")
    clear_caches()  # nothing left from another corpus or code version
    log(f"starting {' '.join(server.command)}")
    started = time.perf_counter()
    server.start()
    log(f"server up: {time.perf_counter() - started:.1f} s")
    try:
        sitemap_pages(server.base, scenario_list)
        results = []
        for scenario in scenario_list:
            log(f"{scenario['name']} ({len(scenario['paths'])} paths, e.g. {scenario['paths'][0]})")
            entry = {
                "name": scenario["name"], "kind": scenario["kind"],
                "example": scenario["paths"][0], "distinct_paths": len(scenario["paths"]),
                "probe": probe(server.base, scenario),
            }  # fmt: skip
            if entry["probe"]["status"] >= 400:
                log(f"  answers {entry['probe']['status']}: measured anyway, errors will show it")
            entry["points"] = measure(args, server.base, scenario, connections,
                                      entry["probe"]["ms"])  # fmt: skip
            results.append(entry)
        workers = server.workers()
    finally:
        server.stop()

    from django.db import connection

    run = {
        "benchmark": "pages",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join(["bench/pages.py", *sys.argv[1:]]),
        "corpus": {
            **vars(spec),
            "issues": spec.issues,
            "people": spec.people,
            "public_articles": public_count(),
        },  # fmt: skip
        "timings": timings,
        "machine": {
            **machine(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },  # fmt: skip
        "versions": versions(env),
        "code": git_state(),
        "server": {
            "command": " ".join(server.command),
            "workers": workers,
            "gunicorn_conf": (ROOT / "gunicorn.conf.py").exists(),
            "extra_env": args.server_env,
            "caches": cache_description(),
            "database": connection.settings_dict["NAME"],
        },  # fmt: skip
        "settings": {
            "seconds": args.seconds,
            "connections": connections,
            "rounds": args.rounds,
            "wrk_threads": "1 at one connection, else 2",
            "accept_encoding": "gzip",
        },  # fmt: skip
        "results": results,
    }
    return pages_report.finish(run, Path(args.output))


def public_count():
    from articles.models import Article

    return Article.objects.public().count()


if __name__ == "__main__":
    sys.exit(main())
