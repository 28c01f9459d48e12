import pytest

from bulletin.html import ALLOWED_TAGS, sanitize_html
from tests.factories import ArticleFactory


def test_keeps_the_tags_an_article_body_uses():
    html = (
        "<h3>一、基本情况</h3>"
        "<p>全区政协系统<strong>扎实推进</strong>协商工作。</p>"
        "<ul><li>调研</li><li>视察</li></ul>"
        "<blockquote>引文</blockquote>"
        "<table><tbody><tr><td>2024</td><td>301</td></tr></tbody></table>"
        '<img src="/media/articles/2024/02/a.jpg" alt="会场">'
    )

    cleaned = sanitize_html(html)

    assert "<h3>一、基本情况</h3>" in cleaned
    assert "<p>全区政协系统<strong>扎实推进</strong>协商工作。</p>" in cleaned
    assert "<ul><li>调研</li><li>视察</li></ul>" in cleaned
    assert "<blockquote>引文</blockquote>" in cleaned
    assert "<td>2024</td>" in cleaned and "<table>" in cleaned
    assert '<img src="/media/articles/2024/02/a.jpg" alt="会场">' in cleaned


def test_removes_script_with_its_content():
    cleaned = sanitize_html("<p>正文</p><script>alert('x')</script>")

    assert "<script" not in cleaned
    assert "alert" not in cleaned
    assert "<p>正文</p>" in cleaned


def test_removes_event_handler_attributes():
    cleaned = sanitize_html(
        '<p onclick="steal()">正文</p><img src="/media/a.jpg" onerror="steal()">'
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


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS - {"br", "hr", "img"}))
def test_no_tag_keeps_a_class(tag):
    # Neither the editor nor the site's stylesheets give a body element a class: a class could
    # only borrow the site's look (a notice, a hidden block).
    cleaned = sanitize_html(f'<{tag} class="preview-banner hidden">x</{tag}>')

    assert "class" not in cleaned and "preview-banner" not in cleaned


def test_void_elements_keep_no_class():
    cleaned = sanitize_html(
        '<p>a<br class="x">b</p><hr class="x"><img src="/media/a.jpg" class="x">'
    )

    assert cleaned == '<p>a<br>b</p><hr><img src="/media/a.jpg">'


SITE_IMAGES = [
    "/media/articles/2024/02/meeting.jpg",
    "/media/covers/2024/cover-3k9x.png",
    "docx-image-0",  # the Word importer's placeholder, replaced by a /media/ URL on save
]
FOREIGN_IMAGES = [
    "https://evil.example.org/track.gif?who=reader",
    "http://evil.example.org/a.jpg",
    "HTTPS://EVIL.EXAMPLE.ORG/a.jpg",
    "//evil.example.org/a.jpg",
    "/\\evil.example.org/a.jpg",
    "\\\\evil.example.org/a.jpg",
    "/\t/evil.example.org/a.jpg",
    " //evil.example.org/a.jpg",
    "https://images.example.net/a.jpg",
    "data:image/png;base64,iVBORw0KGgo=",
    "javascript:alert(1)",
    "ftp://evil.example.org/a.jpg",
]


@pytest.mark.parametrize("src", SITE_IMAGES)
def test_keeps_images_of_the_site(src):
    html = f'<p>前</p><img src="{src}" alt="会场"><p>后</p>'

    assert sanitize_html(html) == html


@pytest.mark.parametrize("src", FOREIGN_IMAGES)
def test_drops_images_from_other_hosts_whole(src):
    cleaned = sanitize_html(f'<p>前</p><img alt="a > b" src="{src}" title="t"><p>后</p>')

    assert cleaned == "<p>前</p><p>后</p>"


def test_drops_a_foreign_image_inside_a_figure_and_keeps_its_caption():
    cleaned = sanitize_html(
        '<figure><img src="https://evil.example.org/a.jpg"><figcaption>图注</figcaption></figure>'
    )

    assert cleaned == "<figure><figcaption>图注</figcaption></figure>"


def test_an_allowed_image_host_keeps_its_images(settings):
    settings.BULLETIN_ALLOWED_IMAGE_HOSTS = ["images.example.net", ".cdn.example.com"]
    kept = [
        "https://images.example.net/a.jpg",
        "http://images.example.net/a.jpg",
        "https://img1.cdn.example.com/a.jpg",
        "https://cdn.example.com/a.jpg",
    ]
    html = "".join(f'<img src="{src}">' for src in kept)

    assert sanitize_html(html) == html
    assert sanitize_html('<img src="https://evil.example.org/a.jpg">') == ""
    assert sanitize_html('<img src="https://images.example.net.evil.org/a.jpg">') == ""


def test_media_on_another_host_is_the_sites_own(settings):
    settings.MEDIA_URL = "https://media.bulletin.example.org/media/"
    html = '<img src="https://media.bulletin.example.org/media/articles/a.jpg">'

    assert sanitize_html(html) == html
    assert sanitize_html('<img src="https://media.bulletin.example.org/other/a.jpg">') == ""
