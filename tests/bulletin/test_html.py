import pytest

from bulletin.html import sanitize_html
from tests.factories import ArticleFactory


def test_keeps_the_tags_an_article_body_uses():
    html = (
        "<h3>一、基本情况</h3>"
        "<p>全区政协系统<strong>扎实推进</strong>协商工作。</p>"
        "<ul><li>调研</li><li>视察</li></ul>"
        "<blockquote>引文</blockquote>"
        "<table><tbody><tr><td>2024</td><td>301</td></tr></tbody></table>"
        '<img src="https://example.org/a.jpg" alt="会场">'
    )

    cleaned = sanitize_html(html)

    assert "<h3>一、基本情况</h3>" in cleaned
    assert "<p>全区政协系统<strong>扎实推进</strong>协商工作。</p>" in cleaned
    assert "<ul><li>调研</li><li>视察</li></ul>" in cleaned
    assert "<blockquote>引文</blockquote>" in cleaned
    assert "<td>2024</td>" in cleaned and "<table>" in cleaned
    assert '<img src="https://example.org/a.jpg" alt="会场">' in cleaned


def test_removes_script_with_its_content():
    cleaned = sanitize_html("<p>正文</p><script>alert('x')</script>")

    assert "<script" not in cleaned
    assert "alert" not in cleaned
    assert "<p>正文</p>" in cleaned


def test_removes_event_handler_attributes():
    cleaned = sanitize_html(
        '<p onclick="steal()">正文</p><img src="https://example.org/a.jpg" onerror="steal()">'
    )

    assert "onclick" not in cleaned
    assert "onerror" not in cleaned
    assert "steal" not in cleaned
    assert "<p>正文</p>" in cleaned


def test_removes_javascript_urls():
    cleaned = sanitize_html(
        '<a href="javascript:alert(1)">点击</a><img src="javascript:alert(2)" alt="x">'
    )

    assert "javascript" not in cleaned
    assert "点击" in cleaned


def test_keeps_ordinary_links():
    cleaned = sanitize_html('<a href="https://www.gxzx.gov.cn/">自治区政协</a>')

    assert 'href="https://www.gxzx.gov.cn/"' in cleaned
    assert "自治区政协</a>" in cleaned


def test_removes_style_and_iframe():
    cleaned = sanitize_html(
        '<style>body{display:none}</style><p style="color:red">正文</p>'
        '<iframe src="https://evil.example.org/"></iframe>'
    )

    assert "<style" not in cleaned
    assert "display:none" not in cleaned
    assert "style=" not in cleaned
    assert "<iframe" not in cleaned
    assert "evil.example.org" not in cleaned
    assert "<p>正文</p>" in cleaned


def test_empty_body_stays_empty():
    assert sanitize_html("") == ""
    assert sanitize_html(None) == ""


@pytest.mark.django_db
def test_article_save_stores_the_sanitized_body():
    article = ArticleFactory(
        body='<p onclick="steal()">会议强调</p><script>steal()</script><h3>小标题</h3>'
    )

    article.refresh_from_db()
    assert article.body == "<p>会议强调</p><h3>小标题</h3>"


def test_keeps_the_list_type_the_editor_writes_and_nothing_else_on_lists():
    cleaned = sanitize_html(
        '<ol data-type="decimal" start="3" style="color:red" onclick="x()" data-x="1">'
        "<li><p>第三项</p></li></ol>"
    )

    assert cleaned == '<ol data-type="decimal" start="3"><li><p>第三项</p></li></ol>'


def test_drops_classes_and_spans_of_pasted_office_html():
    cleaned = sanitize_html(
        '<p class="MsoNormal"><span lang="EN-US" class="x">全区</span>'
        '<font face="仿宋" color="red">政协</font></p>'
    )

    assert cleaned == "<p>全区政协</p>"


def test_links_get_rel_after_their_other_attributes():
    cleaned = sanitize_html(
        '<a rel="opener" target="_blank" title="网站" href="https://www.gxzx.gov.cn/">网站</a>'
    )

    assert cleaned == (
        '<a title="网站" href="https://www.gxzx.gov.cn/" rel="noopener noreferrer">网站</a>'
    )
