"""The article body editor in real headless Chromium: Chinese typing (with an IME composition),
the toolbar, an image of the article, pasting from Word, and a save that stores what was written.

The samples of tests/articles/test_editor.py (a subset, repeated here: test modules do not import
each other) are loaded into the real editor to show that they are what it writes.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.browser.chromium import DESKTOP, screenshot
from tests.factories import ArticleFactory, ArticleImageFactory

pytestmark = pytest.mark.browser

EDITOR = ".prose-editor .ProseMirror"
# The Tiptap editor instance: Tiptap keeps it on its DOM element.
GET_HTML = f"() => document.querySelector('{EDITOR}').editor.getHTML()"
SELECTION = f"""(() => {{
  const {{ state }} = document.querySelector('{EDITOR}').editor;
  return state.doc.textBetween(state.selection.from, state.selection.to);
}})()"""
TO_END = f"() => document.querySelector('{EDITOR}').editor.commands.focus('end')"
SET_AND_GET = f"""(html) => {{
  const editor = document.querySelector('{EDITOR}').editor;
  editor.commands.setContent(html);
  return editor.getHTML();
}}"""
PASTE = f"""(html) => {{
  const editor = document.querySelector('{EDITOR}').editor;
  editor.commands.clearContent();
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "");
  editor.view.dom.dispatchEvent(
    new ClipboardEvent("paste", {{clipboardData: data, bubbles: true, cancelable: true}})
  );
  return editor.getHTML();
}}"""

EDITOR_OUTPUT = [
    "<p>全区政协系统扎实推进协商工作。</p><h3>一、基本情况</h3><h4>（一）主要做法</h4>",
    "<p>会议<strong>强调</strong>，要<em>切实</em>抓好落实。</p><p>第一行<br>第二行</p>",
    "<p>面积1200m<sup>2</sup>，排放CO<sub>2</sub></p>",
    "<ul><li><p>调研</p></li></ul>"
    '<ol data-type="decimal"><li><p>提案</p></li></ol>'
    '<ol data-type="decimal" start="3"><li><p>第三项</p></li></ol>',
    "<blockquote><p>有事好商量，众人的事情由众人商量。</p></blockquote><hr>",
    '<table><tbody><tr><th colspan="2"><p>合计</p></th></tr>'
    '<tr><td rowspan="2"><p>甲</p></td><td><p>1</p></td></tr>'
    "<tr><td><p>2</p></td></tr></tbody></table>",
    '<p>详见<a href="https://www.gxzx.gov.cn/" rel="noopener noreferrer">自治区政协网站</a></p>'
    '<p><a href="https://www.gxzx.gov.cn/" title="自治区政协" rel="noopener noreferrer">网站</a></p>',
    '<img src="/media/articles/2024/02/meeting.jpg" alt="协商会议现场">',
]

# Word's clipboard: a Heading 1, styled paragraphs with fonts, a numbered and a bulleted list as
# Word writes them (mso-list paragraphs with an ignored marker span), a table, a local picture.
WORD_CLIPBOARD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>
<!--StartFragment--><h1 style='mso-outline-level:1'><span style='font-family:黑体'>一、基本情况</span></h1>
<p class=MsoNormal style='text-indent:2em'><span style='font-family:仿宋_GB2312;color:red'>
<font face=仿宋>全区政协系统</font><b>扎实推进</b>协商工作。<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:18pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]-->
<span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;</span></span>
<!--[endif]--><span>开展调研</span></p>
<p class=MsoListParagraph style='margin-left:18pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]-->
<span style='mso-list:Ignore'>2.<span>&nbsp;&nbsp;</span></span><!--[endif]-->组织视察</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><span style='font-family:Symbol;
mso-list:Ignore'>·<span>&nbsp;</span></span>委员履职</p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse'><tr><td width=200 valign=top
style='width:100pt'><p class=MsoNormal><span style='font-family:宋体'>年份</span></p></td></tr></table>
<p class=MsoNormal><img width=200 src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/image001.png"></p>
<!--EndFragment--></body></html>"""


@pytest.fixture
def staff_page(new_context, live_server, django_user_model):
    """A desktop page logged in as a superuser; it records every request and JavaScript error."""
    django_user_model.objects.create_superuser("chief", "chief@example.org", "editor-pw")
    context = new_context(DESKTOP)
    page = context.new_page()
    page.requests = []
    page.errors = []
    # On the context: requests of tabs the page opens count too.
    context.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "editor-pw")
    with page.expect_navigation(url=re.compile(r"/admin/$")):
        page.click("input[type=submit]")
    yield page
    assert not page.errors, f"JavaScript errors: {page.errors}"
    outside = [
        url for url in page.requests if urlsplit(url).hostname not in {"127.0.0.1", "localhost"}
    ]
    assert not outside, f"requests left the machine: {outside}"


