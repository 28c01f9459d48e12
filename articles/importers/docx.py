"""Reading an article from a Word (.docx) file, without touching the database.

``convert_docx`` reads the file with mammoth and returns a DocxArticle: the title, subtitle,
author names, sanitized body HTML and embedded images. ``articles.docx_import`` saves one.
"""

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple

import mammoth
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.html import escape, strip_tags
from mammoth import documents
from mammoth import html as mammoth_html
from mammoth.raw_text import extract_raw_text_from_element
from PIL import Image

from bulletin.html import sanitize_html
from bulletin.validators import validate_image_file

from .bylines import ParsedAuthor, parse_byline
from .errors import DocxImportError

logger = logging.getLogger(__name__)

MAX_DOCX_BYTES = 50 * 1024 * 1024
# A .docx is a zip: refuse one that would inflate to far more than any article (a zip bomb).
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024

# Word's built-in style names are English in the file whatever the language of Word.
# The article title is shown as <h1> by the page; body headings are 小标题 at two levels, h3
# and h4, as the print-text importer and the article editor write them.
STYLE_MAP = """
p[style-name='Title'] => h3:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='heading 1'] => h3:fresh
p[style-name='heading 2'] => h4:fresh
p[style-name='heading 3'] => h4:fresh
p[style-name='heading 4'] => h4:fresh
p[style-name='heading 5'] => h4:fresh
p[style-name='heading 6'] => h4:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Body Text'] => p:fresh
p[style-name='Normal (Web)'] => p:fresh
r[style-name='Emphasis'] => em
"""

# Pillow format -> content type, for the formats every browser shows.
WEB_IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}

TITLE_MAX = 300  # Article.title and Article.subtitle
SHORT_LINE = 60  # a plain first paragraph longer than this is body text, not a title
SENTENCE_END = tuple("。！？；：!?;:")
SUBTITLE_DASH = re.compile(r"^\s*[—―]{1,2}")


class DocxImage(NamedTuple):
    """An embedded image, checked to be one a browser can show."""

    data: bytes
    content_type: str
    alt: str = ""

    @property
    def extension(self):
        return {"image/jpeg": "jpg"}.get(self.content_type, self.content_type.split("/")[-1])


def image_placeholder(index: int) -> str:
    """The src an image carries in ``DocxArticle.body_html`` until it is saved."""
    return f"docx-image-{index}"


@dataclass
class DocxArticle:
    title: str = ""
    subtitle: str = ""
    authors: list[ParsedAuthor] = field(default_factory=list)
    body_html: str = ""
    images: list[DocxImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def body_with_image_urls(self, urls: list[str]) -> str:
        """The body with each image placeholder replaced by the saved image's URL."""
        body = self.body_html
        for index, url in enumerate(urls):
            body = body.replace(f'src="{image_placeholder(index)}"', f'src="{escape(url)}"')
        return body


def convert_docx(fileobj) -> DocxArticle:
    """Read a .docx file into a DocxArticle; raise DocxImportError if it cannot be read."""
    data = _read_docx_bytes(fileobj)
    article = DocxArticle()
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            transform_document=lambda document: _take_head(document, article),
            convert_image=lambda image: _take_image(image, article),
        )
    except Exception as exc:  # mammoth raises many kinds (KeyError, XML errors …) on damaged files
        # Logged in full: a fault of our own would otherwise pass for a damaged file.
        logger.warning("Could not convert a Word file", exc_info=True)
        raise DocxImportError(
            "文件已损坏，无法读取其中的内容。请在 Word 中打开检查，另存为 .docx 后再导入。",
            english="the file is damaged: its contents cannot be read",
        ) from exc
    article.warnings += [
        text for text in map(_describe_message, result.messages) if text is not None
    ]
    article.body_html = _tidy(sanitize_html(result.value))
    if not (article.title or strip_tags(article.body_html).strip() or article.images):
        raise DocxImportError(
            "文档是空的，没有可导入的文字或图片。", english="the document is empty"
        )
    return article


