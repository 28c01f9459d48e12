"""The colophon printed at the end of an issue: 发：…, 编辑：… 核稿：…, 电话, 投稿邮箱."""

import re

from .bylines import parse_names
from .parsed import Colophon, Line

DISTRIBUTION_START = re.compile(r"^(?:发|分送|送)\s*[:：]")
STAFF_LABELS = {"编辑": "editors", "责任编辑": "editors", "核稿": "proofreaders", "校对": "proofreaders", "签发": "approvers"}  # fmt: skip
STAFF = re.compile(r"(责任编辑|编辑|核稿|校对|签发)\s*[:：]")
PHONE = re.compile(r"(?:电话|联系电话|电\s*话)\s*[:：]\s*([0-9０-９][0-9０-９\-－—()（） ]{4,})")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
OTHER_LINE = re.compile(r"^(?:责任编辑|编辑|核稿|校对|签发|电话|联系电话|投稿|邮箱|电子邮箱|E-?mail|地址|邮编|印刷|出版)", re.I)  # fmt: skip
ENTRY_SEPARATORS = set("、，,；;。\n")
OPENING, CLOSING = set("（(《〈【"), set("）)》〉】")


def find_colophon(lines: list[Line]) -> int | None:
    """Index of the first colophon line (the last 发： line), or None."""
    for index in range(len(lines) - 1, -1, -1):
        if DISTRIBUTION_START.match(lines[index].text):
            return index
    for index in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        if STAFF.match(lines[index].text):
            return index
    return None


def parse_colophon(lines: list[Line]) -> Colophon:
    colophon = Colophon()
    distribution, in_distribution = [], False
    for line in lines:
        text = line.text
        if DISTRIBUTION_START.match(text):
            in_distribution = True
            distribution.append(DISTRIBUTION_START.sub("", text).strip())
            continue
        if in_distribution and not OTHER_LINE.match(text):
            distribution.append(text)
            continue
        in_distribution = False
        _staff(text, colophon)
        if phone := PHONE.search(text):
            colophon.phone = phone.group(1).strip()
        if "@" in text and (email := EMAIL.search(text)):
            colophon.email = email.group(0)
    colophon.distribution_line = "\n".join(distribution)
    colophon.distribution = split_entries(colophon.distribution_line)
    return colophon


def _staff(text, colophon):
    labels = list(STAFF.finditer(text))
    for i, match in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        names = parse_names(text[match.end() : end].strip(), trust=True) or []
        getattr(colophon, STAFF_LABELS[match.group(1)]).extend(name for name, _ in names)


def split_entries(text: str, known_names=()) -> list[str]:
    """Split a distribution line at 、，；。 but not inside brackets: 各县（市、区）政协 is one.

    ``known_names`` (e.g. the distribution groups already kept) win first, longest first: a
    known 各设区市、县（市、区）政协 standing between separators is taken whole although it
    contains a 、 outside brackets. Pure text work; the caller supplies the names.
    """
    known = sorted({name.strip() for name in known_names if name and name.strip()}, key=len)
    known.reverse()
    entries, current, depth, index = [], [], 0, 0
    while index < len(text):
        char = text[index]
        if not current and depth == 0:
            if char.isspace() and char != "\n":
                index += 1
                continue
            name = _known_at(text, index, known)
            if name:
                entries.append(name)
                index += len(name)
                continue
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        if char in ENTRY_SEPARATORS and depth == 0:
            entries.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    entries.append("".join(current).strip())
    return [entry for entry in entries if entry]


def _known_at(text, index, known):
    """The longest known name starting at ``index`` and ending at a separator or the end."""
    for name in known:
        end = index + len(name)
        if text.startswith(name, index) and (
            end == len(text) or text[end] in ENTRY_SEPARATORS or text[end].isspace()
        ):
            return name
    return None
