"""Composed issues of the bulletin, as text extracted from its print PDF, with their structure.

compose_issue(seed) invents a whole issue (table of contents, articles, running heads left where
pages broke, colophon) using only conventions seen in the real seed issue (../shared/seeds/),
combined in new ways, and returns the text with what a correct import yields, in the shape of the
seed's expected.json. The same seed gives the same issue. All prose is invented here.

Pages are laid out like the print: W characters a line, L lines a page, each article on a new page
(short news may share one); a page break falls at a line end, mid-paragraph or between blocks,
never right after a heading. The extraction leaves the running head ("※ section ※" and the latin
head) where a page began, or only a blank line.
"""

import itertools
import random
import re
from dataclasses import dataclass, field

from tests.importers import prose as ph

TERMINATORS = "。！？”’）)…：；》】!?.\"'"  # what the scorer accepts as the end of a paragraph
NO_LINE_START, NO_LINE_END = "，。、；：！？”’）》…", "“‘（《"


def breakable(text, i):
    """Whether print may end a line before text[i]: not before closing punctuation, not after an
    opening one, not inside a number or at a space."""
    before, after = text[i - 1], text[i]
    if " " in (before, after) or before.isdigit() and after.isdigit():
        return False
    return after not in NO_LINE_START and before not in NO_LINE_END


@dataclass
class Break:
    kind: str  # "rh": the running head was left between the lines; "bare": only a blank line
    before: str  # the line before the break, as it stands in the text
    after: str


@dataclass
class ComposedIssue:
    seed: int
    text: str
    expected: dict
    breaks: list = field(default_factory=list)


@dataclass
class _Article:
    kind: str
    title: str
    second: str = ""  # a headline's second line, after a space in the table of contents
    sub: str = ""  # a "——" subtitle
    authors: list = field(default_factory=list)  # (name, role, kind)
    author_line: str = ""
    toc_author: str = ""
    source: str = ""
    author_note: str = ""
    blocks: list = field(default_factory=list)  # ("p", [sentences]) | ("h", text)
    section: str = ""
    page: int = 0
    split: list = field(default_factory=list)  # sentences cut by a page break
    whole: list = field(default_factory=list)  # sentences no break touches


