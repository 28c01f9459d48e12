"""Reading author lines as print sets them.

Conventions: names separated by spaces; two-character names padded to the width of three
(吴 宁 is one person, 吴宁); a role printed before the names it applies to (记者 张文敬 通讯员
寇琦明 王学涛) or after them (张三 整理); an organisation as corporate author (政协西安市委员会).
"""

import re
from dataclasses import dataclass

from bulletin.text import compact

# Printed role word -> Authorship.Role value.
PREFIX_ROLES = {
    "记者": "reporter",
    "本刊记者": "reporter",
    "特约记者": "reporter",
    "见习记者": "reporter",
    "通讯员": "correspondent",
    "本刊通讯员": "correspondent",
    "特约通讯员": "correspondent",
    "作者": "author",
    "摄影": "photographer",
}
SUFFIX_ROLES = {
    "整理": "compiler",
    "供稿": "contributor",
    "编译": "translator",
    "摄": "photographer",
}

ORGANISATION_SUFFIXES = (
    "委员会", "政协", "办公厅", "办公室", "研究室", "课题组", "调研组", "编辑部", "宣传部",
    "统战部", "委员会办公厅", "党组", "机关", "专委会", "工作室", "联络组", "中心", "学会",
    "协会", "研究会", "大学", "学院", "学校", "报社", "杂志社", "出版社", "公司", "集团",
    "局", "厅", "委", "处", "科", "部", "院", "所", "馆", "站", "社", "会",
)  # fmt: skip

# Common surnames, with those frequent in Guangxi (覃, 韦, 蒙, 农, 莫 …). Used only to tell an
# author line from a short line of text when the table of contents does not confirm it.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭"
    "由黃"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "司徒", "夏侯", "轩辕", "端木")  # fmt: skip

_CJK_TOKEN = re.compile(r"^[\u3400-\u9fff·•]+$")
_FORBIDDEN = re.compile(r"[，。；：、“”‘’《》？！（）()\[\]【】,.;:?!0-9]")


@dataclass
class ParsedAuthor:
    name: str
    role: str = ""  # the printed role word, "" when none is printed
    kind: str = "person"  # or "organisation"
    printed_name: str = ""

    @property
    def role_value(self):
        return PREFIX_ROLES.get(self.role) or SUFFIX_ROLES.get(self.role) or ""

    def as_json(self):
        return {"name": self.name, "role": self.role, "kind": self.kind}


def is_organisation(name: str) -> bool:
    return len(name) >= 4 and name.endswith(ORGANISATION_SUFFIXES)


def looks_like_person(name: str) -> bool:
    if "·" in name or "•" in name:  # transliterated names: 买买提·艾力
        return 3 <= len(name) <= 16
    if not 2 <= len(name) <= 4:
        return False
    return name[0] in SURNAMES or name.startswith(COMPOUND_SURNAMES)


def parse_names(text: str, *, trust: bool = False) -> list[tuple[str, str]] | None:
    """Split a run of names into (name, printed form), merging padded two-character names.

    Returns None when a token cannot be a name (unless ``trust``: the text is known to be one).
    """
    tokens = (text or "").replace("\u3000", " ").split()
    names, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if len(token) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            # 吴 宁 → 吴宁; three single characters in a row are one three-character name
            run = 2
            if (
                i + 2 < len(tokens)
                and len(tokens[i + 2]) == 1
                and (i + 3 >= len(tokens) or len(tokens[i + 3]) != 1)
            ):
                run = 3
            names.append(("".join(tokens[i : i + run]), " ".join(tokens[i : i + run])))
            i += run
            continue
        names.append((token, token))
        i += 1
    for name, _ in names:
        if not _CJK_TOKEN.match(name) or (not trust and not _is_name(name)):
            return None
    return names


def _is_name(name):
    return looks_like_person(name) or is_organisation(name)


def parse_byline(line: str, *, trust: bool = False) -> list[ParsedAuthor] | None:
    """Authors of an author line, or None if ``line`` does not look like one.

    ``trust`` is set when the table of contents prints the same names, so any token that is
    not a role is taken as a name.
    """
    line = (line or "").replace("\u3000", " ").strip()
    if not line or len(compact(line)) > 40 or _FORBIDDEN.search(line):
        return None
    authors, role, pending = [], "", []
    for chunk in _role_chunks(line):
        if chunk in PREFIX_ROLES:
            authors.extend(pending)
            pending, role = [], chunk
            continue
        if chunk in SUFFIX_ROLES:
            for author in pending:
                author.role = chunk
            authors.extend(pending)
            pending, role = [], ""
            continue
        names = parse_names(chunk, trust=trust)
        if names is None:
            return None
        for name, printed in names:
            kind = "organisation" if is_organisation(name) else "person"
            pending.append(
                ParsedAuthor(
                    name=name, role=role, kind=kind, printed_name=printed if printed != name else ""
                )
            )
    authors.extend(pending)
    return authors or None


def _role_chunks(line):
    """Split on role words standing as their own tokens, keeping the runs of names between."""
    chunks, run = [], []
    for token in line.split():
        if token in PREFIX_ROLES or token in SUFFIX_ROLES:
            if run:
                chunks.append(" ".join(run))
                run = []
            chunks.append(token)
        else:
            run.append(token)
    if run:
        chunks.append(" ".join(run))
    return chunks
