"""整期校样 (/issues/<year>/<number>/proof/): the real seed issue as it prints, staff only."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Authorship
from issues.models import Issue
from tests.factories import ArticleImageFactory, IssueCreditFactory, PersonFactory, UserFactory
from tests.issues.test_printing import import_seed, needs_seed

pytestmark = [pytest.mark.django_db, needs_seed]

URL = reverse("issues:proof", kwargs={"year": 2024, "number": 2})


@pytest.fixture
def issue():
    return import_seed()


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def text_of(response):
    """The page's visible text: tags dropped, whitespace squashed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_proof_holds_every_part_of_the_printed_issue(issue, staff_client):
    approver = PersonFactory(name="陈签发")
    IssueCreditFactory(issue=issue, person=approver, role="approver")
    article = Article.objects.get(issue=issue, title="事争一流 奋发有为")
    ArticleImageFactory(article=article, caption="山东省政协机关")

    response = staff_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    # Cover block
    assert '<p class="cover__name">广西政协工作</p>' in html
    assert "2024年" in text and "第2期" in text and "（总第301期）" in text
    # 目录 with its sections in print order, and every title in it and in the body
    toc, body = html.split('<main class="articles">')
    assert "目　录" in toc
    sections = re.findall(r'<h3 class="toc__section">※ (.+?) ※</h3>', toc)
    assert sections == ["政协动态", "市县政协", "理论研究", "他山之石"]
    titles = list(
        Article.objects.filter(issue=issue).in_print_order().values_list("title", flat=True)
    )
    assert len(titles) == 11
    for title in titles:
        assert f'<span class="toc__title">{title}</span>' in toc.replace("&amp;", "&")
        assert re.search(rf'<h1 class="title" id="title-\d+">{re.escape(title)}</h1>', body)
    assert '<span class="toc__author">吴 宁 艾粤敏</span>' in toc
    assert 'class="toc__dots"' in toc and 'class="toc__page" href="#article-' in toc
    # Each section opens with its ※ marker; running heads on each article
    for name in sections:
        assert f'data-name="{name}">※ {name} ※</h2>' in body
        assert f'data-section="※ {name} ※"' in body
    assert 'data-running-head="GUANGXIZHENGXIEGONGZUO"' in html
    # Title block: 副题, author line with roles
    assert '<p class="subtitle">——山东省政协以“四强”政协机关建设推进履职提质增效</p>' in html
    assert (
        '<span class="role">记者</span> 张文敬　<span class="role">通讯员</span> 寇琦明　'
        '<span class="role">通讯员</span> 王学涛'
    ) in html
    # Body with 小标题, images with captions, end notes
    assert "<h3>一、从讲政治高度看待抓落实问题</h3>" in html
    assert "<figcaption>山东省政协机关</figcaption>" in html
    assert '<p class="end-note">（来源：《广西日报》）</p>' in html
    assert '<p class="end-note">（作者单位：百色市政协）</p>' in html
    assert '<p class="end-note">（作者系江西省鹰潭市政协主席。来源：《人民政协报》）</p>' in html
    # Colophon
    colophon = html.split('<footer class="colophon"')[1]
    assert "发：</span>自治区政协主席、党组副书记" in colophon
    assert "编辑：黄远声 覃国庭 曾楚雲 白雅蓉" in colophon
    assert "核稿：李兴山" in colophon and "签发：陈签发" in colophon
    assert "电话：0771-8802110" in colophon
    assert "投稿邮箱：gxzxgz@163.com" in colophon
    # The print stylesheet, and the way back to the admin
    assert "/static/css/print_issue.css" in html
    assert reverse("admin:issues_issue_pdf", args=[issue.pk]) in html


def test_authors_keep_their_order_and_corporate_authors_print(issue, staff_client):
    html = staff_client.get(URL).content.decode()
    assert '<p class="authors">政协西安市委员会</p>' in html
    assert Authorship.objects.filter(article__issue=issue).count() >= 9


@pytest.mark.parametrize("status", [s for s, _ in Issue.Status.choices])
def test_staff_see_the_proof_in_every_state(issue, staff_client, status):
    Issue.objects.filter(pk=issue.pk).update(status=status)
    Article.objects.filter(issue=issue).update(status=status)
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "整期校样" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("status", [Issue.Status.DRAFT, Issue.Status.PUBLISHED])
def test_anonymous_readers_get_404(issue, client, status):
    Issue.objects.filter(pk=issue.pk).update(status=status)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("status", [Issue.Status.DRAFT, Issue.Status.PUBLISHED])
def test_logged_in_non_staff_get_404(issue, client, status):
    Issue.objects.filter(pk=issue.pk).update(status=status)
    client.force_login(UserFactory(is_staff=False))
    assert client.get(URL).status_code == 404


def test_an_inactive_staff_account_gets_404(issue, client):
    client.force_login(UserFactory(is_staff=True, is_active=False))
    assert client.get(URL).status_code == 404


def test_a_missing_issue_is_404_for_staff(issue, staff_client):
    assert staff_client.get(reverse("issues:proof", args=[2024, 9])).status_code == 404
