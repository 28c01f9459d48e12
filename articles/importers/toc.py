"""The table of contents (目 录) of an issue's print text.

An entry is one or more lines ending with the start page in parentheses, after a dot leader:
    - 抓落实的行动指南……………周俊杰 (12)
    - 创新机制 搭建平台 推动委员联系和服务基层群众工作
    走深走实……………唐筱凌 (21)
    事争一流 奋发有为
    ——山东省政协以“四强”政协机关建设推进履职提质增效
    ..... (29)
Section headers (※ 名称 ※) stand between entries.
"""

import re

from .errors import ImportFileError
from .parsed import Line, TocEntry

TOC_HEADING = re.compile(r"^目\s*录$")
SECTION_MARKER = re.compile(r"^※\s*(.+?)\s*※$")
# leader, then the author text (may be empty), then the page number in half- or full-width parens
ENTRY_END = re.compile(
    r"^(?P<before>.*?)(?:…{2,}|\.{3,}|·{3,}|－{3,}|-{4,})\s*(?P<authors>.*?)\s*[(（]\s*(?P<page>\d{1,4})\s*[)）]$"
)
BULLET = re.compile(r"^[-－•·*]\s*")
SENTENCE_END = ("。", "！", "？")
MAX_LINES_PER_ENTRY = 4


def find_toc(lines: list[Line]) -> int:
    """Index in ``lines`` of the 目录 heading."""
    for index, line in enumerate(lines):
        if TOC_HEADING.match(line.text):
            return index
    raise ImportFileError(
        "没有找到目录：文件中应有一行“目 录”，其后是各栏目（※ 栏目名 ※）和文章条目"
        "（标题……作者 (页码)）。请确认这是整期刊物的印刷版文本。"
    )


def parse_toc(lines: list[Line], start: int) -> tuple[list[str], list[TocEntry], int]:
    """Parse from the line after 目录; return (sections, entries, index where the body starts)."""
    sections, entries, pending = [], [], []
    section = ""
    index = start + 1
    while index < len(lines):
        line = lines[index]
        marker = SECTION_MARKER.match(line.text)
        if marker:
            if pending:
                break  # a running head: the body has begun
            section = marker.group(1)
            if section not in sections:
                sections.append(section)
            index += 1
            continue
        end = ENTRY_END.match(line.text)
        if end and len(pending) < MAX_LINES_PER_ENTRY:
            if not section:
                raise ImportFileError(
                    "目录中的第一个条目之前没有栏目名，应为“※ 栏目名 ※”。", line=line.number
                )
            entries.append(_entry(section, pending, line, end))
            pending = []
            index += 1
            continue
        if line.text.endswith(SENTENCE_END) or len(pending) >= MAX_LINES_PER_ENTRY:
            break  # a paragraph of body text, or lines that never reach a page number
        pending.append(line)
        index += 1
    if not entries:
        raise ImportFileError(
            "目录中没有找到文章条目。每个条目应以页码结尾，如：“标题……作者 (12)”。",
            line=lines[start].number,
        )
    body_start = index - len(pending)
    return sections, entries, body_start


def _entry(section, pending, last, end):
    parts = [line.text for line in pending]
    before = end.group("before").strip()
    if before:
        parts.append(before)
    if parts:
        parts[0] = BULLET.sub("", parts[0])
    title_parts, subtitle_parts = [], []
    for part in parts:
        if subtitle_parts or part.startswith(("——", "—", "--")):
            subtitle_parts.append(part)
        else:
            title_parts.append(part)
    return TocEntry(
        section=section,
        page=int(end.group("page")),
        title=_join(title_parts),
        subtitle=_join(subtitle_parts),
        authors_text=end.group("authors").strip(),
        line=last.number,
        lines=[line.number for line in pending] + [last.number],
    )


def _join(parts):
    """Lines of a wrapped entry, joined as one: Chinese wraps take no space."""
    text = ""
    for part in parts:
        if text and text[-1].isascii() and text[-1].isalnum() and part[:1].isascii():
            text += " "
        text += part
    return text
