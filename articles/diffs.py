"""Character-level differences between two states of an article, for people who proofread Chinese.

Pure: works on plain "snapshots" (dicts of strings, see ``FIELDS``) and needs no models, so the
history page, the proofing report and the edit-conflict panel all show changes the same way.

Chinese has no spaces between words, so a word diff would mark a whole sentence as changed when
one character was corrected. Texts are compared character by character (difflib, without its
"junk" heuristic, which would ignore frequent characters such as 的 in long texts); bodies are
compared paragraph by paragraph first, then by character inside the paragraphs that differ.
Unchanged stretches are folded to a little context either side of each change.
"""

import difflib
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The fields compared, in the order they are listed: (snapshot key, label shown to editors).
FIELDS = [
    ("title", "标题"),
    ("kicker", "引题"),
    ("subtitle", "副题"),
    ("section", "栏目"),
    ("pages", "起止页码"),
    ("authors", "作者"),
    ("source", "来源"),
    ("author_note", "作者说明"),
    ("correction_note", "更正说明"),
    ("body", "正文"),
]

CONTEXT = 20  # characters of unchanged text kept either side of a change
ELLIPSIS = "…"
PARAGRAPH_MARK = "¶"  # makes an inserted or deleted paragraph break visible

# Tags that end a block of text: a paragraph break is kept where they close (or where <br> is).
_BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "caption",
    "tr",
    "table",
    "ul",
    "ol",
    "figure",
    "pre",
}


@dataclass(frozen=True)
class FieldDiff:
    """One changed field: its label, the two plain values, and the inline-marked difference."""

    key: str
    label: str
    old: str
    new: str
    html: SafeString


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.current = []

    def _end_block(self):
        text = "".join(self.current)
        # Whitespace inside a block is layout, not content (print text has none between
        # Chinese characters); a run of it becomes one space.
        text = " ".join(text.split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS or tag == "br":
            self._end_block()

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self._end_block()

    def handle_data(self, data):
        self.current.append(data)

    def close(self):
        super().close()
        self._end_block()


def body_text(body_html):
    """The text of an HTML body, one line per paragraph (or heading, list item, table row)."""
    parser = _TextExtractor()
    parser.feed(body_html or "")
    parser.close()
    return "\n".join(parser.blocks)


def author_line(entries):
    """An author line as printed: ``[("记者", "吴宁"), ("通讯员", "李明")]`` → "记者 吴宁、通讯员 李明"."""
    return "、".join(f"{role} {name}" if role else name for role, name in entries)


def page_range(start, end):
    if not start:
        return ""
    if end and end != start:
        return f"第{start}—{end}页"
    return f"第{start}页"


def _opcodes(old, new):
    """(tag, old_text, new_text) triples, paragraphs matched first, then characters."""
    if "\n" not in old and "\n" not in new:
        yield from _char_opcodes(old, new)
        return
    old_lines, new_lines = old.split("\n"), new.split("\n")
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    first = True
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # Paragraph breaks belong to the text between blocks; a block after the first starts
        # with the break that separates it from the one before.
        a = "\n".join(old_lines[i1:i2])
        b = "\n".join(new_lines[j1:j2])
        if not first:
            a = "\n" + a if i2 > i1 else a
            b = "\n" + b if j2 > j1 else b
        first = False
        if tag == "equal":
            yield "equal", a, b
        else:
            yield from _char_opcodes(a, b)


def _char_opcodes(old, new):
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield "equal", old[i1:i2], new[j1:j2]
        else:
            yield tag, old[i1:i2], new[j1:j2]


def _segments(old, new):
    """Merge the opcodes into a list of ("equal" | "delete" | "insert", text)."""
    segments = []

    def add(kind, text):
        if not text:
            return
        if segments and segments[-1][0] == kind:
            segments[-1] = (kind, segments[-1][1] + text)
        else:
            segments.append((kind, text))

    for tag, a, b in _opcodes(old, new):
        if tag == "equal":
            add("equal", a)
        else:
            add("delete", a)
            add("insert", b)
    return segments


def _head(text, n):
    """Up to n characters from the start, not into a second paragraph (a break right at the
    start, which closes the changed paragraph, is kept)."""
    cut = text[:n]
    if "\n" in cut[1:]:
        cut = cut[: cut.index("\n", 1)]
    return cut


def _tail(text, n):
    """Up to n characters from the end, not back into an earlier paragraph."""
    cut = text[-n:] if n else ""
    if "\n" in cut[:-1]:
        cut = cut[cut.rindex("\n", 0, len(cut) - 1) + 1 :]
    return cut


def _fold(text, first, last, context):
    """The part of an unchanged stretch worth showing: context next to the changes."""
    if first and last:  # nothing changed at all
        return escape(text)
    if first:
        kept = _tail(text, context)
        return (ELLIPSIS if len(kept) < len(text) else "") + escape(kept)
    if last:
        kept = _head(text, context)
        return escape(kept) + (ELLIPSIS if len(kept) < len(text) else "")
    if len(text) <= 2 * context + 1 and "\n" not in text:
        return escape(text)
    head, tail = _head(text, context), _tail(text, context)
    if len(head) + len(tail) >= len(text):
        return escape(text)
    return escape(head) + ELLIPSIS + escape(tail)


def _mark(text):
    # Paragraph breaks inside a change are shown as ¶ so that an added or removed break is seen.
    return escape(text).replace("\n", PARAGRAPH_MARK + "\n")


def diff_text(old, new, context=CONTEXT):
    """The difference between two texts as HTML: <del>/<ins> inline, everything else escaped.

    Returns an empty string when the texts are equal.
    """
    old, new = old or "", new or ""
    if old == new:
        return mark_safe("")
    segments = _segments(old, new)
    parts = []
    for index, (kind, text) in enumerate(segments):
        if kind == "equal":
            parts.append(_fold(text, index == 0, index == len(segments) - 1, context))
        elif kind == "delete":
            parts.append(f"<del>{_mark(text)}</del>")
        else:
            parts.append(f"<ins>{_mark(text)}</ins>")
    return mark_safe("".join(parts))


def field_text(snapshot, key):
    value = snapshot.get(key) or ""
    return body_text(value) if key == "body" else str(value)


def diff_snapshots(old, new, fields=FIELDS, context=CONTEXT):
    """The fields that differ between two snapshots, as ``FieldDiff``s in the order of ``fields``.

    A snapshot is a dict with the keys of ``fields`` (missing keys count as empty); the body is
    HTML and is compared as text, paragraph by paragraph.
    """
    changes = []
    for key, label in fields:
        a, b = field_text(old, key), field_text(new, key)
        if a != b:
            changes.append(FieldDiff(key, label, a, b, diff_text(a, b, context)))
    return changes
