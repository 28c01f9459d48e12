"""The article body editor (articles/admin_forms.py) and the sanitizer (bulletin/html.py) agree.

Each sample is HTML exactly as the editor writes it (tests/browser/test_editor.py loads the same
markup into the real editor and gets it back unchanged): saved through the sanitizer and through
the admin's change form, it is stored unchanged.
"""

import re

import pytest
from django.urls import reverse

from articles.admin_forms import BODY_EXTENSIONS, ArticleAdminForm
from bulletin.html import sanitize_html
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory, ArticleImageFactory

EDITOR_OUTPUT = {
    "paragraph": "<p>全区政协系统扎实推进协商工作。</p>",
    "heading 3": "<h3>一、基本情况</h3>",
    "heading 4": "<h4>（一）主要做法</h4>",
    "bold and italic": "<p>会议<strong>强调</strong>，要<em>切实</em>抓好落实。</p>",
    "hard break": "<p>第一行<br>第二行</p>",
    "superscript and subscript": "<p>面积1200m<sup>2</sup>，排放CO<sub>2</sub></p>",
    "bullet list": "<ul><li><p>调研</p></li><li><p>视察</p></li></ul>",
    "numbered list": '<ol data-type="decimal"><li><p>提案</p></li><li><p>建议</p></li></ol>',
    "numbered list from 3": '<ol data-type="decimal" start="3"><li><p>第三项</p></li></ol>',
    "blockquote": "<blockquote><p>有事好商量，众人的事情由众人商量。</p></blockquote>",
    "table": (
        "<table><tbody><tr><th><p>年份</p></th><th><p>期数</p></th></tr>"
        "<tr><td><p>2024</p></td><td><p>301</p></td></tr></tbody></table>"
    ),
    "table with merged cells": (
        '<table><tbody><tr><th colspan="2"><p>合计</p></th></tr>'
        '<tr><td rowspan="2"><p>甲</p></td><td><p>1</p></td></tr>'
        "<tr><td><p>2</p></td></tr></tbody></table>"
    ),
    "link": (
        '<p>详见<a href="https://www.gxzx.gov.cn/" rel="noopener noreferrer">自治区政协网站</a></p>'
    ),
    "link with title": (
        '<p><a href="https://www.gxzx.gov.cn/" title="自治区政协" rel="noopener noreferrer">'
        "网站</a></p>"
    ),
    "image": '<img src="/media/articles/2024/02/meeting.jpg" alt="协商会议现场">',
    "horizontal rule": "<p>上文</p><hr><p>下文</p>",
}


@pytest.mark.parametrize("html", EDITOR_OUTPUT.values(), ids=EDITOR_OUTPUT.keys())
def test_the_sanitizer_keeps_what_the_editor_writes(html):
    assert sanitize_html(html) == html


def test_the_sanitizer_keeps_a_whole_body_the_editor_writes():
    body = "".join(EDITOR_OUTPUT.values())

    assert sanitize_html(body) == body


@pytest.mark.django_db
def test_an_admin_save_stores_every_element_of_the_editor_unchanged(editor_client):
    article = ArticleFactory(title="编辑器往返")
    body = "".join(EDITOR_OUTPUT.values())
    data = change_form_data(
        editor_client, reverse("admin:articles_article_change", args=[article.pk])
    )
    data["body"] = body

    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.body == body


@pytest.mark.django_db
def test_an_admin_save_still_sanitizes(editor_client):
    article = ArticleFactory()
    data = change_form_data(
        editor_client, reverse("admin:articles_article_change", args=[article.pk])
    )
    data["body"] = (
        '<p onclick="steal()" style="color:red">正文</p><script>steal()</script>'
        '<a href="javascript:steal()" target="_blank">链接</a>'
    )

    editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    article.refresh_from_db()
    assert article.body == '<p>正文</p><a rel="noopener noreferrer">链接</a>'


