"""No lost edits: of two people saving the same article or issue, the second is refused."""

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from issues.models import Issue, IssueSection
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, IssueFactory, IssueSectionFactory, SectionFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>全面贯彻落实会议精神，扎实推进各项工作，为谱写新时代壮美广西建设新篇章贡献智慧和力量。</p>"
)


@pytest.fixture
def two_editors(django_user_model):
    def login(username, first_name):
        user = django_user_model.objects.create_superuser(username, f"{username}@example.org", "pw")
        user.first_name = first_name
        user.save()
        client = Client()
        client.force_login(user)
        return client

    return login("wang", "王编辑"), login("li", "李核稿")


def snapshot(obj):
    with reversion.create_revision():
        reversion.add_to_revision(obj)
        reversion.set_comment("导入印刷文本")


def test_second_save_of_an_article_is_refused_and_keeps_the_losers_text(two_editors):
    wang, li = two_editors
    article = ArticleFactory(title="自治区政协召开主席会议", body=BODY)
    snapshot(article)
    url = reverse("admin:articles_article_change", args=[article.pk])
    wang_data = form_data(wang.get(url))
    li_data = form_data(li.get(url))

    wang_data["title"] = "自治区政协召开主席会议 孙大伟主持并讲话"
    assert wang.post(url, wang_data).status_code == 302

    li_body = BODY.replace("扎实推进", "稳步推进")
    li_data["body"] = li_body
    response = li.post(url, li_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "保存失败：在您编辑期间，王编辑于" in html
    assert "已保存了本稿件" in html
    # Li's text is still in the form, nothing of it saved.
    assert response.context["adminform"].form["body"].value() == li_body
    article.refresh_from_db()
    assert article.title == "自治区政协召开主席会议 孙大伟主持并讲话"
    assert "扎实推进" in article.body
    # What Wang changed, from the revision Li started from.
    conflict = response.context["edit_conflict"]
    assert conflict["base_found"] is True
    assert [c.label for c in conflict["changes"]] == ["标题"]
    assert "<ins> 孙大伟主持并讲话</ins>" in html


def test_refused_form_saved_again_is_a_deliberate_overwrite(two_editors):
    wang, li = two_editors
    article = ArticleFactory(title="原标题", body=BODY)
    snapshot(article)
    url = reverse("admin:articles_article_change", args=[article.pk])
    wang_data = form_data(wang.get(url))
    li_data = form_data(li.get(url))
    wang_data["title"] = "王的标题"
    wang.post(url, wang_data)
    li_data["title"] = "李的标题"
    refused = li.post(url, li_data)
    assert refused.status_code == 200

    again = li.post(url, form_data(refused))
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.title == "李的标题"
    assert Version.objects.get_for_object(article).first().revision.user.username == "li"


def test_without_the_starting_revision_the_losers_text_is_compared_and_said_so(two_editors):
    wang, li = two_editors
    article = ArticleFactory(title="原标题", body=BODY)  # no revision kept yet
    url = reverse("admin:articles_article_change", args=[article.pk])
    wang_data = form_data(wang.get(url))
    li_data = form_data(li.get(url))
    wang_data["title"] = "王的标题"
    wang.post(url, wang_data)
    li_data["title"] = "李的标题"
    response = li.post(url, li_data)

    html = response.content.decode()
    assert "没有找到您开始编辑时的版本记录" in html
    assert response.context["edit_conflict"]["base_found"] is False
    assert "<del>李</del><ins>王</ins>" in html
    article.refresh_from_db()
    assert article.title == "王的标题"


def test_a_save_racing_past_the_form_check_is_rolled_back_and_refused(two_editors, monkeypatch):
    """The database's versioned UPDATE is the last guard. Here the form check is made to miss
    the other save once (as if that save committed just after the check): the UPDATE finds no
    row with Li's version, everything of the request is rolled back, and the form comes back
    refused."""
    from bulletin import concurrent_admin

    wang, li = two_editors
    article = ArticleFactory(title="原标题", body=BODY)
    url = reverse("admin:articles_article_change", args=[article.pk])
    wang_data = form_data(wang.get(url))
    li_data = form_data(li.get(url))
    wang_data["title"] = "王的标题"
    assert wang.post(url, wang_data).status_code == 302

    original = concurrent_admin._select_lock
    calls = []

    def misses_once(instance, version):
        calls.append(version)
        if len(calls) > 1:
            original(instance, version)

    monkeypatch.setattr(concurrent_admin, "_select_lock", misses_once)
    li_data["title"] = "李的标题"
    li_data["body"] = BODY.replace("扎实", "切实")
    response = li.post(url, li_data)

    assert len(calls) == 2  # the view ran again after the rollback
    assert response.status_code == 200
    assert "保存失败：在您编辑期间，王编辑于" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "王的标题"
    assert "扎实" in article.body
    assert Version.objects.get_for_object(article).count() == 1  # Wang's only


def test_a_stale_issue_form_with_changed_inlines_is_refused_whole(two_editors):
    wang, li = two_editors
    issue = IssueFactory(notes="原备注", distribution_line="各市（县）区政协。")
    first = IssueSectionFactory(issue=issue, section=SectionFactory(name="政协动态"), order=1)
    second = IssueSectionFactory(issue=issue, section=SectionFactory(name="市县政协"), order=2)
    snapshot(issue)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    wang_data = form_data(wang.get(url))
    li_data = form_data(li.get(url))

    wang_data["notes"] = "王改了备注"
    assert wang.post(url, wang_data).status_code == 302

    # Li swaps the section order and changes the distribution line on the stale form.
    prefix = "section_entries"
    for i in range(2):
        if li_data[f"{prefix}-{i}-id"] == str(first.pk):
            li_data[f"{prefix}-{i}-order"] = "2"
        else:
            li_data[f"{prefix}-{i}-order"] = "1"
    li_data["distribution_line"] = "各市（县）区政协；自治区政协机关各处室。"
    response = li.post(url, li_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "保存失败：在您编辑期间，王编辑于" in html and "已保存了本期刊" in html
    issue.refresh_from_db()
    assert issue.notes == "王改了备注"
    assert issue.distribution_line == "各市（县）区政协。"
    assert IssueSection.objects.get(pk=first.pk).order == 1
    assert IssueSection.objects.get(pk=second.pk).order == 2
    labels = [c.label for c in response.context["edit_conflict"]["changes"]]
    assert labels == ["备注"]
    assert Issue.objects.get(pk=issue.pk).notes == "王改了备注"


def test_issue_conflict_shows_the_other_persons_inline_changes(two_editors):
    wang, li = two_editors
    issue = IssueFactory()
    entry = IssueSectionFactory(issue=issue, section=SectionFactory(name="政协动态"), order=1)
    IssueSectionFactory(issue=issue, section=SectionFactory(name="理论研究"), order=2)
    snapshot(issue)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    wang_data = form_data(wang.get(url))
    li_data = form_data(li.get(url))
    index = next(i for i in range(2) if wang_data[f"section_entries-{i}-id"] == str(entry.pk))
    wang_data[f"section_entries-{index}-order"] = "3"
    assert wang.post(url, wang_data).status_code == 302

    response = li.post(url, li_data)
    changes = {c.label: c for c in response.context["edit_conflict"]["changes"]}
    assert "本期栏目顺序" in changes
    # 政协动态 moved from first to last.
    assert (
        changes["本期栏目顺序"].html
        == "<del>1. 政协动态</del>\n2. 理论研究<ins>¶\n3. 政协动态</ins>"
    )
