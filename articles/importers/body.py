"""Article bodies: running heads out, broken paragraphs joined, headings and end notes found."""

import re

from .parsed import Block, Line

ENUMERATED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、．.]|（[一二三四五六七八九十]{1,3}）|第[一二三四五六七八九十]{1,3}[部分章节]|[0-9]{1,2}[、．.](?!\d))"
)
END_NOTE = re.compile(r"^[（(]\s*(?:来源|文章来源|稿件来源|原载|转自|摘自|作者|本文作者)")
SOURCE_LABEL = re.compile(r"(?:来源|文章来源|稿件来源|原载|转自|摘自)\s*[:：]?\s*")
# A paragraph may end with these; anything else at a page break means it goes on.
PARAGRAPH_END = tuple("。！？”’）)…：；》】!?.\"'")
SENTENCE_END = tuple("。！？…!?")
CLOSERS = tuple("”’」』）)")
CONTINUATION_START = tuple("，。、；：！？”’）)")
# Unnumbered subheadings in this bulletin are short phrases; a longer line without an ending
# is the first print line of a paragraph cut by a page break (a print line holds ~26 characters).
MAX_HEADING = 21
MAX_NUMBERED_HEADING = 60


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends a sentence: 。！？ possibly followed by closing quotes or brackets."""
    stripped = text.rstrip("".join(CLOSERS))
    return stripped.endswith(SENTENCE_END) or (stripped != text and stripped.endswith("："))


def is_headline_like(text: str) -> bool:
    """Short, with no sentence inside: a title, subtitle, author line or subheading."""
    return (
        len(text) <= MAX_NUMBERED_HEADING
        and "。" not in text
        and not ends_sentence(text)
        and not text.endswith(tuple("，；：、,;:"))
    )


def is_heading(text: str, next_line: Line | None, *, numbered_article: bool = False) -> bool:
    if not is_headline_like(text):
        return False
    if not _balanced(text):
        return False  # an open quote or bracket: the line was cut off mid-sentence
    if ENUMERATED_HEADING.match(text):
        return True
    if len(text) > MAX_HEADING or (numbered_article and "，" in text):
        # where headings are numbered (一、二、), an unnumbered clause is a cut paragraph
        return False
    # A short line cut off by a page break is the start of a paragraph, not a heading.
    return not (next_line and next_line.after_page_break)


def _balanced(text: str) -> bool:
    return all(
        text.count(a) == text.count(b) for a, b in ("“”", "‘’", "（）", "()", "《》", "【】")
    )


def build_blocks(lines: list[Line]) -> tuple[list[Block], list[Block]]:
    """Group an article's lines into body blocks (paragraphs, headings) and end notes."""
    blocks, notes = [], []
    last = None  # the paragraph or note a line may continue
    numbered = any(
        ENUMERATED_HEADING.match(line.text) and is_headline_like(line.text) for line in lines
    )
    for index, line in enumerate(lines):
        text = line.text
        following = lines[index + 1] if index + 1 < len(lines) else None
        if last is not None and last.kind == "note" and not _note_closed(last):
            _extend(last, line)
        elif END_NOTE.match(text):
            last = Block("note", text, [line.number])
            notes.append(last)
        elif last is not None and last.kind == "p" and _continues(last, line):
            _extend(last, line)
        elif is_heading(text, following, numbered_article=numbered):
            blocks.append(Block("h", text, [line.number]))
            last = None
        else:
            last = Block("p", text, [line.number])
            blocks.append(last)
    return blocks, notes


def _continues(paragraph: Block, line: Line) -> bool:
    """Whether ``line`` carries on ``paragraph`` across a page or column break."""
    if line.after_page_break:
        # A running head marks a page break for sure: only a finished sentence ends the paragraph.
        return not ends_sentence(paragraph.text) or line.text.startswith(CONTINUATION_START)
    return not paragraph.text.endswith(PARAGRAPH_END)


def _note_closed(note: Block) -> bool:
    return note.text.endswith(("）", ")"))


def _extend(block: Block, line: Line):
    block.text = _join(block.text, line.text)
    block.lines.append(line.number)


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return f"{left} {right}"
    return left + right


def split_note(text: str) -> tuple[str, str]:
    """(author_note, source) of an end note such as （作者系…主席。来源：《人民政协报》）."""
    inner = text.strip()
    if inner[:1] in "（(":
        inner = inner[1:]
    if inner[-1:] in "）)":
        inner = inner[:-1]
    inner = inner.strip()
    match = SOURCE_LABEL.search(inner)
    if not match:
        return inner, ""
    source = inner[match.end() :].strip().rstrip("。")
    author_note = inner[: match.start()].strip()
    return author_note, source