# What Word (and WPS, which copies Word's clipboard format) puts on the clipboard: classes,
# inline styles, language spans, <font>, Office tags, conditional comments and list paragraphs.
WORD_CLIPBOARD = """
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style>
</head><body lang=ZH-CN style='tab-interval:21.0pt'><!--StartFragment-->
<h2 style='margin:0;mso-outline-level:2'><span style='font-family:黑体;mso-ascii-font-family:
"Times New Roman"'>一、基本情况<span lang=EN-US><o:p></o:p></span></span></h2>
<p class=MsoNormal style='text-indent:21.0pt;line-height:28.0pt'><span style='font-size:16.0pt;
font-family:仿宋_GB2312'><font color="#ff0000" face="仿宋">全区政协系统</font><b>扎实推进</b>
<i>协商</i>工作。<o:p></o:p></span></p>
<ul style='margin-top:0cm' type=disc><li class=MsoNormal style='mso-list:l0 level1 lfo1'>
<span style='font-family:宋体'>调研</span></li></ul>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;
border:none'><tr style='height:20pt'><td width=200 valign=top style='width:100pt;border:solid
windowtext 1.0pt'><p class=MsoNormal><span style='font-family:宋体'>年份</span></p></td></tr>
</table><!--EndFragment--></body></html>
"""


def test_word_paste_keeps_structure_and_loses_styles_in_the_sanitizer():
    cleaned = sanitize_html(WORD_CLIPBOARD)

    for trace in ("style", "class", "font", "span", "Mso", "mso-", "o:p", "仿宋", "lang", "<!--"):
        assert trace not in cleaned, trace
    assert "<h2>一、基本情况</h2>" in cleaned
    assert "<p>全区政协系统<b>扎实推进</b>\n<i>协商</i>工作。</p>" in cleaned
    assert "<ul><li>\n调研</li></ul>" in cleaned
    assert re.search(r"<table><tbody><tr><td><p>年份</p></td></tr>\s*</tbody></table>", cleaned)


def test_the_form_offers_the_articles_own_images(db):
    article = ArticleFactory()
    image = ArticleImageFactory(article=article, caption="协商会议现场", alt_text="")
    ArticleImageFactory(caption="另一篇稿件的图片")

    form = ArticleAdminForm(instance=article)

    images = form.fields["body"].widget.config["extensions"]["ArticleImages"]["images"]
    assert images == [{"src": image.image.url, "alt": "协商会议现场", "label": "1. 协商会议现场"}]
    # The class-level configuration every form starts from is left alone.
    assert BODY_EXTENSIONS["ArticleImages"] == {"images": []}


@pytest.mark.django_db
def test_the_change_page_loads_the_editor_from_static_files_only(editor_client):
    article = ArticleFactory()

    page = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    assert "data-django-prose-editor-configurable" in page
    assert "/static/django_prose_editor/editor.js" in page
    assert "/static/js/bulletin_editor.js" in page
    assert '<script type="importmap"' in page
    urls = re.findall(r'(?:src|href)="([^"#]+)"', page)
    assert urls
    for url in urls:
        assert not url.startswith(("http:", "https:", "//")), url
    assert not re.search(r"https?://(?!www\.w3\.org/)", page.split("<body", 1)[0])


def test_the_editor_config_names_only_extensions_that_exist():
    """Every extension is the library's or static/js/bulletin_editor.js's (a typo is silently
    skipped by the library's loader, and the toolbar button would just be missing)."""
    from pathlib import Path

    import django_prose_editor

    static = Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor"
    library = (static / "editor.js").read_text()
    ours = (Path(__file__).resolve().parents[2] / "static/js/bulletin_editor.js").read_text()
    exported = set(re.findall(r"export const (\w+)", ours))
    for name in BODY_EXTENSIONS:
        assert name in exported or re.search(rf"\b{name} as \w+\b|as {name}\b", library), name
