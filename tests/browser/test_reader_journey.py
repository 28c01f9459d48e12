"""A reader's way through the public site in real headless Chromium, at phone and desktop widths.

home → first article of the latest issue → an author → back → the article's section → 往期 → an
issue; then a staff preview of the draft issue, the same URLs as a reader (404), and a body whose
script must not run. Every page is checked for horizontal overflow, a Chinese <title> and <h1>,
and Chinese glyphs that really render (not tofu boxes), and is saved as a screenshot.
"""

import os
import re

import pytest

from articles.models import Article
from issues.models import Issue, IssueStatus
from tests.browser.chromium import DESKTOP, HAN, launch_chromium, screenshot

pytestmark = pytest.mark.browser

ARTICLE_URL = re.compile(r"/articles/\d+/$")
AUTHOR_URL = re.compile(r"/authors/(organisations/)?\d+/$")
SECTION_URL = re.compile(r"/sections/[\w-]+/$")
ARCHIVE_URL = re.compile(r"/issues/$")
YEAR_URL = re.compile(r"/issues/\d{4}/$")
ISSUE_URL = re.compile(r"/issues/\d{4}/\d+/$")

# Elements wider than the viewport, for the message when a page overflows.
OVERFLOWING = """() => {
  const limit = window.innerWidth + 0.5;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > limit)
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`
      + ` right=${Math.round(el.getBoundingClientRect().right)}`);
}"""

# Draws two different Han characters of the element's text, and an unassigned code point (which
# every font draws as its .notdef box), in the element's own computed font. Where no installed
# font has Chinese glyphs, all three come out as the same box (or as nothing) and the bitmaps are
# equal; with fonts-noto-cjk they all differ. Canvas text uses the same font fallback as the page.
GLYPHS = r"""(el) => {
  const chars = [...new Set(el.textContent.match(/[\u4e00-\u9fff]/g) || [])].slice(0, 2);
  if (chars.length < 2) return {error: `fewer than two distinct Han characters in ${el.textContent}`};
  const style = getComputedStyle(el);
  const font = `${style.fontStyle} ${style.fontWeight} 48px ${style.fontFamily}`;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (text) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = font;
    ctx.textBaseline = "top";
    ctx.fillText(text, 4, 4);
    const alpha = ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3);
    return alpha.map((a) => (a > 127 ? 1 : 0)).join("");
  };
  const [first, second, tofu] = [draw(chars[0]), draw(chars[1]), draw("\u0378")];
  return {
    chars: chars.join(""),
    font,
    distinct: first !== second && first !== tofu && second !== tofu,
    inked: first.includes("1") && second.includes("1"),
  };
}"""


def glyph_report(page, selector="h1"):
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.locator(selector).first.evaluate(GLYPHS)


