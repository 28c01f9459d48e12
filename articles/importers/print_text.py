"""Import one issue from the plain text extracted from its print PDF.

The text holds the table of contents, the articles in print order with running heads left
where page breaks fell, and the colophon. ``parse_print_text`` reads it into a ParsedIssue
without touching the database; ``issues.importing.save_parsed_issue`` writes one.
"""

import re
from collections import Counter
from difflib import SequenceMatcher

from bulletin.text import compact, normalise_title

from .body import build_blocks, is_headline_like, split_note
from .bylines import parse_byline
from .colophon import find_colophon, parse_colophon
from .decoding import decode_text
from .errors import ImportFileError
from .parsed import Line, ParsedArticle, ParsedIssue, ParseWarning, TocEntry
from .toc import SECTION_MARKER, find_toc, parse_toc

__all__ = ["ImportFileError", "ParsedIssue", "parse_print_text"]

LATIN_RUNNING_HEAD = re.compile(r"^[A-Z][A-Z ]{7,}$")
FOLIO = re.compile(r"^[-—·]?\s*\d{1,3}\s*[-—·]?$")  # a bare page number
DASHES = ("——", "—", "--")
MAX_HEAD_LINES = 4
FUZZY_TITLE_RATIO = 0.75


def parse_print_text(data: bytes | str) -> ParsedIssue:
    text = decode_text(data) if isinstance(data, bytes) else data.replace("\r\n", "\n")
    if not text.strip():
        raise ImportFileError("文件是空的，请选择印刷版导出的文本文件。")
    lines = [
        Line(number, raw.strip().replace("\u3000", " ").strip())
        for number, raw in enumerate(text.split("\n"), start=1)
        if raw.strip()
    ]
    return _Parser(text, lines).parse()


