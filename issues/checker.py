"""The pre-publication checker (出版前检查): faults an issue must not be approved with, and
doubts an editor should look at before it is.

``check_issue(issue)`` reads the issue and its articles and returns a list of ``Problem``s, the
issue's own first, then article by article in print order. An "error" blocks 签发
(issues/services.py); a "warning" is shown on the 签发 confirmation page and may be accepted.
The checker only reads: it never changes the issue.

Every rule is written to be precise on real print text: an error is raised only where the print
would really be wrong, so that an editor learns to trust the list (the real seed issue is the
test of that, tests/issues/test_checker.py).
"""

import dataclasses
import html
import re
import unicodedata

from django.db.models import Prefetch
from django.urls import reverse

from articles.models import Article, ArticleImage, Authorship
from bulletin.text import compact_name

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "提醒"}

# A title is set at the title size in one column of about 20 CJK characters; more than two lines
# breaks the layout of the article's opening. Width counts a full-width character as 1 and a
# half-width one (digits, Latin letters, spaces) as 1/2.
TITLE_LINE_CHARS = 20
TITLE_MAX_LINES = 2
TITLE_MAX_WIDTH = TITLE_LINE_CHARS * TITLE_MAX_LINES

# Sections whose articles are reprints from other papers by nature: one without 来源 is a doubt.
REPRINT_SECTIONS = ("他山之石",)
# Words that say a piece is reprinted, in a kicker, an author note or the last paragraph.
REPRINT_WORDS = re.compile(r"转载|转自|摘自|原载|选自|来源\s*[:：]")

# Characters of a few context each side of a fault in the excerpt.
CONTEXT = 12

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〈": "〉"}
_CLOSERS = {close: open_ for open_, close in PAIRS.items()}
# ASCII punctuation standing where full-width marks belong: only between two Han characters,
# so 3.5亿元, 9:30, URLs, Latin words and numbered lists "1." are left alone.
ASCII_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[,.;:?!()](?=[{_CJK}])")
FULL_WIDTH = {
    ",": "，",
    ".": "。",
    ";": "；",
    ":": "：",
    "?": "？",
    "!": "！",
    "(": "（",
    ")": "）",
}
# Two pause or stop marks in a row are always a slip. ！！ ？？ ？！ are left alone (emphasis in
# quoted speech), and …… —— are single marks two characters wide.
DOUBLED_PUNCTUATION = re.compile(r"[，。、；：]{2,}")
# Import artefacts: a page number or a "※ 栏目 ※" section marker standing alone as a paragraph.
PAGE_NUMBER_LINE = re.compile(r"^[-—–·\s]*\d{1,3}[-—–·\s]*$")
SECTION_MARKER_LINE = re.compile(r"^※.*※$")
# A running head in pinyin capitals, whatever the publication's: no body paragraph is one long
# word of capitals.
PINYIN_HEAD_LINE = re.compile(r"^[A-Z]{12,}$")
_BLOCK_BOUNDARY = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|blockquote|div|table|tr|td|th|figure|figcaption|br)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


@dataclasses.dataclass(frozen=True)
class Problem:
    severity: str  # ERROR or WARNING
    code: str
    article: Article | None
    field: str  # the field's verbose name, in Chinese
    message: str
    fix_url: str
    # The excerpt in three parts so that pages can highlight the fault itself.
    before: str = ""
    fault: str = ""
    after: str = ""

    @property
    def excerpt(self):
        return f"{self.before}{self.fault}{self.after}"

    @property
    def is_error(self):
        return self.severity == ERROR

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]

    def as_line(self):
        """One line for the command line and for the refusal message."""
        where = f"《{self.article.title}》" if self.article else "本期"
        excerpt = f"：“{self.excerpt}”" if self.excerpt else ""
        return f"[{self.severity_label}] {where} {self.field}{excerpt} —— {self.message}"


def errors(problems):
    return [p for p in problems if p.is_error]


# How many errors the refusal of 签发 lists; the checker page lists them all.
REFUSAL_SHOWN = 3


