"""articles/diffs.py: character-level diffs of Chinese text, folded, escaped."""

import re
from pathlib import Path

import pytest

from articles.diffs import (
    CONTEXT,
    ELLIPSIS,
    author_line,
    body_text,
    diff_snapshots,
    diff_text,
    page_range,
)

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"

PARAGRAPH = (
    "李晓明来到市劳动模范、某纸业有限公司机修车间班长王建新家中，与他促膝交谈，"
    "仔细询问他的生活和工作情况。李晓明表示，劳动模范是社会的宝贵财富，希望他再接再厉，"
    "继续发挥示范带动作用，做好“传帮带”，带动更多职工奋发进取。"
)


def marks(html):
    return re.findall(r"<(del|ins)>(.*?)</\1>", html, flags=re.S)


def visible(html):
    """The text a reader sees, tags removed."""
    return re.sub(r"</?(del|ins)>", "", html)


def test_one_character_changed_in_a_long_paragraph_is_exactly_that_character():
    middle = len(PARAGRAPH) // 2
    changed = PARAGRAPH[:middle] + "卅" + PARAGRAPH[middle + 1 :]
    html = diff_text(PARAGRAPH, changed)
    assert marks(html) == [("del", PARAGRAPH[middle]), ("ins", "卅")]
    # Folded: context either side, the rest replaced by an ellipsis at both ends.
    before, after = re.split(r"<del>.*</ins>", html)
    assert before == ELLIPSIS + PARAGRAPH[middle - CONTEXT : middle]
    assert after == PARAGRAPH[middle + 1 : middle + 1 + CONTEXT] + ELLIPSIS


def test_seed_prose_one_character_changed():
    if not SEED.exists():
        pytest.skip(f"seed text not found at {SEED} (../shared/seeds beside the repository)")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    paragraph = max(lines, key=len)
    assert len(paragraph) > 150, "the seed should hold a long paragraph of prose"
    middle = len(paragraph) // 2
    replacement = "乙" if paragraph[middle] != "乙" else "丙"
    changed = paragraph[:middle] + replacement + paragraph[middle + 1 :]
    body_old = "".join(f"<p>{line}</p>" for line in lines if line.strip())
    body_new = body_old.replace(paragraph, changed, 1)

    [change] = diff_snapshots({"body": body_old}, {"body": body_new})

    assert change.label == "正文"
    assert marks(change.html) == [("del", paragraph[middle]), ("ins", replacement)]
    shown = visible(change.html)
    # The rest of the text is folded away: only context around the one change.
    assert len(shown) <= 2 * CONTEXT + 2 + 2 * len(ELLIPSIS)
    assert shown.startswith(ELLIPSIS) and shown.endswith(ELLIPSIS)


def test_script_is_escaped_in_changes_and_context():
    old = "<p>正文&lt;script&gt;alert(1)&lt;/script&gt;第一段</p>"
    new = "<p>正文&lt;script&gt;alert(2)&lt;/script&gt;第一段</p>"
    html = diff_snapshots({"body": old}, {"body": new})[0].html
    assert "<script" not in html
    assert "&lt;script&gt;alert(" in html
    assert marks(html) == [("del", "1"), ("ins", "2")]
    raw = diff_text("<script>alert('x')</script>", "<b>x</b>")
    assert "<" not in visible(raw)  # no markup but the diff's own <del>/<ins>
    assert raw.startswith("&lt;<del>script</del><ins>b</ins>&gt;")
    # A stored body with a raw script element shows its text, never the element.
    body = diff_snapshots({"body": "<p>甲</p>"}, {"body": "<p>甲</p><script>alert(1)</script>"})
    assert "<script" not in body[0].html


def test_identical_texts_have_no_changes():
    assert diff_text(PARAGRAPH, PARAGRAPH) == ""
    snapshot = {"title": "标题", "body": f"<p>{PARAGRAPH}</p>"}
    assert diff_snapshots(snapshot, dict(snapshot)) == []


def test_completely_different_texts_are_one_deletion_and_one_insertion():
    html = diff_text("甲乙丙丁", "子丑寅卯")
    assert marks(html) == [("del", "甲乙丙丁"), ("ins", "子丑寅卯")]
    assert ELLIPSIS not in html


def test_insertion_at_start_and_end():
    assert marks(diff_text(PARAGRAPH, "【特稿】" + PARAGRAPH)) == [("ins", "【特稿】")]
    start = diff_text(PARAGRAPH, "【特稿】" + PARAGRAPH)
    assert start.startswith("<ins>【特稿】</ins>" + PARAGRAPH[:CONTEXT])
    assert start.endswith(ELLIPSIS)
    end = diff_text(PARAGRAPH, PARAGRAPH + "（完）")
    assert marks(end) == [("ins", "（完）")]
    assert end.startswith(ELLIPSIS + PARAGRAPH[-CONTEXT:])


def test_full_width_punctuation_change():
    old = "李晓明表示，劳动模范是社会的宝贵财富。"
    new = "李晓明表示：劳动模范是社会的宝贵财富！"
    assert marks(diff_text(old, new)) == [
        ("del", "，"),
        ("ins", "："),
        ("del", "。"),
        ("ins", "！"),
    ]
    # A half-width comma for a full-width one is a change too.
    assert marks(diff_text(old, old.replace("，", ","))) == [("del", "，"), ("ins", ",")]


def test_body_keeps_paragraph_breaks_and_marks_a_new_paragraph():
    old = "<p>第一段。</p><p>第二段。</p>"
    new = "<p>第一段。</p><p>新加的一段。</p><p>第二段。</p>"
    assert body_text(old) == "第一段。\n第二段。"
    html = diff_snapshots({"body": old}, {"body": new})[0].html
    assert marks(html) == [("ins", "¶\n新加的一段。")]


def test_body_text_strips_tags_per_block():
    html = "<h3>小标题</h3><p>一 <strong>段</strong>&amp;文</p><ul><li>甲</li><li>乙</li></ul>"
    assert body_text(html) == "小标题\n一 段&文\n甲\n乙"


def test_unchanged_paragraphs_between_changes_are_folded():
    paragraphs = [f"第{i}段{PARAGRAPH}" for i in range(5)]
    new = list(paragraphs)
    new[0] = new[0].replace("李晓明", "李某某", 1)
    new[4] = new[4].replace("奋发进取", "奋发有为", 1)
    html = diff_text("\n".join(paragraphs), "\n".join(new))
    assert "第2段" not in html  # a whole unchanged paragraph in between is folded
    assert ELLIPSIS in html
    assert [text for _, text in marks(html)] == ["晓明", "某某", "进取", "有为"]


def test_snapshot_fields_labels_and_author_line():
    old = {
        "title": "标题",
        "authors": author_line([("记者", "吴宁"), ("通讯员", "李明")]),
        "pages": page_range(3, 5),
    }
    new = {
        "title": "标题",
        "authors": author_line([("记者", "吴宁"), ("", "李明")]),
        "pages": page_range(3, 3),
    }
    assert old["authors"] == "记者 吴宁、通讯员 李明"
    changes = {c.label: c for c in diff_snapshots(old, new)}
    assert set(changes) == {"作者", "起止页码"}
    assert marks(changes["作者"].html) == [("del", "通讯员 ")]
    assert changes["起止页码"].new == "第3页"