def rendering_fonts(page, selector="h1"):
    """The platform fonts Chromium really used for the element's text (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        cdp.send("CSS.enable")
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return [
            font["familyName"]
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        ]
    finally:
        cdp.detach()


def check_page(page, name):
    """The checks every page gets; then a full-page screenshot named ``name``."""
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]

    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == width, f"{name}: layout viewport {inner_width}px (meta viewport?)"
    assert scroll_width <= inner_width, (
        f"{name} at {width}px overflows horizontally ({scroll_width}px): "
        f"{page.evaluate(OVERFLOWING)}"
    )

    title = page.title().strip()
    assert HAN.search(title), f"{name}: <title> {title!r} has no Chinese text"
    h1 = page.locator("h1").first
    assert h1.is_visible(), f"{name}: no visible <h1>"
    heading = h1.inner_text().strip()
    assert HAN.search(heading), f"{name}: <h1> {heading!r} has no Chinese text"

    glyphs = glyph_report(page)
    assert "error" not in glyphs, f"{name}: {glyphs}"
    assert glyphs["inked"] and glyphs["distinct"], (
        f"{name}: Chinese glyphs of the <h1> do not render (tofu or blank) in {glyphs['font']}; "
        "is fonts-noto-cjk installed?"
    )
    declared = page.locator("h1").first.evaluate("(el) => getComputedStyle(el).fontFamily")
    used = rendering_fonts(page)
    assert any(family in declared for family in used), (
        f"{name}: the <h1> is drawn with {used}, none of its declared fonts {declared}"
    )

    screenshot(page, name)
    return heading


def click_and_wait(page, locator, url_pattern):
    with page.expect_navigation(url=url_pattern):
        locator.click()


def test_reader_journey(page, demo):
    latest = Issue.objects.published().newest_first().first()

    # Home, and the keyboard: Tab from the page start reaches the skip link first.
    page.goto("/")
    check_page(page, "home")
    assert latest.display_title in page.locator("h1").first.inner_text()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("(el) => el === document.activeElement"), "Tab did not reach the skip link"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off-screen"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.url.endswith("#main")

    # The first article in the latest issue's table of contents.
    first_entry = page.locator(".latest .toc__title").first
    toc_title = first_entry.inner_text()
    click_and_wait(page, first_entry, ARTICLE_URL)
    heading = check_page(page, "article")
    assert heading in toc_title
    assert page.locator("#article-title").is_visible()
    paragraphs = page.locator(".article__body p")
    assert paragraphs.count() >= 1
    assert paragraphs.first.is_visible()
    assert HAN.search(paragraphs.first.inner_text())
    body_glyphs = glyph_report(page, ".article__body p")
    assert body_glyphs["inked"] and body_glyphs["distinct"], body_glyphs

    # Not every article has a byline (news items often have none): follow 下一篇 in print order
    # to the first one that links an author.
    for _ in range(20):
        if page.locator(".article__authors a").count():
            break
        click_and_wait(page, page.locator(".prev-next a[rel=next]"), ARTICLE_URL)
    else:
        pytest.fail("no article of the latest issue links an author")
    article_url = page.url
    article_title = page.locator("#article-title").inner_text()
    if article_title != heading:
        check_page(page, "article-with-author")

    author_link = page.locator(".article__authors a").first
    author_name = re.sub(r"\s", "", author_link.inner_text())  # printed names: 蒙 岚
    click_and_wait(page, author_link, AUTHOR_URL)
    assert check_page(page, "author") == author_name
    assert page.locator(".article-list").get_by_text(article_title, exact=True).count() == 1

    page.go_back()
    page.wait_for_url(article_url)
    assert page.locator("#article-title").inner_text() == article_title

    section_link = page.locator(".breadcrumbs a").last
    section_name = section_link.inner_text()
    click_and_wait(page, section_link, SECTION_URL)
    assert check_page(page, "section") == section_name
    assert page.locator(".article-list").get_by_text(article_title, exact=True).count() == 1

    click_and_wait(page, page.locator(".site-nav").get_by_role("link", name="往期"), ARCHIVE_URL)
    check_page(page, "archive")

    click_and_wait(page, page.locator(".year-list a").first, YEAR_URL)
    check_page(page, "year")

    issue_card = page.locator(".issue-card a").first
    click_and_wait(page, issue_card, ISSUE_URL)
    check_page(page, "issue")
    assert page.locator(".toc__entry").count() >= 1
    assert page.locator(".preview-banner").count() == 0


def test_staff_preview_of_a_draft_and_404_for_readers(
    page, device, demo, django_user_model, new_context
):
    draft = Issue.objects.get(status=IssueStatus.DRAFT)
    article = Article.objects.filter(issue=draft).in_print_order().first()
    assert not article.is_published
    urls = {
        "preview-issue": draft.get_absolute_url(),
        "preview-article": article.get_absolute_url(),
    }
    django_user_model.objects.create_superuser("chief", "chief@example.org", "preview-pw")

    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "preview-pw")
    with page.expect_navigation(url=re.compile(r"/admin/$")):
        page.click("input[type=submit]")

    for name, url in urls.items():
        response = page.goto(url)
        assert response.status == 200, f"staff got {response.status} for {url}"
        banner = page.locator(".preview-banner")
        assert banner.is_visible()
        assert "预览" in banner.inner_text()
        check_page(page, name)
    assert page.locator("#article-title").inner_text() == article.title

    # A reader (a new context: no session cookie) gets the 404 page for the same URLs.
    reader = new_context(device).new_page()
    for url in urls.values():
        response = reader.goto(url)
        assert response.status == 404, f"a reader got {response.status} for {url}"
        assert reader.locator("h1").inner_text() == "页面不存在"
        assert reader.locator(".preview-banner").count() == 0
        assert draft.display_title not in reader.content()
        assert article.title not in reader.content()
    check_page(reader, "not-found")


def test_script_in_an_article_body_does_not_run(new_context, demo):
    issue = Issue.objects.published().newest_first().first()
    first = Article.objects.filter(issue=issue).in_print_order().first()
    article = Article.objects.create(
        issue=issue,
        section=first.section,
        order=99,
        status=Article.Status.PUBLISHED,
        title="<script>window.__xss=3</script>脚本不应执行",
        body=(
            "<p>正文开头。</p><script>window.__xss=1</script>"
            '<img src=x onerror="window.__xss=2"><p onclick="window.__xss=4">正文结尾。</p>'
            '<p><a href="javascript:window.__xss=5">链接</a></p>'
        ),
    )
    page = new_context(DESKTOP).new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(article.get_absolute_url())
    page.wait_for_load_state("networkidle")
    page.locator(".article__body a").click()
    page.locator(".article__body p").last.click()

    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not dialogs
    assert page.locator(".article__body script").count() == 0
    assert page.locator(".article__body [onerror], .article__body [onclick]").count() == 0
    assert (
        page.locator("#article-title").inner_text() == "<script>window.__xss=3</script>脚本不应执行"
    )
    assert page.locator(".article__body").inner_text().startswith("正文开头。")
    check_page(page, "script-in-body")


def test_glyph_check_fails_without_chinese_fonts(playwright_instance, live_server, demo, tmp_path):
    """The rendering check is not vacuous: with every Chinese-capable font hidden from Chromium
    (a fontconfig that rejects fonts covering zh-cn, as on a machine without fonts-noto-cjk), the
    same home page gives tofu, which the check must catch."""
    (tmp_path / "fonts.conf").write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts</dir>
  <cachedir>{tmp_path}/cache</cachedir>
  <selectfont><rejectfont><pattern>
    <patelt name="lang"><string>zh-cn</string></patelt>
  </pattern></rejectfont></selectfont>
</fontconfig>
""",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    browser = launch_chromium(playwright_instance, env=env)
    try:
        page = browser.new_page(base_url=live_server.url)
        page.goto("/")
        glyphs = glyph_report(page)
        assert glyphs["inked"] is False or glyphs["distinct"] is False, glyphs
        assert not any("CJK" in family for family in rendering_fonts(page)), "a CJK font leaked"
    finally:
        browser.close()