def _read_docx_bytes(fileobj) -> bytes:
    """The file's bytes, once they are known to be a reasonable zip holding a Word document."""
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read(MAX_DOCX_BYTES + 1)
    if not data:
        raise DocxImportError("文件是空的。", english="the file is empty")
    if len(data) > MAX_DOCX_BYTES:
        raise DocxImportError(
            "文件超过 50 MB，请压缩其中的图片后再导入。", english="the file is larger than 50 MB"
        )
    # Old .doc files and password-protected .docx files are both OLE compound files.
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DocxImportError(
            "无法读取：这是旧版 Word（.doc）文件，或是设置了打开密码的文件。"
            "请在 Word 中取消密码，并“另存为”Word 文档（*.docx）后再导入。",
            english="this is an old .doc file or a password-protected document",
        )
    if not data.startswith(b"PK"):
        raise DocxImportError(
            "无法读取：这不是 Word 文档（.docx）。请在 Word 中“另存为”Word 文档（*.docx）后再导入。",
            english="this is not a .docx file",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocxImportError(
            "文件已损坏，无法打开。请在 Word 中打开检查，另存为 .docx 后再导入。",
            english="the file is damaged: it is not a readable zip archive",
        ) from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise DocxImportError(
            "这是一个压缩文件，但不是 Word 文档（.docx）。请选择 Word 文件。",
            english="this is a zip archive but not a Word document",
        )
    if unzipped > MAX_UNZIPPED_BYTES:
        raise DocxImportError(
            "文件解压后过大，无法导入。", english="the file inflates to more than 300 MB"
        )
    return data


def _text(block) -> str:
    return re.sub(r"\s+", " ", extract_raw_text_from_element(block)).strip()


def _style(block) -> str:
    return (getattr(block, "style_name", None) or "").lower()


def _is_plain_paragraph(block) -> bool:
    return (
        isinstance(block, documents.Paragraph)
        and block.numbering is None
        and not _style(block).startswith(("heading", "title", "quote"))
    )


def _take_head(document, article: DocxArticle):
    """Move the title, subtitle and author line out of the body into ``article``.

    Only top-level paragraphs are looked at, and only the first few of them: a line is taken
    out of the body when it clearly is a title, subtitle or author line, else it stays.
    """
    blocks = list(document.children)
    texts = [_text(block) for block in blocks]
    filled = [i for i, text in enumerate(texts) if text]
    if not filled:
        return document

    title_at = next(
        (i for i in filled if _style(blocks[i]) == "title" and len(texts[i]) <= TITLE_MAX), None
    )
    if title_at is None:
        # A Heading 1 counts as the title near the top only; further down it is a subheading.
        title_at = next(
            (
                i
                for i in filled[:2]
                if _style(blocks[i]) == "heading 1" and len(texts[i]) <= TITLE_MAX
            ),
            None,
        )
    if title_at is None:
        first = filled[0]
        if (
            _is_plain_paragraph(blocks[first])
            and len(texts[first]) <= SHORT_LINE
            and not texts[first].endswith(SENTENCE_END)
        ):
            title_at = first
    if title_at is None:
        return document

    taken = {title_at}
    article.title = texts[title_at]
    following = [i for i in filled if i > title_at][:2]
    if following:
        candidate = following[0]
        if (
            SUBTITLE_DASH.match(texts[candidate]) or _style(blocks[candidate]) == "subtitle"
        ) and len(texts[candidate]) <= TITLE_MAX:
            article.subtitle = texts[candidate]
            taken.add(candidate)
            following = following[1:]
    if following and _is_plain_paragraph(blocks[following[0]]):
        authors = parse_byline(texts[following[0]])
        if authors:
            article.authors = authors
            taken.add(following[0])
    return document.copy(children=[b for i, b in enumerate(blocks) if i not in taken])


def _take_image(image, article: DocxArticle):
    """Keep an embedded image a browser can show; drop others with a warning."""
    # A linked (not embedded) image fails to open here; mammoth reports that as a warning.
    with image.open() as stream:
        data = stream.read()
    try:
        validate_image_file(ContentFile(data))
        with Image.open(io.BytesIO(data)) as picture:
            image_format = picture.format
    except ValidationError as exc:
        article.warnings.append(f"文中一张图片无法使用，已略过：{exc.messages[0]}")
        return []
    if image_format not in WEB_IMAGE_TYPES:
        article.warnings.append(
            f"文中一张 {image_format or image.content_type} 格式的图片网页无法显示，已略过；"
            "请另存为 JPEG 或 PNG 后在“稿件图片”中上传。"
        )
        return []
    article.images.append(DocxImage(data, WEB_IMAGE_TYPES[image_format], image.alt_text or ""))
    attributes = {"src": image_placeholder(len(article.images) - 1)}
    if image.alt_text:
        attributes["alt"] = image.alt_text
    # mammoth.images.img_element cannot drop an image, hence building the element here.
    return [mammoth_html.element("img", attributes)]


def _describe_message(message) -> str | None:
    """mammoth's warning in words for editors; None for those already reported otherwise."""
    text = message.message
    if text.startswith("Image of type"):
        return None  # _take_image reports images it drops
    style = re.match(r"Unrecognised (paragraph|run|table) style: (.*) \(Style ID: (.*)\)", text)
    if style:
        kind = {"paragraph": "段落", "run": "文字", "table": "表格"}[style.group(1)]
        name = style.group(2) if style.group(2) != "None" else style.group(3)
        return f"Word 中的{kind}样式“{name}”未能识别，已按普通{kind}导入。"
    if "external image" in text:
        return "文中一张链接（而非嵌入）的图片无法读取，已略过；请在 Word 中嵌入图片后再导入。"
    return f"Word 转换提示：{text}"


# Word bookmarks and note references become <a id=…>; the sanitizer drops ids, so the links
# would lead nowhere: drop the empty anchors and the "↑" back-links, keep the text of the rest.
_EMPTY_ANCHOR = re.compile(r"<a\b[^>]*>\s*</a>")
_BACK_LINK = re.compile(r'\s*<a href="#[^"]*-ref-[^"]*"[^>]*>↑</a>')
_IN_PAGE_LINK = re.compile(r'<a href="#[^"]*"[^>]*>(.*?)</a>', re.S)


def _tidy(html: str) -> str:
    html = _EMPTY_ANCHOR.sub("", html)
    html = _BACK_LINK.sub("", html)
    return _IN_PAGE_LINK.sub(r"\1", html)
