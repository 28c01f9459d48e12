"""One imported issue from 草稿 to 已发布 in real Chromium, as the office does it each month:
the editor submits it, the proofreader corrects one character in the article editor and passes
it on, the approver signs it off and publishes it; then a reader finds the corrected text on
the article page and through search."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from articles.importers.print_text import parse_print_text
from issues.importing import save_parsed_issue
from issues.models import Issue
from tests.browser.chromium import DESKTOP, screenshot
from tests.factories import PublicationFactory

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"
EDITOR = ".prose-editor .ProseMirror"
NEW_CHARACTER = "骉"  # a character the bulletin's prose does not use, so the fix is searchable

# Select ``from``..``to`` in the editor's document (ProseMirror positions) for the keyboard.
SELECT_TEXT = f"""([needle, offset]) => {{
  const editor = document.querySelector('{EDITOR}').editor;
  let found = null;
  editor.state.doc.descendants((node, pos) => {{
    if (found === null && node.isText && node.text.includes(needle)) {{
      found = pos + node.text.indexOf(needle) + offset;
    }}
  }});
  editor.chain().focus().setTextSelection({{from: found, to: found + 1}}).run();
  const {{ state }} = editor;
  return state.doc.textBetween(state.selection.from, state.selection.to);
}}"""


@pytest.fixture
def imported_issue(transactional_db, search_index):
    if not SEED.exists():
        pytest.skip(f"the seed issue is not at {SEED} (../shared/seeds/ beside the repository)")
    parsed = parse_print_text(SEED.read_bytes())
    issue = save_parsed_issue(
        parsed=parsed, publication=PublicationFactory(), year=2024, number=2, total_number=301
    )
    search_index.rebuild()
    return issue


def a_fix(issue):
    """An article of ``issue`` with a long paragraph, the paragraph, and where to change one
    character in its middle (a Chinese character with Chinese text either side)."""
    for article in issue.articles.order_by("pk"):
        for paragraph in re.findall(r"<p>([^<]{80,})</p>", article.body):
            middle = len(paragraph) // 2
            for i in range(middle, len(paragraph) - 3):
                window = paragraph[i - 3 : i + 4]
                if re.fullmatch(r"[\u4e00-\u9fff]{7}", window):
                    return article, paragraph, i
    raise AssertionError("no long Chinese paragraph in the seed issue")


def log_in(new_context, user):
    page = new_context(DESKTOP).new_page()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    with page.expect_navigation(url=re.compile(r"/admin/$")):
        page.click("input[type=submit]")
    return page


def run_step(page, issue, label):
    """Click the state button ``label`` on the issue's page and confirm it."""
    page.goto(reverse("admin:issues_issue_change", args=[issue.pk]))
    page.click(f"a.workflow-button:text-is('{label}')")
    # Publishing makes the issue's PDF before it answers (seconds on a busy machine).
    with page.expect_navigation(timeout=60_000):
        page.click(f"input[type=submit][value='确认{label}']", timeout=60_000)
    assert page.locator(".messagelist .success").count() == 1, page.content()


def test_an_imported_issue_goes_from_draft_to_published_through_three_people(
    imported_issue, role_users, new_context, live_server
):
    issue = imported_issue
    article, paragraph, index = a_fix(issue)
    corrected = paragraph[:index] + NEW_CHARACTER + paragraph[index + 1 :]
    query = corrected[index - 3 : index + 4]
    for user in role_users.values():
        user.set_password("pw")
        user.save()

    # 编辑: submits the draft for proofing. Her page has no button to approve it.
    editor = log_in(new_context, role_users["编辑"])
    editor.goto(reverse("admin:issues_issue_change", args=[issue.pk]))
    assert editor.locator("a.workflow-button").all_inner_texts() == ["提交校对"]
    run_step(editor, issue, "提交校对")

    # 核稿: corrects one character in the article editor, saves, passes the issue on.
    proofreader = log_in(new_context, role_users["核稿"])
    proofreader.goto(reverse("admin:articles_article_change", args=[article.pk]))
    proofreader.wait_for_selector(f"{EDITOR}[contenteditable=true]")
    selected = proofreader.evaluate(SELECT_TEXT, [paragraph[index - 3 : index + 4], 3])
    assert selected == paragraph[index]
    # Tiptap moves the focus on the next animation frame: type only once it is there, and
    # save only once the form's field holds the change.
    proofreader.wait_for_function(f"() => document.querySelector('{EDITOR}').editor.isFocused")
    proofreader.keyboard.insert_text(NEW_CHARACTER)
    proofreader.wait_for_function(
        "(text) => document.querySelector('textarea[name=body]').value.includes(text)",
        arg=corrected,
    )
    with proofreader.expect_navigation():
        proofreader.click("input[name=_continue]")
    assert proofreader.locator(".messagelist .success").count() == 1
    article.refresh_from_db()
    assert f"<p>{corrected}</p>" in article.body
    run_step(proofreader, issue, "核稿通过，送签发")

    # 签发: signs it off and publishes it now.
    approver = log_in(new_context, role_users["签发"])
    run_step(approver, issue, "签发")
    run_step(approver, issue, "立即发布")
    screenshot(approver, "admin-issue-published")

    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    steps = list(issue.transitions.order_by("at", "pk").values_list("action", "user"))
    assert steps == [
        ("submit", role_users["编辑"].pk),
        ("pass", role_users["核稿"].pk),
        ("approve", role_users["签发"].pk),
        ("publish", role_users["签发"].pk),
    ]

    # A reader: the corrected text on the article page, and the article found by it.
    reader = new_context(DESKTOP).new_page()
    reader.goto(article.get_absolute_url())
    assert corrected in reader.locator(".article__body").inner_text()
    reader.goto(f"{reverse('articles:search')}?q={quote(query)}")
    hit = reader.locator(
        ".search-hit", has=reader.locator(f"a[href='{article.get_absolute_url()}']")
    )
    assert hit.count() == 1, reader.content()
    assert query in hit.locator(".search-hit__snippet").inner_text()