def open_editor(page, article):
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    page.wait_for_selector(f"{EDITOR}[contenteditable=true]")
    page.wait_for_selector(".prose-menubar [data-name=heading3]")


def test_typing_chinese_formatting_and_saving(staff_page, transactional_db):
    page = staff_page
    article = ArticleFactory(title="编辑器测试", body="<p>旧的正文</p>")
    image = ArticleImageFactory(article=article, caption="协商会议现场")
    open_editor(page, article)
    assert page.locator(".prose-menubar [data-name=bold]").get_attribute("title") == "加粗"

    editor = page.locator(EDITOR)
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text("会议强调要切实抓好")
    # An IME composition as a Chinese input method makes it: pinyin shown while composing, the
    # chosen characters committed at the end (compositionstart/update/end in the page).
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "luo", "selectionStart": 3, "selectionEnd": 3})
    cdp.send("Input.imeSetComposition", {"text": "luoshi", "selectionStart": 6, "selectionEnd": 6})
    cdp.send("Input.insertText", {"text": "落实"})
    # ProseMirror reads the composed text from the DOM when the composition has ended.
    page.wait_for_function(f"() => !document.querySelector('{EDITOR}').editor.view.composing")
    page.keyboard.insert_text("。")
    # Select 落实 (the two characters before the full stop) and make it bold. ProseMirror takes
    # the selection from the page's selectionchange events: wait until it has.
    page.keyboard.press("ArrowLeft")
    for _ in range(2):
        page.keyboard.press("Shift+ArrowLeft")
    page.wait_for_function(f"() => {SELECTION} === '落实'")
    page.click(".prose-menubar [data-name=bold]")
    page.evaluate(TO_END)
    page.keyboard.press("Enter")
    page.keyboard.insert_text("一、基本情况")
    page.click(".prose-menubar [data-name=heading3]")
    page.evaluate(TO_END)
    page.keyboard.press("Enter")
    page.keyboard.insert_text("全区政协系统扎实推进协商工作。")
    page.click(".prose-menubar [data-name=articleImage]")
    dialog = page.locator("dialog.prose-editor-dialog")
    assert dialog.locator("option").all_inner_texts() == ["1. 协商会议现场"]
    dialog.locator("button[type=submit]").click()

    html = page.evaluate(GET_HTML)
    assert "<strong>落实</strong>" in html, html
    assert "luo" not in html
    screenshot(page, "admin-article-editor")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator(".messagelist .success").count() == 1

    article.refresh_from_db()
    assert article.body == (
        "<p>会议强调要切实抓好<strong>落实</strong>。</p>"
        "<h3>一、基本情况</h3>"
        "<p>全区政协系统扎实推进协商工作。</p>"
        f'<img src="{image.image.url}" alt="协商会议现场">'
    )
    # Reopened, the editor shows the stored body unchanged.
    page.wait_for_selector(f"{EDITOR}[contenteditable=true]")
    assert page.evaluate(GET_HTML) == article.body


def test_the_editor_writes_what_the_sanitizer_keeps(staff_page, transactional_db):
    page = staff_page
    open_editor(page, ArticleFactory())

    for html in EDITOR_OUTPUT:
        assert page.evaluate(SET_AND_GET, html) == html


def test_pasting_from_word_keeps_structure_and_drops_styles(staff_page, transactional_db):
    page = staff_page
    open_editor(page, ArticleFactory())

    html = page.evaluate(PASTE, WORD_CLIPBOARD)

    assert html == (
        "<h3>一、基本情况</h3>"
        "<p>全区政协系统<strong>扎实推进</strong>协商工作。</p>"
        '<ol data-type="decimal"><li><p>开展调研</p></li><li><p>组织视察</p></li></ol>'
        "<ul><li><p>委员履职</p></li></ul>"
        "<table><tbody><tr><td><p>年份</p></td></tr></tbody></table>"
    ), html


def test_the_print_preview_is_one_click_away(staff_page, transactional_db):
    page = staff_page
    article = ArticleFactory(title="印刷预览测试", source="《人民政协报》")
    open_editor(page, article)

    with page.context.expect_page() as new_tab:
        page.click("text=印刷样式预览")
    preview = new_tab.value
    preview.wait_for_load_state()
    assert preview.locator("h1.title").inner_text() == article.title
    assert preview.locator(".end-note").inner_text() == "（来源：《人民政协报》）"
    text_indent = preview.evaluate("getComputedStyle(document.querySelector('.body p')).textIndent")
    assert text_indent != "0px"
    screenshot(preview, "admin-article-print-preview")