def approval_refusal(issue):
    """The message refusing 签发 while ``issue`` has errors, or None when it may be approved."""
    found = errors(check_issue(issue))
    if not found:
        return None
    lines = "；".join(p.as_line() for p in found[:REFUSAL_SHOWN])
    more = f"等（共{len(found)}处）" if len(found) > REFUSAL_SHOWN else ""
    return f"本期还有{len(found)}处错误，不能签发。请先在“出版前检查”中逐条修改：{lines}{more}。"


def check_issue(issue) -> list[Problem]:
    """All the problems of ``issue``: the issue's own first, then per article in print order."""
    articles = list(
        Article.objects.filter(issue=issue)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("person", "organisation"),
            ),
            Prefetch("images", queryset=ArticleImage.objects.order_by("order", "pk")),
        )
        .in_print_order()
    )
    ordered_sections = set(issue.section_entries.values_list("section_id", flat=True))
    running_head = compact_name(issue.publication.running_head).upper()
    problems = _page_problems(issue, articles)
    if articles and not ordered_sections:
        # Without any section order the table of contents follows the articles' order and
        # pages, which is coherent; once there is an order, a section missing from it is
        # printed out of place (see _article_problems).
        problems.append(
            _issue_problem(
                issue,
                WARNING,
                "no_section_order",
                str(issue._meta.get_field("sections").verbose_name),
                "本期没有设置栏目顺序，目录将按稿件顺序和页码排列。",
            )
        )
    for article in articles:
        problems += _article_problems(article, articles, ordered_sections, running_head)
    position = {article.pk: n for n, article in enumerate(articles)}
    # Stable sort: the issue's own problems first, then each article's together.
    problems.sort(key=lambda p: -1 if p.article is None else position[p.article.pk])
    return problems


def _article_problems(article, articles, ordered_sections, running_head):
    problems = []
    if ordered_sections and article.section_id not in ordered_sections:
        problems.append(
            _problem(
                ERROR,
                "section_not_in_order",
                article,
                "section",
                "目录中没有该栏目：请在本期“栏目顺序”中加入该栏目，或改选本期已有的栏目。",
                fault=article.section.name,
            )
        )
    for name in ("kicker", "title", "subtitle"):
        problems += _text_problems(article, name, getattr(article, name))
    problems += _title_length(article)
    paragraphs = body_paragraphs(article.body)
    if not paragraphs and "<img" not in article.body:
        problems.append(_problem(ERROR, "empty_body", article, "body", "正文为空。"))
    for paragraph in paragraphs:
        problems += _artefacts(article, paragraph, running_head)
        problems += _text_problems(article, "body", paragraph)
    for name in ("source", "author_note"):
        problems += _text_problems(article, name, getattr(article, name))
    problems += _reprint_without_source(article, paragraphs)
    problems += _byline_problems(article, articles)
    for image in article.images.all():
        if not image.caption.strip():
            problems.append(
                _problem(
                    WARNING,
                    "image_without_caption",
                    article,
                    "images",
                    "图片没有说明，请补写图片说明。",
                    fault=image.image.name.rsplit("/", 1)[-1],
                    field_label=ArticleImage._meta.get_field("caption").verbose_name,
                )
            )
        else:
            problems += _text_problems(
                article,
                "images",
                image.caption,
                field_label=ArticleImage._meta.get_field("caption").verbose_name,
            )
    return problems


# Pages ------------------------------------------------------------------------------------------


