import pytest

from bulletin.text import compact_name, normalise_title, pinyin_key


def test_pinyin_key_is_lowercase_toneless_syllables():
    assert pinyin_key("黄远声") == "huang yuan sheng"


def test_surname_readings_apply_to_the_first_character_only_when_asked():
    assert pinyin_key("曾明", surname_first=True) == "zeng ming"
    assert pinyin_key("覃华", surname_first=True) == "qin hua"
    # Read as an ordinary word, 曾 is "ceng" (曾经) and 覃 is "tan".
    assert pinyin_key("曾明") == "ceng ming"
    assert pinyin_key("覃华") == "tan hua"


def test_pinyin_key_ignores_print_padding():
    assert pinyin_key("吴 宁", surname_first=True) == pinyin_key("吴宁", surname_first=True)
    assert pinyin_key("吴 宁", surname_first=True) == "wu ning"


def test_pinyin_key_of_nothing_is_empty():
    assert pinyin_key("") == ""
    assert pinyin_key("   ") == ""
    assert pinyin_key(None) == ""


def test_compact_name_removes_padding_spaces():
    assert compact_name("吴 宁") == "吴宁"
    assert compact_name(" 吴\u3000宁 ") == "吴宁"
    assert compact_name("黄远声") == "黄远声"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "自治区政协举行 2024 年离退休同志迎新春团拜会",
            "自治区政协举行2024年离退休同志迎新春团拜会",
        ),
        ("２０２４年第一季度协商工作会", "2024年第一季度协商工作会"),
        ("协商,议事;监督", "协商，议事；监督"),
        ("倾力打造 “来宾好商量” 品牌", "倾力打造“来宾好商量”品牌"),
        ("创新机制  搭建平台", "创新机制 搭建平台"),
        ("委员　履职", "委员 履职"),
    ],
)
def test_normalise_title(raw, expected):
    assert normalise_title(raw) == expected
