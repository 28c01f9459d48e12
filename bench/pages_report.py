"""The page benchmark's verdict and report: targets of issue 12, JSON and a Markdown table."""

import json
import sys
import time

# Issue 12, on a 2-core machine.
CACHED_SHARE = 0.5  # cached public pages: at least half the static file's requests/s at 10 conns
UNCACHED_ARTICLE_P95_MS = 50.0  # at 10 connections
SITEMAP_P95_MS = 200.0  # each sitemap page, one connection
FEED_P95_MS = 50.0  # one connection


def ms(value):
    return "no answer" if value is None else f"{value:.1f} ms"


def below(value, limit):
    """A latency under ``limit``; no answer at all is not."""
    return value is not None and value < limit


def point(entry, connections):
    return next((p for p in entry["points"] if p["connections"] == connections), None)


def checks(results):
    """(target, measured, required, ok) — ok None when not measured."""
    static = next((r for r in results if r["kind"] == "static"), None)
    ceiling = point(static, 10) if static else None
    out = []
    for entry in results:
        name = entry["name"]
        at10, at1 = point(entry, 10), point(entry, 1)
        if entry["kind"] == "cached":
            if at10 and ceiling:
                share = at10["rps"] / ceiling["rps"] if ceiling["rps"] else 0.0
                out.append((f"{name}: req/s at 10 connections ≥ {CACHED_SHARE:.0%} of static",
                            f"{at10['rps']:,.0f} = {share:.1%} of {ceiling['rps']:,.0f}",
                            f"≥ {CACHED_SHARE * ceiling['rps']:,.0f}", share >= CACHED_SHARE))  # fmt: skip
            else:
                out.append((f"{name}: req/s at 10 connections", "not measured", "", None))
        if entry["kind"] == "uncached":
            out.append((f"{name}: p95 at 10 connections",
                        ms(at10["p95_ms"]) if at10 else "not measured",
                        f"< {UNCACHED_ARTICLE_P95_MS:.0f} ms",
                        below(at10["p95_ms"], UNCACHED_ARTICLE_P95_MS) if at10 else None))  # fmt: skip
        if name.startswith("sitemap"):
            out.append((f"{name}: p95 at 1 connection",
                        ms(at1["p95_ms"]) if at1 else "not measured",
                        f"< {SITEMAP_P95_MS:.0f} ms",
                        below(at1["p95_ms"], SITEMAP_P95_MS) if at1 else None))  # fmt: skip
        if "feed" in name:
            out.append((f"{name}: p95 at 1 connection",
                        ms(at1["p95_ms"]) if at1 else "not measured",
                        f"< {FEED_P95_MS:.0f} ms", below(at1["p95_ms"], FEED_P95_MS) if at1 else None))  # fmt: skip
    errors = [(r["name"], point(r, 50)) for r in results if point(r, 50)]
    if errors:
        bad = [
            f"{name}: {p['error_count']} ({errors_text(p)})"
            for name, p in errors
            if p["error_count"]
        ]
        out.append(("errors at 50 connections (every page)", "; ".join(bad) or "0",
                    "0", not bad))  # fmt: skip
    else:
        out.append(("errors at 50 connections", "not measured", "0", None))
    return out


def errors_text(p):
    return ", ".join(f"{k} {v}" for k, v in p["errors"].items() if v) or "none"


def table(run):
    results = run["results"]
    connections = run["settings"]["connections"]
    static = next((r for r in results if r["kind"] == "static"), None)
    ceiling = point(static, 10) if static else None
    head = "| page | " + " | ".join(f"{c} conn: req/s, p50 / p95 / p99 ms" for c in connections)
    head += " | errors | share of static @10 | size |"
    lines = [head, "|---|" + "---|" * len(connections) + "---|---|---|"]
    for entry in results:
        cells = []
        for c in connections:
            p = point(entry, c)
            cells.append(f"{p['rps']:,.1f}, " + " / ".join(
                "–" if p[k] is None else f"{p[k]:.1f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
                if p else "–")  # fmt: skip
        errors = sum(p["error_count"] for p in entry["points"])
        at10 = point(entry, 10)
        share = (f"{at10['rps'] / ceiling['rps']:.1%}"
                 if at10 and ceiling and ceiling["rps"] else "–")  # fmt: skip
        probe = entry["probe"]
        size = f"{probe['bytes'] / 1024:,.1f} KB" + (" gz" if probe.get("Content-Encoding") else "")
        if probe["status"] != 200:
            size += f" (HTTP {probe['status']})"
        lines.append(
            f"| {entry['name']} | " + " | ".join(cells) + f" | {errors} | {share} | {size} |"
        )
    return lines


def markdown(run, verdict):
    m, corpus = run["machine"], run["corpus"]
    v = run["versions"]
    lines = [
        f"# Page benchmark: {corpus['articles']:,} articles",
        "",
        f"`{run['command']}`, {run['date']}; code {run['code']}.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} CPUs, {m['memory']} memory; load average "
        f"{m['load_average_before'][0]:.2f} before, {m['load_average_after'][0]:.2f} after",
        f"- Software: Python {v['python']}, Django {v['Django']}, gunicorn {v['gunicorn']}, "
        f"PostgreSQL {v['postgresql']}, {v['wrk']}",
        f"- Server: `{run['server']['command']}` ({run['server']['workers']} workers), caches "
        f"{run['server']['caches']}"
        + (f", extra {run['server']['extra_env']}" if run["server"]["extra_env"] else ""),
        f"- Corpus: {corpus['public_articles']:,} public articles of {corpus['articles']:,}, "
        f"{corpus['issues']:,} issues in {corpus['publications']} publication(s), "
        f"{corpus['people']:,} people",
        f"- Load: wrk, {run['settings']['seconds']} s a point, {run['settings']['rounds']} "
        "round(s) (medians), Accept-Encoding gzip; cached pages fetched once before",
        "",
        "## Targets (issue 12)",
        "",
        "| target | measured | required | |",
        "|---|---|---|---|",
    ]
    for name, measured, required, ok in verdict:
        mark = "pass" if ok else ("not measured" if ok is None else "**FAIL**")
        lines.append(f"| {name} | {measured} | {required} | {mark} |")
    lines += ["", "## Figures", "", *table(run), ""]
    lines.append("Size: the first page's response body as sent (gz: compressed). errors: "
                 "socket errors, timeouts and 4xx/5xx answers over all points.")  # fmt: skip
    return "\n".join(lines) + "\n"


def finish(run, output_dir):
    verdict = checks(run["results"])
    run["targets"] = [dict(zip(("target", "measured", "required", "ok"), row, strict=True))
                      for row in verdict]  # fmt: skip
    output_dir.mkdir(parents=True, exist_ok=True)
    stem = f"pages-{run['corpus']['articles']}-{time.strftime('%Y-%m-%d')}"
    (output_dir / f"{stem}.json").write_text(json.dumps(run, ensure_ascii=False, indent=1) + "\n")
    text = markdown(run, verdict)
    (output_dir / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)
    failed = [name for name, _, _, ok in verdict if ok is False]
    if failed:
        print(f"{len(failed)} target(s) missed:", *(f"- {name}" for name in failed), sep="\n")
    print(f"written to {output_dir / stem}.json and .md", file=sys.stderr)
    return 1 if failed else 0
