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


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。、；：！？“”‘’《》（）【】——…·"
_SPACE_AROUND_PUNCT = re.compile(rf"\s*([{_CJK_PUNCT}])\s*")
_SPACE_CJK_ALNUM = re.compile(rf"(?<=[{_CJK}])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])\s+(?=[{_CJK}])")
_FULLWIDTH_ALNUM = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"}
_FULLWIDTH_ALNUM.update({ord(c): ord(c) - 0xFEE0 for c in map(chr, range(0xFF21, 0xFF3B))})
_FULLWIDTH_ALNUM.update({ord(c): ord(c) - 0xFEE0 for c in map(chr, range(0xFF41, 0xFF5B))})
_FULLWIDTH_ALNUM[0x3000] = 0x20  # ideographic space
_HALF_TO_FULL_PUNCT = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！"})


def normalise_title(text: str) -> str:
    """Normalise a headline as print extraction leaves it.

    Full-width digits and letters become half-width, the stray spaces print puts between
    Chinese and digits (2024 年) or around Chinese punctuation go, half-width punctuation
    between Chinese characters becomes full-width; spaces between Chinese phrases stay.
    """
    text = (text or "").translate(_FULLWIDTH_ALNUM)
    text = re.sub(
        rf"(?<=[{_CJK}])[,;:?!](?=[{_CJK}])",
        lambda m: m.group(0).translate(_HALF_TO_FULL_PUNCT),
        text,
    )
    text = _SPACE_CJK_ALNUM.sub("", text)
    text = _SPACE_AROUND_PUNCT.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """A comparison key: no whitespace, no dashes, full-width letters and digits folded."""
    text = (text or "").translate(_FULLWIDTH_ALNUM)
    return re.sub(r"[\s\u2014\u2013\u2015\-]+", "", text)
