"""Reading a Word file into a DocxArticle (articles.importers.docx): no database."""

import io
import re

import pytest
from docx.enum.style import WD_STYLE_TYPE

from articles.importers import docx as converter
from articles.importers.docx import convert_docx
from articles.importers.errors import DocxImportError
from tests.articles.docx_files import (
    IMAGE_ALT,
    add_picture,
    docx_bytes,
    full_article_docx,
    image_bytes,
    with_replaced_part,
    zip_bytes,
)


def convert(data):
    return convert_docx(io.BytesIO(data))


class TestConvert:
    def test_title_subtitle_and_author_line_leave_the_body(self):
        article = convert(full_article_docx())

        assert article.title == "关于提升委员履职能力的调研报告"
        assert article.subtitle == "——以某市政协为例"
        assert [(a.name, a.printed_name) for a in article.authors] == [
            ("吴宁", "吴 宁"),
            ("艾粤敏", ""),
        ]
        for text in ["调研报告", "以某市政协为例", "艾粤敏"]:
            assert text not in article.body_html

    def test_headings_become_h3_and_h4(self):
        body = convert(full_article_docx()).body_html

        assert "<h3>一、基本情况</h3>" in body
        assert "<h4>（一）委员结构</h4>" in body
        assert "<h1" not in body

    def test_paragraphs_lists_tables_and_bold_are_kept(self):
        body = convert(full_article_docx()).body_html

        assert "<p>下一步，将继续深化调研成果运用。</p>" in body
        assert "<ul><li>界别分布合理</li><li>年龄结构优化</li></ul>" in body
        assert re.search(r"<table>.*<td><p>经济界</p></td>.*</table>", body)
        assert "<strong>积极建言献策</strong>" in body

    def test_quote_style_becomes_blockquote(self):
        body = convert(full_article_docx()).body_html

        assert "<blockquote><p>协商于民、协商为民。</p></blockquote>" in body

    def test_script_typed_in_the_text_stays_escaped_text(self):
        body = convert(full_article_docx()).body_html

        assert "<script" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    def test_embedded_image_is_collected_with_its_alt_text(self):
        article = convert(full_article_docx())

        [image] = article.images
        data, content_type, alt = image
        assert data == image_bytes()
        assert content_type == "image/png"
        assert alt == IMAGE_ALT
        [tag] = re.findall(r"<img [^>]*>", article.body_html)
        assert 'src="docx-image-0"' in tag
        assert f'alt="{IMAGE_ALT}"' in tag

    def test_image_browsers_cannot_show_is_dropped_with_a_warning(self):
        def fill(document):
            document.add_paragraph("图片测试", style="Title")
            document.add_paragraph("正文。")
            add_picture(document, image_bytes("TIFF"))

        article = convert(docx_bytes(fill))

        assert article.images == []
        assert "<img" not in article.body_html
        assert any("TIFF" in warning and "已略过" in warning for warning in article.warnings)

    def test_first_heading_1_is_the_title_when_there_is_no_title_style(self):
        def fill(document):
            document.add_heading("加强基层协商的几点思考", level=1)
            document.add_paragraph("基层协商是人民政协工作的重要内容。")
            document.add_heading("一、现状", level=1)

        article = convert(docx_bytes(fill))

        assert article.title == "加强基层协商的几点思考"
        assert "几点思考" not in article.body_html
        assert "<h3>一、现状</h3>" in article.body_html

    def test_short_first_paragraph_is_the_title_when_no_style_says_so(self):
        def fill(document):
            document.add_paragraph("市政协召开常委会议")
            document.add_paragraph("5月20日，市政协召开常委会议，审议有关事项。")

        article = convert(docx_bytes(fill))

        assert article.title == "市政协召开常委会议"
        assert article.body_html == "<p>5月20日，市政协召开常委会议，审议有关事项。</p>"

    def test_first_paragraph_that_is_a_sentence_stays_in_the_body(self):
        def fill(document):
            document.add_paragraph("5月20日，市政协召开常委会议。")
            document.add_paragraph("会议审议了有关事项。")

        article = convert(docx_bytes(fill))

        assert article.title == ""
        assert "<p>5月20日，市政协召开常委会议。</p>" in article.body_html

    def test_line_under_the_title_that_is_not_names_stays_in_the_body(self):
        def fill(document):
            document.add_paragraph("政协委员风采", style="Title")
            document.add_paragraph("调研报告")
            document.add_paragraph("正文。")

        article = convert(docx_bytes(fill))

        assert article.authors == []
        assert "<p>调研报告</p>" in article.body_html

    def test_unknown_word_style_is_reported_as_a_warning(self):
        def fill(document):
            document.styles.add_style("投稿正文", WD_STYLE_TYPE.PARAGRAPH)
            document.add_paragraph("标题", style="Title")
            document.add_paragraph("正文。", style="投稿正文")

        article = convert(docx_bytes(fill))

        assert "<p>正文。</p>" in article.body_html
        assert any("投稿正文" in warning for warning in article.warnings)

    def test_note_links_that_would_lead_nowhere_are_unwrapped(self):
        # The shape mammoth gives footnotes, once the sanitizer has dropped the ids.
        html = (
            '<p>正文<sup><a href="#footnote-1" rel="noopener noreferrer">[1]</a></sup>'
            '<a rel="noopener noreferrer"></a></p><ol><li><p>注释。 '
            '<a href="#footnote-ref-1" rel="noopener noreferrer">↑</a></p></li></ol>'
        )

        assert converter._tidy(html) == "<p>正文<sup>[1]</sup></p><ol><li><p>注释。</p></li></ol>"


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "文件是空的"),
        ("这只是一段纯文本，并不是 Word 文件。".encode(), "不是 Word 文档"),
        (zip_bytes({"readme.txt": "hello"}), "压缩文件，但不是 Word 文档"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "设置了打开密码"),
        (full_article_docx()[:2000], "已损坏"),
        (with_replaced_part(full_article_docx(), "word/document.xml", "<w:document"), "已损坏"),
        (docx_bytes(lambda document: None), "文档是空的"),
    ],
    ids=["empty file", "text", "other zip", "encrypted or .doc", "truncated", "bad xml", "no text"],
)
def test_bad_files_raise_a_clear_chinese_error(data, expected):
    with pytest.raises(DocxImportError) as error:
        convert(data)

    assert expected in str(error.value)
    assert error.value.english.isascii()