def _page_problems(issue, articles):
    """Start pages: present when the issue is paginated, unique, rising in print order."""
    paginated = [a for a in articles if a.start_page is not None]
    if not paginated:
        if not articles:
            return [_issue_problem(issue, WARNING, "no_articles", "期刊", "本期还没有稿件。")]
        # A web-only issue may have no page numbers at all; the table of contents then prints
        # none. A doubt, not a fault.
        return [
            _issue_problem(
                issue,
                WARNING,
                "no_page_numbers",
                "起始页码",
                "本期稿件都没有起始页码，目录将不印页码。",
            )
        ]
    problems = []
    highest = None
    first_on_page = {}
    for article in articles:
        page = article.start_page
        if page is None:
            problems.append(
                _problem(
                    ERROR,
                    "start_page_missing",
                    article,
                    "start_page",
                    "缺少起始页码：本期其他稿件都有页码，目录中这一篇将没有页码。",
                )
            )
            continue
        earlier = first_on_page.get(page)
        # Two short pieces may share a page: allowed when the earlier one ends on that page.
        if earlier is not None and earlier.end_page != page:
            problems.append(
                _problem(
                    ERROR,
                    "start_page_duplicate",
                    article,
                    "start_page",
                    f"起始页码与《{earlier.title}》相同（第{page}页）。",
                    fault=str(page),
                )
            )
        elif highest is not None and page < highest.start_page:
            problems.append(
                _problem(
                    ERROR,
                    "start_page_order",
                    article,
                    "start_page",
                    f"起始页码第{page}页小于印刷顺序中排在前面的"
                    f"《{highest.title}》（第{highest.start_page}页）：页码顺序与目录顺序不符。",
                    fault=str(page),
                )
            )
        first_on_page.setdefault(page, article)
        if highest is None or page > highest.start_page:
            highest = article
    return problems


# Text -------------------------------------------------------------------------------------------