class _Parser:
    def __init__(self, text, lines):
        self.text = text
        self.lines = lines
        self.warnings = []
        self.roles = {}

    def parse(self) -> ParsedIssue:
        toc_index = find_toc(self.lines)
        for line in self.lines[:toc_index]:
            self.roles[line.number] = "ignored"
        sections, entries, body_start = parse_toc(self.lines, toc_index)
        for line in self.lines[toc_index:body_start]:
            self.roles[line.number] = "toc"
        self._check_pages(entries)

        running_head = self._running_head()
        colophon_index = find_colophon(self.lines)
        if colophon_index is None or colophon_index < body_start:
            colophon_index = len(self.lines)
            self.warnings.append(
                ParseWarning("没有找到刊末的发送范围和编辑署名（“发：”“编辑：”）。")
            )
        colophon_lines = self.lines[colophon_index:]
        for line in colophon_lines:
            self.roles[line.number] = "colophon"

        body = self._without_running_heads(self.lines[body_start:colophon_index], running_head)
        if not body:
            raise ImportFileError(
                "目录之后没有正文：文件在目录后就结束了，应接着是各篇文章的标题和正文。",
                line=self.lines[body_start - 1].number,
            )
        heads = self._locate_heads(body, entries)
        articles = []
        for i, (entry, (start, count)) in enumerate(zip(entries, heads, strict=True)):
            end = heads[i + 1][0] if i + 1 < len(heads) else len(body)
            articles.extend(self._articles(entry, body[start:end], count))

        return ParsedIssue(
            text=self.text,
            sections=sections,
            articles=articles,
            colophon=parse_colophon(colophon_lines),
            running_head=running_head,
            warnings=self.warnings,
            line_roles=self.roles,
        )

    # -- page furniture ---------------------------------------------------------------------

    def _running_head(self):
        latin = Counter(line.text for line in self.lines if LATIN_RUNNING_HEAD.match(line.text))
        return latin.most_common(1)[0][0] if latin else ""

    def _without_running_heads(self, lines, running_head):
        """Drop running heads and folios; mark the line after each as following a page break."""
        kept, after_break = [], False
        for line in lines:
            text = line.text
            if (
                (running_head and text == running_head)
                or SECTION_MARKER.match(text)
                or FOLIO.match(text)
            ):
                self.roles[line.number] = "running-head"
                after_break = True
                continue
            kept.append(Line(line.number, text, after_page_break=after_break))
            after_break = False
        return kept

    def _check_pages(self, entries):
        for previous, entry in zip(entries, entries[1:], strict=False):
            if entry.page < previous.page:
                self.warnings.append(
                    ParseWarning(
                        f"目录页码不是递增的：《{entry.title}》的页码 {entry.page} "
                        f"小于前一篇的 {previous.page}。",
                        entry.line,
                    )
                )

    # -- finding each article's head ------------------------------------------------------------

    def _locate_heads(self, body, entries):
        """(index in body, number of headline lines) of each TOC entry's head, in order."""
        heads, cursor = [], 0
        for entry in entries:
            found = self._exact_head(body, entry, cursor) or self._fuzzy_head(body, entry, cursor)
            if found is None:
                raise ImportFileError(
                    f"目录中的《{entry.title}》（第{entry.page}页）在正文中没有找到："
                    "文件可能不完整（被截断），或正文标题与目录不一致。",
                    line=entry.line,
                )
            heads.append(found)
            cursor = found[0] + found[1]
        return heads

    def _exact_head(self, body, entry, cursor):
        target = compact(entry.title + entry.subtitle)
        title_only = compact(entry.title)
        for start in range(cursor, len(body)):
            fallback, joined = None, ""
            for count in range(1, MAX_HEAD_LINES + 1):
                if start + count > len(body) or not is_headline_like(body[start + count - 1].text):
                    break
                joined += compact(body[start + count - 1].text)
                if joined == target:
                    return start, count
                if joined == title_only:
                    fallback = (start, count)
                if not target.startswith(joined):
                    break
            if fallback:
                return self._with_body_subtitle(body, fallback)
        return None

    def _with_body_subtitle(self, body, head):
        start, count = head
        following = start + count
        if following < len(body) and body[following].text.startswith(DASHES):
            return start, count + 1
        return head

    def _fuzzy_head(self, body, entry, cursor):
        target = compact(entry.title + entry.subtitle)
        best, best_ratio = None, FUZZY_TITLE_RATIO
        for start in range(cursor, len(body)):
            joined = ""
            for count in range(1, MAX_HEAD_LINES):
                if start + count > len(body) or not is_headline_like(body[start + count - 1].text):
                    break
                joined += compact(body[start + count - 1].text)
                ratio = SequenceMatcher(None, joined, target, autojunk=False).ratio()
                if ratio > best_ratio:
                    best, best_ratio = (start, count), ratio
        if best:
            self.warnings.append(
                ParseWarning(
                    f"正文标题与目录不完全一致，已按相近标题对应：目录为《{entry.title}》。",
                    body[best[0]].number,
                )
            )
        return best

    # -- one article ----------------------------------------------------------------------------

    def _articles(self, entry: TocEntry, lines: list[Line], head_count: int):
        """The TOC entry's article, plus any article the TOC left out that follows it."""
        article = ParsedArticle(section=entry.section, page=entry.page, title="")
        self._head(article, entry, lines[:head_count])
        rest = lines[head_count:]
        rest = self._authors(article, rest, entry.authors_text)
        own, extra = self._split_after_notes(rest)
        self._fill_body(article, own)
        articles = [article]
        while extra:
            orphan = ParsedArticle(section=entry.section, page=None, title="", in_toc=False)
            orphan.title = normalise_title(extra[0].text)
            orphan.head_lines = [extra[0].number]
            self.roles[extra[0].number] = "title"
            self.warnings.append(
                ParseWarning(
                    f"正文中的《{orphan.title}》不在目录中，已作为“{entry.section}”栏目的文章导入，"
                    "请核对标题、栏目和页码。",
                    extra[0].number,
                )
            )
            rest = self._authors(orphan, extra[1:], "")
            own, extra = self._split_after_notes(rest)
            self._fill_body(orphan, own)
            articles.append(orphan)
        return articles

    def _head(self, article, entry, head):
        toc_text = entry.title + (" " if entry.subtitle else "") + entry.subtitle
        title, subtitle = [], []
        for index, line in enumerate(head):
            self.roles[line.number] = "title"
            is_subtitle = bool(subtitle) or (
                index > 0
                and (
                    line.text.startswith(DASHES)
                    or _space_in_toc_at(toc_text, len(compact("".join(title))))
                )
            )
            if is_subtitle:
                subtitle.append(line.text)
                self.roles[line.number] = "subtitle"
            else:
                title.append(line.text)
        article.title = _spaces_agreed(normalise_title("".join(title)), entry.title)
        article.subtitle = _spaces_agreed(normalise_title("".join(subtitle)), entry.subtitle)
        article.head_lines = [line.number for line in head]

    def _authors(self, article, lines, toc_authors):
        """Take the author line off the top of ``lines`` if there is one; return the rest."""
        if lines:
            first = lines[0].text
            trusted = bool(toc_authors) and compact(first) == compact(toc_authors)
            authors = parse_byline(first, trust=trusted)
            if authors:
                article.authors = authors
                self.roles[lines[0].number] = "author"
                return lines[1:]
        if toc_authors:
            article.authors = parse_byline(toc_authors, trust=True) or []
            self.warnings.append(
                ParseWarning(
                    f"《{article.title}》正文中没有作者行，作者按目录填写：{toc_authors}。",
                    article.head_lines[-1] if article.head_lines else None,
                )
            )
        return lines

    def _split_after_notes(self, lines):
        """Split where a headline follows the end notes: an article the TOC does not list."""
        _, notes = build_blocks(lines)
        if not notes:
            return lines, []
        note_lines = {number for note in notes for number in note.lines}
        first_note = min(notes[0].lines)
        after = [i for i, line in enumerate(lines) if line.number > first_note]
        # skip the rest of the end notes (an article may have several in a row)
        while after and lines[after[0]].number in note_lines:
            after.pop(0)
        if len(after) >= 2 and is_headline_like(lines[after[0]].text):
            return lines[: after[0]], lines[after[0] :]
        return lines, []

    def _fill_body(self, article, lines):
        blocks, notes = build_blocks(lines)
        article.blocks = blocks
        for block in blocks:
            for number in block.lines:
                self.roles[number] = "heading" if block.kind == "h" else "paragraph"
        notes_text = []
        for note in notes:
            for number in note.lines:
                self.roles[number] = "note"
            author_note, source = split_note(note.text)
            if source:
                article.source = source
            if author_note:
                notes_text.append(author_note)
        article.author_note = " ".join(notes_text)
        where = article.head_lines[0] if article.head_lines else None
        if not blocks:
            self.warnings.append(ParseWarning(f"《{article.title}》没有正文。", where))
        elif not notes and article.in_toc:
            self.warnings.append(
                ParseWarning(
                    f"《{article.title}》文末没有来源或作者单位注释，请核对文章是否完整。", where
                )
            )
        dangling = [b for b in blocks if b.kind == "p" and not b.text.endswith(_ENDINGS)]
        for block in dangling:
            self.warnings.append(
                ParseWarning(
                    f"《{article.title}》有一段没有以句末标点结束：“…{block.text[-12:]}”。",
                    block.lines[-1],
                )
            )


_ENDINGS = tuple("。！？”’）)…：；》】!?.\"'")


def _spaces_agreed(text: str, toc_text: str) -> str:
    """Keep a space in a headline only where the TOC prints one too: extraction adds stray
    spaces, but a space both agree on is the typesetter's (创新机制 搭建平台)."""
    if " " not in text or compact(text) != compact(toc_text):
        return text
    kept, offset = [], 0
    for char in text:
        if char == " ":
            if _space_in_toc_at(toc_text, offset):
                kept.append(char)
            continue
        kept.append(char)
        offset += len(compact(char))
    return "".join(kept)


def _space_in_toc_at(toc_text: str, offset: int) -> bool:
    """Whether the TOC prints a space after its first ``offset`` compared characters."""
    count = 0
    for char in toc_text:
        if count == offset:
            return char.isspace()
        if compact(char):
            count += 1
    return False
