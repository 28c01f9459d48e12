"""What the print-text importer finds, before anything is written to the database."""

from dataclasses import dataclass, field
from html import escape

from .bylines import ParsedAuthor


@dataclass
class Line:
    """One non-blank line of the source, with its 1-based number."""

    number: int
    text: str
    after_page_break: bool = False  # a running head stood between this line and the previous


@dataclass
class Block:
    kind: str  # "p" or "h"
    text: str
    lines: list[int] = field(default_factory=list)


@dataclass
class TocEntry:
    section: str
    page: int
    title: str
    subtitle: str
    authors_text: str
    line: int  # where the entry ends (the line with the page number)
    lines: list[int] = field(default_factory=list)


@dataclass
class ParsedArticle:
    section: str
    page: int | None
    title: str
    subtitle: str = ""
    authors: list[ParsedAuthor] = field(default_factory=list)
    source: str = ""
    author_note: str = ""
    blocks: list[Block] = field(default_factory=list)
    in_toc: bool = True
    head_lines: list[int] = field(default_factory=list)

    @property
    def headings(self):
        return [b.text for b in self.blocks if b.kind == "h"]

    @property
    def body_html(self):
        tags = {"p": "p", "h": "h3"}
        return "\n".join(
            f"<{tags[b.kind]}>{escape(b.text, quote=False)}</{tags[b.kind]}>" for b in self.blocks
        )

    def as_json(self):
        return {
            "section": self.section,
            "page": self.page,
            "title": self.title,
            "subtitle": self.subtitle,
            "authors": [a.as_json() for a in self.authors],
            "source": self.source,
            "author_note": self.author_note,
            "body_html": self.body_html,
            "headings": self.headings,
        }


@dataclass
class Colophon:
    distribution: list[str] = field(default_factory=list)
    distribution_line: str = ""
    editors: list[str] = field(default_factory=list)
    proofreaders: list[str] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)
    phone: str = ""
    email: str = ""


@dataclass
class ParseWarning:
    message: str
    line: int | None = None

    def __str__(self):
        return f"第{self.line}行：{self.message}" if self.line else self.message


@dataclass
class ParsedIssue:
    text: str
    sections: list[str]
    articles: list[ParsedArticle]
    colophon: Colophon
    running_head: str = ""
    warnings: list[ParseWarning] = field(default_factory=list)
    # line number -> what that line became ("toc", "title", "author", "heading", …)
    line_roles: dict[int, str] = field(default_factory=dict)

    @property
    def source_lines(self):
        return self.text.split("\n")

    def to_json(self, issue=None):
        data = {
            "sections": list(self.sections),
            "articles": [a.as_json() for a in self.articles],
            "colophon": {
                "editors": self.colophon.editors,
                "proofreaders": self.colophon.proofreaders,
                "approvers": self.colophon.approvers,
                "distribution": self.colophon.distribution,
            },
            "publication": {
                "phone": self.colophon.phone,
                "email": self.colophon.email,
                "running_head": self.running_head,
            },
            "warnings": [str(w) for w in self.warnings],
        }
        if issue is not None:
            data = {"issue": issue, **data}
        return data