def body_paragraphs(body):
    """The body's paragraphs (and headings, list items, cells) as plain text, in order."""
    text = _TAG.sub("", _BLOCK_BOUNDARY.sub("\n", body or ""))
    lines = (html.unescape(line).replace("\xa0", " ").strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _text_problems(article, name, text, field_label=None):
    if not text:
        return []
    problems = []
    position, fault, message = _unbalanced(text)
    if position is not None:
        problems.append(
            _excerpt_problem(
                ERROR, "unbalanced", article, name, text, position, fault, message, field_label
            )
        )
    for match in ASCII_BETWEEN_CJK.finditer(text):
        mark = match.group()
        problems.append(
            _excerpt_problem(
                WARNING,
                "ascii_punctuation",
                article,
                name,
                text,
                match.start(),
                mark,
                f"汉字之间用了半角标点“{mark}”，应为全角“{FULL_WIDTH[mark]}”。",
                field_label,
            )
        )
    for match in DOUBLED_PUNCTUATION.finditer(text):
        problems.append(
            _excerpt_problem(
                WARNING,
                "doubled_punctuation",
                article,
                name,
                text,
                match.start(),
                match.group(),
                f"标点重复：“{match.group()}”。",
                field_label,
            )
        )
    return problems


def _unbalanced(text):
    """The first unpaired mark of ``text``: (position, mark, message) or (None, "", "")."""
    stack = []
    for i, char in enumerate(text):
        if char in PAIRS:
            stack.append((i, char))
        elif char in _CLOSERS:
            # ’ between Latin letters is an apostrophe (People’s Daily), not a closing quote.
            if char == "’" and _latin(text, i - 1) and _latin(text, i + 1):
                continue
            if stack and stack[-1][1] == _CLOSERS[char]:
                stack.pop()
            elif stack:
                opener = stack[-1][1]
                return i, char, f"“{char}”与前面的“{opener}”不成对：缺少“{PAIRS[opener]}”。"
            else:
                return i, char, f"“{char}”前面缺少与之成对的“{_CLOSERS[char]}”。"
    if stack:
        i, char = stack[0]
        return i, char, f"“{char}”后面缺少与之成对的“{PAIRS[char]}”。"
    return None, "", ""


def _latin(text, i):
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()


def _artefacts(article, paragraph, running_head):
    """Running heads, page numbers and section markers the import left in the body."""
    compacted = compact_name(paragraph)
    if (running_head and running_head in compacted.upper()) or PINYIN_HEAD_LINE.match(compacted):
        message = "正文中夹有书眉（页眉拼音刊名），应为导入时遗留，请删除。"
        return [_problem(ERROR, "running_head", article, "body", message, fault=paragraph)]
    if PAGE_NUMBER_LINE.match(paragraph):
        message = "正文中有一段只是页码，应为导入时遗留，请删除。"
        return [_problem(ERROR, "page_number", article, "body", message, fault=paragraph)]
    if SECTION_MARKER_LINE.match(paragraph):
        message = "正文中有一段是书眉的栏目标记，应为导入时遗留，请删除。"
        return [_problem(ERROR, "section_marker", article, "body", message, fault=paragraph)]
    return []


def _title_length(article):
    width = sum(
        1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in article.title.strip()
    )
    if width <= TITLE_MAX_WIDTH:
        return []
    return [
        _problem(
            WARNING,
            "title_too_long",
            article,
            "title",
            f"标题约{width:g}字，超过版式允许的{TITLE_MAX_LINES}行"
            f"（每行约{TITLE_LINE_CHARS}字，共{TITLE_MAX_WIDTH}字），请压缩或改用副题。",
            fault=article.title,
        )
    ]


# Sources and authors ----------------------------------------------------------------------------


def _reprint_without_source(article, paragraphs):
    if article.source.strip():
        return []
    if article.section.name in REPRINT_SECTIONS:
        return [
            _problem(
                WARNING,
                "reprint_without_source",
                article,
                "source",
                f"“{article.section.name}”栏目的稿件多为转载，但没有填写来源。",
            )
        ]
    places = [("kicker", article.kicker), ("author_note", article.author_note)]
    if paragraphs:
        places.append(("body", paragraphs[-1]))
    for name, text in places:
        match = REPRINT_WORDS.search(text)
        if match:
            return [
                _excerpt_problem(
                    WARNING,
                    "reprint_without_source",
                    article,
                    name,
                    text,
                    match.start(),
                    match.group(),
                    "稿件注明是转载，但没有填写来源（来源字段）。",
                )
            ]
    return []


def _byline_problems(article, articles):
    problems = []
    label = Authorship._meta.get_field("printed_name").verbose_name
    authorships = list(article.authorships.all())
    for authorship in authorships:
        author = authorship.author
        printed = compact_name(authorship.printed_name)
        if printed and author is not None and printed != compact_name(author.name):
            problems.append(
                _problem(
                    WARNING,
                    "printed_name_mismatch",
                    article,
                    "authorships",
                    f"印刷署名“{authorship.printed_name}”与所选"
                    f"{'人员' if authorship.person_id else '单位'}“{author.name}”不一致。",
                    fault=authorship.printed_name,
                    field_label=label,
                )
            )
    if not authorships and not article.source.strip():
        # A byline lost in import: the other articles of its section in this issue have one.
        siblings = [a for a in articles if a.section_id == article.section_id and a is not article]
        if siblings and all(list(a.authorships.all()) for a in siblings):
            problems.append(
                _problem(
                    WARNING,
                    "byline_missing",
                    article,
                    "authorships",
                    "没有署名，而本期同栏目的其他稿件都有署名。",
                    field_label="署名",
                )
            )
    return problems


# Building problems ------------------------------------------------------------------------------


def _problem(
    severity, code, article, name, message, *, fault="", field_label=None, before="", after=""
):
    label = field_label or str(Article._meta.get_field(name).verbose_name)
    return Problem(
        severity=severity,
        code=code,
        article=article,
        field=str(label),
        message=message,
        fix_url=reverse("admin:articles_article_change", args=[article.pk]),
        before=before,
        fault=fault,
        after=after,
    )


def _excerpt_problem(severity, code, article, name, text, start, fault, message, field_label=None):
    end = start + len(fault)
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return _problem(
        severity,
        code,
        article,
        name,
        message,
        fault=fault,
        field_label=field_label,
        before=("…" if start > CONTEXT else "") + before,
        after=after + ("…" if end + CONTEXT < len(text) else ""),
    )


def _issue_problem(issue, severity, code, label, message):
    return Problem(
        severity=severity,
        code=code,
        article=None,
        field=label,
        message=message,
        fix_url=reverse("admin:issues_issue_change", args=[issue.pk]),
    )
