"""Chinese text helpers shared by the apps."""

import re

from pypinyin import Style, lazy_pinyin

# Surnames whose usual reading differs from the character's most common one. pypinyin reads
# characters out of context, so 曾 would sort as "ceng" and 覃 as "tan".
SURNAME_READINGS = {
    "曾": "zeng",
    "覃": "qin",
    "单": "shan",
    "仇": "qiu",
    "区": "ou",
    "解": "xie",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "缪": "miao",
    "乐": "yue",
    "翟": "zhai",
    "祭": "zhai",
    "种": "chong",
    "秘": "bi",
    "折": "she",
    "繁": "po",
    "员": "yun",
    "召": "shao",
    "藏": "zang",
    "隗": "wei",
}

_SPACES = re.compile(r"\s+")


def pinyin_key(text: str, *, surname_first: bool = False) -> str:
    """A lowercase sort key in toneless pinyin, e.g. "huang yuan sheng" for 黄远声.

    With ``surname_first`` the first character is read as a surname.
    """
    text = _SPACES.sub("", text or "")
    if not text:
        return ""
    syllables = lazy_pinyin(text, style=Style.NORMAL)
    if surname_first and text[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[text[0]]
    return " ".join(s.lower() for s in syllables)[:200]


def compact_name(name: str) -> str:
    """A person's name without the padding spaces print adds to two-character names (吴 宁)."""
    return _SPACES.sub("", name or "")
