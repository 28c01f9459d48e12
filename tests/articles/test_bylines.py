import pytest

from articles.importers.bylines import parse_byline, parse_names


def authors(line, **kwargs):
    parsed = parse_byline(line, **kwargs)
    return None if parsed is None else [(a.name, a.role, a.kind, a.printed_name) for a in parsed]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("农喜养", [("农喜养", "", "person", "")]),
        ("吴 宁 艾粤敏", [("吴宁", "", "person", "吴 宁"), ("艾粤敏", "", "person", "")]),
        ("黄远声　蒙 岚", [("黄远声", "", "person", ""), ("蒙岚", "", "person", "蒙 岚")]),
        (
            "记者 张文敬 通讯员 寇琦明 王学涛",
            [
                ("张文敬", "记者", "person", ""),
                ("寇琦明", "通讯员", "person", ""),
                ("王学涛", "通讯员", "person", ""),
            ],
        ),
        ("本刊记者 韦 东", [("韦东", "本刊记者", "person", "韦 东")]),
        ("李明 整理", [("李明", "整理", "person", "")]),
        ("政协西安市委员会", [("政协西安市委员会", "", "organisation", "")]),
        ("欧阳明辉", [("欧阳明辉", "", "person", "")]),
        ("买买提·艾力", [("买买提·艾力", "", "person", "")]),
    ],
)
def test_author_lines(line, expected):
    assert authors(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "聚焦全媒体平台 持续擦亮协商品牌",  # a subheading
        "坚持“遇事多商量” 提升协商议事质效",
        "调研报告",  # a four-character phrase
        "理论 研究",
        "自治区政协秘书长卢能干陪同慰问。",  # a sentence
        "张三、李四",
        "Zhang Wei",
        "孙大伟主持并讲话",
    ],
)
def test_lines_that_are_not_author_lines(line):
    assert parse_byline(line) is None


def test_trusted_line_takes_any_names():
    """When the table of contents prints the same names, unusual surnames are accepted."""
    assert parse_byline("冇名氏") is None
    assert authors("冇名氏", trust=True) == [("冇名氏", "", "person", "")]


def test_three_single_characters_make_one_name():
    assert parse_names("欧 阳 明") == [("欧阳明", "欧 阳 明")]
