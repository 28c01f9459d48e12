"""The Content-Security-Policy in real headless Chromium: public pages and the admin (article
editor included) load and work without a single violation, and what used to be inline script
(the print buttons, the confirmation before restoring a revision) still works from static files.

A violation shows twice in Chromium: as a console error ("Refused to …") and as a
securitypolicyviolation event, which a script Playwright adds to every document records (its
own scripts are not subject to the page's policy). The first test shows the watch catches one.
"""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Authorship, Section
from issues.models import Issue, IssueStatus
from tests.browser.chromium import DESKTOP

pytestmark = pytest.mark.browser

EDITOR = ".prose-editor .ProseMirror"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
});
"""
# What an attacker's injected markup would try: an inline script and an inline style.
INJECT_INLINE = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__inlineRan = true;";
  document.body.append(script);
  const div = document.createElement("div");
  div.innerHTML = '<p id="styled" style="color: rgb(255, 0, 0)">x</p>';
  document.body.append(div);
  return window.__inlineRan === true;
}"""


class Watched:
    """A desktop page whose CSP violations (console and events) and JavaScript errors are kept."""

    def __init__(self, context):
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.console = []
        self.errors = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def visit(self, url, wait_for=None):
        response = self.page.goto(url)
        assert response.status < 400, f"{url} answered {response.status}"
        if wait_for:
            self.page.wait_for_selector(wait_for)
        self.page.wait_for_load_state("networkidle")
        self.assert_clean()
        return response

    def violations(self):
        return self.console + [
            f"{self.page.url}: {v}" for v in self.page.evaluate("window.__violations || []")
        ]

    def assert_clean(self):
        assert not self.violations(), f"CSP violations: {self.violations()}"
        assert not self.errors, f"JavaScript errors: {self.errors}"


@pytest.fixture
def watched(new_context):
    return Watched(new_context(DESKTOP))


def directives(header):
    return {name: sources for name, *sources in (d.split() for d in header.split(";"))}


def log_in(watched, user, password):
    page = watched.page
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    with page.expect_navigation(url=re.compile(r"/admin/$")):
        page.click("input[type=submit]")
    watched.assert_clean()


def test_public_pages_send_the_policy_and_break_none_of_it(watched, demo):
    issue = Issue.objects.filter(status=IssueStatus.PUBLISHED).order_by("-year", "-number")[0]
    article = Article.objects.filter(issue=issue).in_print_order().first()
    author = Authorship.objects.filter(article__issue=issue).exclude(person=None)[0].person
    section = Section.objects.filter(articles__issue=issue).first()

    home = watched.visit("/")
    policy = directives(home.header_value("content-security-policy"))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    for url in [
        reverse("issues:archive"),
        issue.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:sections"),
        section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=政协",
    ]:
        watched.visit(url)

    # The watch sees a violation when there is one, and the browser refuses the inline code.
    ran = watched.page.evaluate(INJECT_INLINE)
    watched.page.wait_for_timeout(200)
    assert ran is False
    color = watched.page.eval_on_selector("#styled", "el => getComputedStyle(el).color")
    assert color != "rgb(255, 0, 0)"
    assert any("script-src" in v for v in watched.violations())
    assert any("style-src" in v for v in watched.violations())


def test_admin_pages_and_the_article_editor_work_under_the_policy(watched, demo, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", "chief@example.org", "chief-pw")
    issue = Issue.objects.get(status=IssueStatus.DRAFT)  # its articles are still editable
    article = Article.objects.filter(issue=issue).in_print_order().first()
    page = watched.page
    log_in(watched, chief, "chief-pw")

    change = watched.visit(
        reverse("admin:articles_article_change", args=[article.pk]),
        wait_for=f"{EDITOR}[contenteditable=true]",
    )
    policy = directives(change.header_value("content-security-policy"))
    # 'self' and the hash of the editor's import map (an inline <script type="importmap">)
    assert policy["script-src"][0] == "'self'"
    assert [source[:8] for source in policy["script-src"][1:]] == ["'sha256-"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # the editor injects <style>
    # Type into the editor and save twice: two revisions, so that one can be restored.
    for text in ["内容安全策略下的第一次修改。", "第二次修改。"]:
        page.locator(EDITOR).click()
        page.keyboard.press("End")
        page.keyboard.insert_text(text)
        with page.expect_navigation():
            page.click("input[name=_continue]")
        watched.assert_clean()
    assert "第二次修改" in Article.objects.get(pk=article.pk).body

    for url in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:issues_issue_changelist"),
        reverse("admin:issues_issue_change", args=[issue.pk]),
        reverse("admin:issues_issue_check", args=[issue.pk]),
        reverse("admin:issues_issue_import"),
        reverse("admin:articles_article_import_docx"),
        reverse("admin:people_recipient_changelist"),
        reverse("admin:axes_accessattempt_changelist"),
    ]:
        watched.visit(url)

    # The print buttons: static/js/page_actions.js instead of onclick="window.print()".
    page.add_init_script("window.print = () => { window.__printed = true; };")
    for url in [
        reverse("admin:articles_article_print_preview", args=[article.pk]),
        reverse("issues:proof", args=[issue.year, issue.number]),
    ]:
        watched.visit(url)
        page.click("button[data-print]")
        assert page.evaluate("window.__printed") is True

    # Restoring a revision asks first (data-confirm instead of an inline onsubmit).
    watched.visit(reverse("admin:articles_article_history", args=[article.pk]))
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("button[form^=restore-]").first.click()
    page.wait_for_timeout(300)
    assert questions and questions[0].startswith("确定把稿件恢复到")
    assert page.url.endswith("/history/")  # dismissed: nothing was submitted
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("button[form^=restore-]").first.click()
    assert "第二次修改" not in Article.objects.get(pk=article.pk).body
    watched.assert_clean()


def test_the_lockout_page_after_five_wrong_passwords(watched, django_user_model):
    django_user_model.objects.create_user("wang", password="right-pw", is_staff=True)
    page = watched.page

    for password in ["wrong-pw"] * 5 + ["right-pw"]:
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", "wang")
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("input[type=submit]")

    assert page.locator("h1").inner_text() == "登录已暂时锁定"
    assert "联系系统管理员" in page.locator("#content-main").inner_text()
    watched.assert_clean()