class _Composer(ph.Prose):
    def __init__(self, rng: random.Random):
        self.rng = r = rng
        pub = ph.PUBLICATIONS[0] if r.random() < 0.5 else r.choice(ph.PUBLICATIONS[1:])
        self.latin, self.region, self.prov, area, box, cities, counties = pub
        self.cities, self.counties = cities.split(), counties.split()
        self.year = r.randint(2019, 2025)
        self.used_names: set = set()
        self.chair, self.secretary = self.name(3), self.name(3)
        self.W, self.L = r.randint(25, 28), r.randint(20, 25)  # print line width, lines a page
        self.rh_even = r.random() < 0.6  # running heads on even pages only, as in the seed
        self.phone = f"{area}-{r.randint(2000000, 8999999)}"
        number = r.choice(["", str(r.randint(1, 99))])
        self.email = f"{box}{number}@{r.choice(['163.com', '126.com'])}"
        self.place, self.pool = "", itertools.cycle(ph.ACTIONS)

    # ---- articles ----------------------------------------------------------------------------
    def persons(self, count):
        names = [self.name() for _ in range(count)]
        return [(n, "", "person") for n in names], " ".join(self.printed(n) for n in names)

    def news(self):
        r, R = self.rng, self.region
        city, topic = r.choice(self.cities), r.choice(ph.TOPICS)
        meeting = r.choice(
            ["主席会议", "党组（扩大）会议", "常委会议", "月度协商座谈会", "提案办理协商会"]
        )
        title, second = r.choice([
            (f"{self.chair}率队赴{city}市调研{topic}工作", ""),
            (f"{R}政协召开{meeting}", f"{self.chair}主持并讲话"),
            (f"{R}政协举行{self.year}年委员学习培训班", ""),
            (f"{R}政协就{topic}开展专题协商", ""),
            (f"{R}政协召开{meeting}", f"{self.name(3)}出席"),
        ])  # fmt: skip
        self.place = f"{city}市"
        m, d = r.randint(1, 12), r.randint(1, 28)
        self.fresh_pool()
        verb = r.choice(["率队赴{place}调研", "出席会议并讲话", "在{place}主持召开座谈会"])
        first = f"{m}月{d}日，{R}政协主席{self.chair}{self.fill(verb)}，{self.clauses()}。"
        blocks = [("p", [first] + [self.sentence() for _ in range(r.randint(1, 3))])]
        blocks += [self.para(2, 5, speaker=self.chair) for _ in range(r.choice([0, 1, 3, 4, 6]))]
        if r.random() < 0.5:
            done = r.choice(["陪同调研", "参加活动", "出席会议"])
            blocks.append(("p", [f"{R}政协秘书长{self.secretary}{done}。"]))
        src = r.choice([f"《{self.prov}日报》", f"《{self.prov}政协报》", "《人民政协报》", ""])
        return _Article("news", title, second=second, source=src, blocks=blocks)

    def report(self):
        r = self.rng
        self.place = r.choice([r.choice(self.cities) + "市", r.choice(self.counties) + "县"])
        brand, topic, p = r.choice(ph.BRANDS), r.choice(ph.TOPICS), self.place
        title = r.choice([
            f"{p}政协以“{brand}”助推{topic}", f"{p}政协搭建“{brand}”平台 推动协商向基层延伸",
            f"{p}政协倾心打造“{brand}”履职品牌", f"{p}政协多措并举提升提案办理质效",
        ])  # fmt: skip
        authors, line = self.persons(r.choice([1, 1, 2, 3]))
        blocks = [self.para(3, 5)]
        for _ in range(r.randint(2, 4)):
            if r.random() < 0.5:
                blocks += [self.heading()] + [self.para(3, 7) for _ in range(r.randint(1, 4))]
            else:
                blocks.append(self.para(4, 8, lead=True))
        note = r.choice([f"作者单位：{p}政协", f"作者单位：{p}政协办公室"])
        return _Article("report", title, authors=authors, author_line=line, author_note=note,
                        toc_author=line, blocks=blocks)  # fmt: skip

    def theory(self):
        r = self.rng
        county, topic = r.choice(self.counties), r.choice(ph.TOPICS)
        self.place = county + "县"
        a, b = r.sample(ph.FOURS, 2)
        title = r.choice([
            f"发挥专门协商机构作用 助力{topic}", f"关于加强和改进{r.choice(['提案工作', '界别工作', '基层协商'])}的几点思考",
            "新时代政协委员履职的实践与思考", f"{a} {b} 推动{topic}走深走实", f"在{topic}中彰显协商民主优势",
        ])  # fmt: skip
        sub = f"——以{county}县政协“{r.choice(ph.BRANDS)}”实践为例" if r.random() < 0.35 else ""
        authors, line = self.persons(r.choice([1, 1, 1, 2]))
        note = r.choice([f"作者系{county}县政协主席。", f"作者系{r.choice(self.cities)}市政协副主席。",
                         f"作者系{self.prov}师范大学马克思主义学院教授。"])  # fmt: skip
        src = r.choice([f"《{self.prov}政协报》", "《人民政协报》", "《学习时报》",
                        f"《中国政协》{self.year}年{r.randint(1, 12):02d}期"])  # fmt: skip
        blocks = [self.para(3, 5) for _ in range(r.randint(1, 2))]
        for n in range(r.randint(2, 4)):
            blocks.append(self.heading(n))
            if r.random() < 0.4:
                blocks += [self.para(3, 5, enum=i) for i in range(r.randint(2, 5))]
            else:
                blocks += [self.para(3, 8) for _ in range(r.randint(2, 5))]
        if r.random() < 0.3:
            blocks.append(self.exclaim())
        return _Article("theory", title, sub=sub, authors=authors, author_line=line, source=src,
                        author_note=note, toc_author=line if r.random() < 0.9 else "", blocks=blocks)  # fmt: skip

    def reprint(self):
        r = self.rng
        prov, city = r.choice(ph.OTHER_PROVINCES), r.choice(ph.OTHER_CITIES)
        self.place, (a, b) = f"{city}市", r.sample(ph.FOURS, 2)
        title, sub = r.choice([(f"{a} {b}", f"——{prov}省政协以“{r.choice(ph.BRANDS)}”推进履职提质增效"),
                               (f"以深度调研提升{r.choice(ph.TOPICS)}协商质效", "")])  # fmt: skip
        x, note, toc = r.random(), "", ""
        if x < 0.4:
            reporter, corr = self.name(), [self.name() for _ in range(r.randint(1, 2))]
            authors = [(reporter, "记者", "person")] + [(c, "通讯员", "person") for c in corr]
            line = f"记者 {self.printed(reporter)} 通讯员 " + " ".join(map(self.printed, corr))
        elif x < 0.7:
            org = f"政协{city}市委员会"
            authors, line, toc = [(org, "", "organisation")], org, org
        else:
            authors, line = self.persons(1)
            note, toc = f"作者系{prov}省{city}市政协主席。", r.choice([line, ""])
        blocks = [self.para(3, 5)]
        for _ in range(r.randint(2, 4)):
            blocks += [self.heading()] + [self.para(3, 7) for _ in range(r.randint(1, 4))]
        return _Article("reprint", title, sub=sub, authors=authors, author_line=line, toc_author=toc,
                        source=r.choice(["《人民政协报》", "《中国政协》"]), author_note=note, blocks=blocks)  # fmt: skip

    # ---- layout ------------------------------------------------------------------------------
    def turn_page(self, section):
        self.page, self.line = self.page + 1, 0
        rh = self.page % 2 == 0 if self.rh_even else self.rng.random() < 0.75
        return [f"※ {section} ※", self.latin] if rh else []

    def lay_paragraph(self, art, sents, out, breaks):
        text, pos, indent = "".join(sents), 0, 2
        cuts = []
        while True:
            need = -(-(len(text) - pos + indent) // self.W)
            if self.line + need <= self.L:
                out.append(text[pos:])
                self.line += need
                break
            cut = min(
                pos + (self.L - self.line) * self.W - indent + self.rng.randint(-1, 1),
                len(text) - 1,
            )
            while pos < cut < len(text) and not breakable(text, cut):
                cut -= 1
            if cut <= pos:  # not one line left: the page ends before the paragraph
                out += self.turn_page(art.section)
                continue
            out.append(text[pos:cut])
            head = self.turn_page(art.section)
            breaks.append(("rh" if head else "bare", len(out) - 1, len(out) + len(head)))
            out += head
            cuts.append(cut)
            pos, indent = cut, 0
        start = 0
        for s in sents:
            end = start + len(s)
            cut_inside = [c for c in cuts if start < c < end]
            if not cut_inside:
                art.whole.append(s)
            elif all(text[c - 1] not in TERMINATORS for c in cut_inside):
                art.split.append(s)  # a break after "：" or "”" may be read as a paragraph end
            start = end

    def lay_article(self, art, out, breaks, first):
        r = self.rng
        if first:
            self.page, self.line = 1, 0
        elif art.kind == "news" and self.line < self.L - 8 and r.random() < 0.5:
            self.line += 2  # a short news item starts on the page where the last one ended
        else:
            self.page, self.line = self.page + 1, 0  # a page an article opens has no running head
        art.page = self.page
        title = self.space_digits(art.title, 0.3)
        if r.random() < 0.15:  # a stray space, as in "倾力打造 “来宾好商量”…"
            i = r.randint(2, len(title) - 2)
            if not re.search(r"[\s\d]", title[i - 1 : i + 1]):
                title = title[:i] + " " + title[i:]
        head = [title, art.second, art.sub, art.author_line]
        out += [h for h in head if h]
        self.line += 3 + 2 * sum(1 for h in head[1:] if h)
        for kind, content in art.blocks:
            if kind == "h":
                if self.line + 5 > self.L:  # a heading never ends a page
                    out += self.turn_page(art.section)
                out.append(content)
                self.line += 2
            else:
                self.lay_paragraph(art, content, out, breaks)
        note = "".join(x for x in (art.author_note, art.source and "来源：" + art.source) if x)
        if note:
            lines = [f"（{note}）"]
            if art.author_note.endswith("。") and art.source and r.random() < 0.3:
                lines = [f"（{art.author_note}", f"来源：{art.source}）"]
            if self.line + len(lines) + 1 > self.L:
                out += self.turn_page(art.section)
            out += lines
            self.line += len(lines) + 1

    # ---- table of contents -------------------------------------------------------------------
    def wrap(self, text, width):
        lines = []
        while len(text) > width:
            cut = width
            while 1 < cut and not breakable(text, cut):
                cut -= 1
            lines.append(text[:cut].strip())
            text = text[cut:].strip()
        return lines + [text]

    def toc_entry(self, art, plain, width, page_fmt):
        r = self.rng
        title = self.space_digits(art.title, 0.3)
        title = f"{title} {art.second}" if art.second else title
        leader = r.choice([".....", ".....", "……"] if plain else ["……………", "……………", "......"])
        tail = f"{leader}{art.toc_author}{page_fmt.format(art.page)}"
        if plain:  # the 他山之石 style: one blank-separated line each
            return [x for x in (title, art.sub, tail) if x]
        lines = self.wrap(f"- {title}", width) + (self.wrap(art.sub, width) if art.sub else [])
        if len(lines[-1]) + len(tail) <= width + 4 and (len(lines) > 1 or r.random() < 0.7):
            lines[-1] += tail
        else:
            lines.append(tail)
        return ["\n".join(lines)]

    # ---- the issue ---------------------------------------------------------------------------
    def compose(self, seed) -> ComposedIssue:
        r = self.rng
        sections = r.sample(ph.SECTIONS, r.randint(2, 6))
        counts = [r.randint(1, 5) for _ in sections]
        while sum(counts) < 6:
            counts[r.randrange(len(counts))] += 1
        while sum(counts) > 16:
            i = r.randrange(len(counts))
            counts[i] -= counts[i] > 1
        builders = {"理论研究": self.theory, "学习园地": self.theory, "他山之石": self.reprint,
                    "政协动态": self.news, "要闻": self.news}  # fmt: skip
        arts, titles, kinds = [], set(), [self.report, self.theory, self.reprint, self.news]
        for i, (sec, n) in enumerate(zip(sections, counts, strict=True)):
            while n:
                art = builders.get(sec, self.news if i == 0 else r.choice(kinds))()
                if art.title not in titles:
                    titles.add(art.title)
                    art.section, n = sec, n - 1
                    arts.append(art)
        body, marks = [], []
        for i, art in enumerate(arts):
            self.lay_article(art, body, marks, i == 0)
        width = r.randint(24, 28)
        page_fmt = r.choice([" ({})", " ({})", " ({})", "（{}）", " （{}）"])
        toc = ["目 录"]
        for sec in sections:
            toc.append(f"※ {sec} ※")
            plain = r.random() < (0.7 if sec == "他山之石" else 0.15)
            entries = [self.toc_entry(a, plain, width, page_fmt) for a in arts if a.section == sec]
            toc += [x for e in entries for x in e] if plain else ["\n".join(e[0] for e in entries)]
        colophon, credits = self.colophon()
        text = r.choice(["", "\n\n"]) + "\n\n".join(toc + body + colophon) + r.choice(["", "\n"])
        breaks = [Break(k, body[i], body[j]) for k, i, j in marks]
        expected = {
            "publication": {"running_head": self.latin, "phone": self.phone, "email": self.email},
            "colophon": credits,
            "sections": sections,
            "articles": [self.expected_article(a) for a in arts],
            "must_not_contain_anywhere_in_bodies": [self.latin, "※", "（来源：", "作者单位："],
        }
        return ComposedIssue(seed, text, expected, breaks)

    def expected_article(self, a):
        must = self.rng.sample(a.split, min(len(a.split), self.rng.randint(1, 3)))
        must += self.rng.sample([s for s in a.whole if len(s) > 8], 1) if a.whole else []
        return {
            "section": a.section, "page": a.page, "title": a.title, "subtitle": a.second or a.sub,
            "authors": [{"name": n, "role": role, "kind": k} for n, role, k in a.authors],
            "source": a.source, "author_note": a.author_note, "must_contain": must,
            "headings": [c for kind, c in a.blocks if kind == "h"],
        }  # fmt: skip

    def colophon(self):
        r, R = self.rng, self.region
        party = "自治区党委" if R == "自治区" else "省委"
        pool = [x.format(R=R, party=party) for x in ph.DISTRIBUTION]
        items = [pool[i] for i in sorted(r.sample(range(len(pool)), r.randint(5, len(pool))))]
        dist, line = [], "发："
        for i, item in enumerate(items):
            line += item
            if i == len(items) - 1:
                dist.append(line + "。")
            elif len(line) > r.randint(14, 30):  # a line break after a separator, or instead of one
                dist.append(line + r.choice(["，", "。", "；", "、", "，", ""]))
                line = ""
            else:
                line += r.choice("、、、，；")
        editors = [self.name() for _ in range(r.randint(2, 5))]
        proof = [self.name() for _ in range(r.randint(1, 2))]
        credit = f"编辑：{' '.join(map(self.printed, editors))} 核稿：{' '.join(map(self.printed, proof))}"
        lines = ["\n".join(dist), credit, f"电话：{self.phone}", f"投稿邮箱：{self.email}"]
        return lines, {"editors": editors, "proofreaders": proof, "distribution": items}


def compose_issue(seed: int) -> ComposedIssue:
    """A realistic issue in the print-extraction format, with what a correct import yields."""
    rng = random.Random(seed)
    for _ in range(20):  # keep only issues showing both kinds of mid-paragraph break
        issue = _Composer(rng).compose(seed)
        kinds = {b.kind for b in issue.breaks if b.before[-1] not in TERMINATORS}
        if kinds == {"rh", "bare"}:
            return issue
    raise RuntimeError(f"seed {seed}: no issue with both kinds of page break")


def variants(text: str) -> dict[str, bytes]:
    """The same issue as the files editors upload: UTF-8, UTF-8 with BOM, GB18030, LF or CRLF."""
    out = {}
    for newline in ("\n", "\r\n"):
        t = text.replace("\n", newline)
        suffix = "" if newline == "\n" else "+crlf"
        for encoding in ("utf-8", "utf-8-sig", "gb18030"):
            out[encoding + suffix] = t.encode(encoding)
    return out


if (
    __name__ == "__main__"
):  # python -m tests.importers.composer SEED: the text, and its expected.json
    import json
    import sys

    issue = compose_issue(int(sys.argv[1]))
    sys.stdout.write(issue.text + "\n\n---- expected ----\n")
    json.dump(issue.expected, sys.stdout, ensure_ascii=False, indent=1)
