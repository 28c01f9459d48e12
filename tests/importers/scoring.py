"""The rules of ../shared/tools/score-import, ported so tests can list what an import missed.

score(got, expected) takes an importer's to_json() and an expected.json-shaped dict and returns
the misses as readable strings: [] means a perfect import. The rules are the scorer's, unchanged:
titles compared with whitespace and dashes removed and title+subtitle joined; role "" equals
"作者"; author notes compared without a trailing 。; each must_contain text inside ONE block;
each heading among the <h*> blocks; no <p> ending mid-sentence.
"""

import html
import re

PARAGRAPH_ENDINGS = "。！？”’）)…：；》】!?.\"'"


def norm(s):
    return re.sub(r"\s+", "", s or "").replace("——", "").replace("—", "")


def blocks(body_html):
    """(tag, text) of each block element, tags stripped."""
    found = re.findall(r"<(p|h[1-6]|li|blockquote)[^>]*>(.*?)</\1>", body_html or "", flags=re.S)
    return [(tag, html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()) for tag, inner in found]


def _name(x):
    return x if isinstance(x, str) else (x or {}).get("name")


def score(got: dict, expected: dict) -> list[str]:
    misses = []

    def check(ok, what):
        if not ok:
            misses.append(what)

    arts = got.get("articles", [])
    check(
        len(arts) == len(expected["articles"]),
        f"article count {len(arts)} != {len(expected['articles'])}",
    )
    by_joined = {norm((a.get("title") or "") + (a.get("subtitle") or "")): a for a in arts}
    got_sections = [_name(s) for s in got.get("sections", [])]
    check(
        got_sections == expected["sections"], f"sections {got_sections} != {expected['sections']}"
    )
    for e in expected["articles"]:
        key = norm(e["title"] + e["subtitle"])
        a = by_joined.get(key)
        if a is None:  # the title may have absorbed the subtitle or not: try the title alone
            a = next((x for x in arts if norm(x.get("title")) == norm(e["title"])), None)
        check(a is not None, f"missing article {e['title']}")
        if a is None:
            continue
        t = e["title"][:12]
        sec = _name(a.get("section"))
        check(sec == e["section"], f"{t}: section {sec!r} != {e['section']!r}")
        check(a.get("page") == e["page"], f"{t}: page {a.get('page')!r} != {e['page']}")
        joined = norm((a.get("title") or "") + (a.get("subtitle") or ""))
        check(joined == key, f"{t}: title+subtitle {a.get('title')!r}/{a.get('subtitle')!r}")
        ga = [
            (
                x.get("name"),
                "" if (x.get("role") or "") in ("", "作者") else x.get("role"),
                x.get("kind"),
            )
            for x in a.get("authors", [])
        ]
        ea = [(x["name"], x["role"], x["kind"]) for x in e["authors"]]
        ga_compact = [(n.replace(" ", "") if n else n, r, k) for n, r, k in ga]
        check(ga_compact == ea, f"{t}: authors {ga} != {ea}")
        check(
            norm(a.get("source")) == norm(e["source"]),
            f"{t}: source {a.get('source')!r} != {e['source']!r}",
        )
        check(
            norm(a.get("author_note")).rstrip("。") == norm(e["author_note"]).rstrip("。"),
            f"{t}: author_note {a.get('author_note')!r} != {e['author_note']!r}",
        )
        ps = blocks(a.get("body_html", ""))
        texts = [norm(p) for _, p in ps]
        for s in e["must_contain"]:
            check(any(norm(s) in p for p in texts), f"{t}: body lacks (within one block) {s[:20]}…")
        heads = [norm(p) for tag, p in ps if tag.startswith("h")]
        for h in e["headings"]:
            check(norm(h) in heads, f"{t}: heading missing {h}")
        for bad in expected["must_not_contain_anywhere_in_bodies"]:
            check(bad not in (a.get("body_html") or ""), f"{t}: body contains {bad}")
        dangling = [p for tag, p in ps if tag == "p" and p and p[-1] not in PARAGRAPH_ENDINGS]
        check(
            not dangling,
            f"{t}: {len(dangling)} paragraph(s) end mid-sentence: {dangling[0][-15:] if dangling else ''}",
        )
    colophon = got.get("colophon", {})
    for k in ("editors", "proofreaders", "distribution"):
        g = [(_name(x) or "").replace(" ", "") for x in colophon.get(k, [])]
        check(g == expected["colophon"][k], f"colophon {k}: {g} != {expected['colophon'][k]}")
    publication = got.get("publication", {})
    for k in ("phone", "email"):
        check(
            publication.get(k) == expected["publication"][k],
            f"publication {k}: {publication.get(k)!r}",
        )
    return misses
