"""The corpus and the queries of the search benchmark (bench/search.py).

Articles in the bulletin's register (the prose makers of tests/importers/prose.py), 1,500-3,000
characters of body text each, in the published issues of one publication (the site searches
only its own), written with bulk_create. Deterministic for a seed and a size. Known names, places, policy phrases and
mixed Latin/Chinese terms are planted at fixed rates, so the queries have rare and common hits;
a few are planted only in unpublished articles, or next to each other across a punctuation
mark, so that a query must not find them.
"""

import datetime as dt
import itertools
import math
import random
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from tests.importers import prose as ph

PUBLICATION = ph.PUBLICATIONS[0]  # Guangxi: the planted places are there
ARTICLES_PER_ISSUE = (30, 50)
ISSUES_PER_YEAR = 24
LAST_YEAR = 2025
# 总第N期 of the first issue: four digits from the start, so that the query 总第1100期 is no
# substring of another issue's title (the index matches numbers whole, a substring test does not)
FIRST_TOTAL_NUMBER = 1001
BODY_LENGTH = (1500, 3000)  # characters of body text (tags excluded)
UNPUBLISHED_SHARE = 0.01  # extra articles in draft issues or with draft status: never found
NAME_POOL = 4000


@dataclass(frozen=True)
class Plant:
    """A term planted in a share of the published articles (``rate``), in one of ``templates``
    (``{x}`` an action clause, ``{R}`` the region word, ``{place}`` the article's place)."""

    term: str
    rate: float
    templates: tuple = ()
    author: bool = False  # planted as an author (an Authorship), not in the text
    in_title: float = 0.0  # share of the planted articles that also carry it in the title


PLANTS = [
    # people
    Plant(
        "孙大伟",
        0.004,
        (
            "{R}政协主席孙大伟出席会议并讲话。",
            "孙大伟强调，要{x}，{x}。",
            "{R}政协主席孙大伟率队赴{place}调研，{x}。",
        ),
        in_title=0.3,
    ),
    Plant("覃海燕", 0.0008, ("政协委员覃海燕结合调研实际建议，{x}。",)),
    Plant("黄美聪", 0.0003, ("在困难群众黄美聪家中，{R}政协负责同志详细询问生活情况。",)),
    Plant("孙大为", 0.0005, ("政协委员孙大为建议，{x}。",)),  # one character from 孙大伟
    Plant("韦志强", 0.001, author=True),
    Plant("莫岚", 0.001, author=True),  # printed with padding: 莫 岚
    # places
    Plant(
        "凭祥",
        0.003,
        (
            "在凭祥友谊关口岸，委员们实地察看边境贸易发展情况。",
            "{R}政协调研组赴凭祥开展边民互市贸易专题调研，{x}。",
        ),
    ),
    Plant("东兴", 0.001, ("东兴市政协组织委员开展跨境旅游合作专题视察。",)),
    Plant("防城港", 0.002, ("防城港市政协围绕向海经济发展开展专题协商，{x}。",)),
    # next to each other across a mark: 凭祥防城港 must not be found
    Plant("凭祥、防城港", 0.001, ("调研组先后深入凭祥、防城港等地，{x}。",)),
    # policy phrases and rare terms
    Plant(
        "乡村振兴",
        0.05,
        (
            "推动乡村振兴各项政策落地见效。",
            "围绕乡村振兴开展专题调研，{x}。",
            "把协商平台建在乡村振兴一线，{x}。",
        ),
        in_title=0.1,
    ),
    Plant("共同富裕", 0.01, ("在高质量发展中扎实推动共同富裕。", "围绕促进共同富裕，{x}。")),
    Plant("铸牢中华民族共同体意识", 0.005, ("以铸牢中华民族共同体意识为主线，{x}。",)),
    Plant("新质生产力", 0.002, ("因地制宜发展新质生产力，{x}。",)),
    Plant("碳达峰碳中和", 0.003, ("积极稳妥推进碳达峰碳中和，{x}。",)),
    Plant("螺蛳粉", 0.0005, ("委员们走进柳州螺蛳粉产业园，了解产业链发展情况。",)),
    Plant("沉香", 0.0003, ("调研组考察了当地沉香种植基地，{x}。",)),
    # mixed Latin and Chinese
    Plant("5G基站", 0.002, ("加快5G基站等新型基础设施建设，{x}。",)),
    Plant("GDP", 0.01, ("全年GDP增长{n}%，{x}。", "地区生产总值（GDP）稳步提升。")),
    Plant("政务APP", 0.001, ("推广政务APP，让数据多跑路、群众少跑腿。",)),
    Plant("RCEP", 0.002, ("抢抓RCEP生效实施机遇，深化与东盟经贸合作。",)),
]
# Only in unpublished articles: a published-only search must never show it.
UNPUBLISHED_PLANTS = [Plant("诸葛明远", 0.3, ("诸葛明远委员提出，{x}。",))]
RESERVED_NAMES = {"孙大伟", "覃海燕", "黄美聪", "孙大为", "韦志强", "莫岚", "诸葛明远"}

# (query, kind). Words separated by spaces must all occur.
QUERIES = [
    ("孙大伟", "name"),
    ("覃海燕", "name, rare"),
    ("黄美聪", "name, rare"),
    ("韦志强", "name, author only"),
    ("莫岚", "name, author only (printed 莫 岚)"),
    ("李明", "name inside longer names"),
    ("大伟", "part of a name"),
    ("诸葛明远", "name, unpublished only: no hit"),
    ("张三丰", "name, no hit"),
    ("崇左", "place"),
    ("凭祥", "place, rare"),
    ("东兴", "place, rare"),
    ("防城港", "place, rare"),
    ("龙州", "place"),
    ("桂林", "place"),
    ("北海", "place"),
    ("凭祥防城港", "across a punctuation mark: no hit"),
    ("全过程人民民主", "policy phrase"),
    ("乡村振兴", "policy phrase"),
    ("乡村全面振兴", "policy phrase"),
    ("共同富裕", "policy phrase"),
    ("铸牢中华民族共同体意识", "policy phrase, long"),
    ("新质生产力", "policy phrase, rare"),
    ("碳达峰碳中和", "policy phrase, rare"),
    ("高质量发展", "phrase, common"),
    ("有事好商量", "brand"),
    ("营商环境", "phrase"),
    ("螺蛳粉", "rare"),
    ("沉香", "rare"),
    ("边境贸易", "rare"),
    ("政协", "common"),
    ("委员", "common"),
    ("协商", "common"),
    ("提案", "common"),
    ("调研", "common"),
    ("2023年", "common, digits"),
    ("他山之石", "section name"),
    ("总第1100期", "issue title"),
    ("人民政协报", "source"),
    ("师范大学", "author note"),
    ("走深走实", "title fragment"),
    ("乡村振兴 崇左", "two words"),
    ("孙大伟 调研", "two words"),
    ("全过程人民民主 协商", "two words"),
    ("凭祥 东兴", "two words, rare"),
    ("共同富裕 民营经济", "two words"),
    ("韦志强 乡村振兴", "two words, author and phrase"),
    ("覃海燕 沉香", "two words, rare and rare"),
    ("孙大伟 火星基地", "two words, one without hit"),
    ("5G基站", "mixed Latin/Chinese"),
    ("GDP", "Latin"),
    ("政务app", "mixed, lower case"),
    ("RCEP 东盟", "mixed, two words"),
    ("gdp 增长", "mixed, two words"),
    ("量子计算机", "no hit"),
    ("火星基地", "no hit"),
    ("人民民主全过程", "scrambled phrase: no hit"),
]

KIND_SECTIONS = {
    "news": ["政协动态", "要闻"],
    "report": ["市县政协", "专题协商", "提案工作", "委员风采", "民主监督", "履职实践",
               "工作交流", "界别之声", "基层协商", "调查研究", "文史资料"],
    "theory": ["理论研究", "学习园地"],
    "reprint": ["他山之石"],
}  # fmt: skip
KIND_WEIGHTS = {"news": 0.3, "report": 0.35, "theory": 0.2, "reprint": 0.15}
ROLES = ["", "", "", "reporter", "correspondent"]


@dataclass
class Piece:
    kicker: str = ""
    title: str = ""
    subtitle: str = ""
    authors: list = field(default_factory=list)  # (kind, name, role)
    source: str = ""
    author_note: str = ""
    blocks: list = field(default_factory=list)  # ("p", [sentences]) | ("h", text)
    section: str = ""


class Maker(ph.Prose):
    """Articles of one publication (its region, cities and counties)."""

    def __init__(self, rng, names, publication):
        self.rng, self.names, self.used_names = rng, names, set()
        self.latin, self.region, self.prov, _, _, cities, counties = publication
        self.cities, self.counties = cities.split(), counties.split()
        self.chair, self.secretary = rng.choice(names[:200]), rng.choice(names[:200])
        self.place, self.year = "", LAST_YEAR
        self.pool = itertools.cycle(ph.ACTIONS)

    def person(self):
        return self.rng.choice(self.names)

    def persons(self, count):
        return [("person", self.person(), "") for _ in range(count)]

    # -- kinds, after tests/importers/composer.py ----------------------------------------------
    def news(self, p):
        r, R = self.rng, self.region
        city, topic = r.choice(self.cities), r.choice(ph.TOPICS)
        meeting = r.choice(["主席会议", "党组（扩大）会议", "常委会议", "月度协商座谈会"])
        p.title, p.subtitle = r.choice([
            (f"{self.chair}率队赴{city}市调研{topic}工作", ""),
            (f"{R}政协召开{meeting}", f"——{self.chair}主持并讲话"),
            (f"{R}政协举行{self.year}年委员学习培训班", ""),
            (f"{R}政协就{topic}开展专题协商", ""),
        ])  # fmt: skip
        self.place = f"{city}市"
        m, d = r.randint(1, 12), r.randint(1, 28)
        first = f"{m}月{d}日，{R}政协主席{self.chair}{self.fill('率队赴{place}调研')}，{self.clauses()}。"
        p.blocks = [("p", [first] + [self.sentence() for _ in range(r.randint(1, 3))])]
        p.source = r.choice(
            [f"《{self.prov}日报》", f"《{self.prov}政协报》", "《人民政协报》", ""]
        )
        if r.random() < 0.5:
            p.authors = [("person", self.person(), "reporter")]
        self.more = lambda: self.para(2, 5, speaker=self.chair)

    def report(self, p):
        r = self.rng
        self.place = r.choice([r.choice(self.cities) + "市", r.choice(self.counties) + "县"])
        brand, topic, place = r.choice(ph.BRANDS), r.choice(ph.TOPICS), self.place
        p.title = r.choice([
            f"{place}政协以“{brand}”助推{topic}", f"{place}政协搭建“{brand}”平台 推动协商向基层延伸",
            f"{place}政协倾心打造“{brand}”履职品牌", f"{place}政协多措并举提升提案办理质效",
        ])  # fmt: skip
        if r.random() < 0.15:
            p.kicker = f"聚焦{topic}"
        p.authors = self.persons(r.choice([1, 1, 2, 3]))
        if r.random() < 0.15:
            p.authors = [("organisation", f"政协{place.rstrip('市县')}委员会", "")]
        p.author_note = r.choice([f"作者单位：{place}政协", f"作者单位：{place}政协办公室", ""])
        p.blocks = [self.para(3, 5)]
        self.more = lambda: self.para(3, 7) if r.random() < 0.7 else self.heading()

    def theory(self, p):
        r = self.rng
        county, topic = r.choice(self.counties), r.choice(ph.TOPICS)
        self.place = county + "县"
        a, b = r.sample(ph.FOURS, 2)
        p.title = r.choice([
            f"发挥专门协商机构作用 助力{topic}", f"关于加强和改进{r.choice(['提案工作', '界别工作', '基层协商'])}的几点思考",
            "新时代政协委员履职的实践与思考", f"{a} {b} 推动{topic}走深走实", f"在{topic}中彰显协商民主优势",
        ])  # fmt: skip
        if r.random() < 0.35:
            p.subtitle = f"——以{county}县政协“{r.choice(ph.BRANDS)}”实践为例"
        p.authors = self.persons(r.choice([1, 1, 1, 2]))
        p.author_note = r.choice([f"作者系{county}县政协主席。", f"作者系{r.choice(self.cities)}市政协副主席。",
                                  f"作者系{self.prov}师范大学马克思主义学院教授。"])  # fmt: skip
        p.source = r.choice(["", "", f"《{self.prov}政协报》", "《人民政协报》", "《学习时报》"])
        p.blocks = [self.para(3, 5)]
        self.heading_number = 0

        def more():
            if r.random() < 0.2 and self.heading_number < 9:
                self.heading_number += 1
                return self.heading(self.heading_number - 1)
            return self.para(3, 8)

        self.more = more

    def reprint(self, p):
        r = self.rng
        prov, city = r.choice(ph.OTHER_PROVINCES), r.choice(ph.OTHER_CITIES)
        self.place, (a, b) = f"{city}市", r.sample(ph.FOURS, 2)
        p.title, p.subtitle = r.choice([
            (f"{a} {b}", f"——{prov}省政协以“{r.choice(ph.BRANDS)}”推进履职提质增效"),
            (f"以深度调研提升{r.choice(ph.TOPICS)}协商质效", ""),
        ])  # fmt: skip
        x = r.random()
        if x < 0.4:
            p.authors = [("person", self.person(), "reporter")]
            p.authors += [
                ("person", self.person(), "correspondent") for _ in range(r.randint(1, 2))
            ]
        elif x < 0.7:
            p.authors = [("organisation", f"政协{city}市委员会", "")]
        else:
            p.authors = self.persons(1)
            p.author_note = f"作者系{prov}省{city}市政协主席。"
        p.source = r.choice(["《人民政协报》", "《中国政协》"])
        p.blocks = [self.para(3, 5)]
        self.more = lambda: self.para(3, 7) if r.random() < 0.75 else self.heading()

    def plant_sentence(self, plant):
        sentence = self.rng.choice(plant.templates).replace("{R}", self.region)
        sentence = re.sub(r"\{x\}", lambda _: self.fill(self.rng.choice(ph.ACTIONS)), sentence)
        return self.fill(sentence)

    # -- one article -------------------------------------------------------------------------
    def article(self, kind, year, plants):
        r, p = self.rng, Piece()
        self.year = year
        getattr(self, kind)(p)
        p.section = r.choice(KIND_SECTIONS[kind])
        planted = [self.plant_sentence(plant) for plant in plants if not plant.author]
        for plant in plants:
            if plant.author:
                p.authors.append(("person", plant.term, r.choice(ROLES)))
            elif plant.in_title and r.random() < plant.in_title:
                p.title = (
                    f"{p.title} 助推{plant.term}"
                    if plant.term != "孙大伟"
                    else (
                        f"{plant.term}在{self.place or self.cities[0] + '市'}调研时强调{r.choice(ph.FOURS)}"
                    )
                )
        budget = r.randint(*BODY_LENGTH) - sum(map(len, planted))
        while body_length(p.blocks) < budget:
            p.blocks.append(self.more())
        while body_length(p.blocks) > BODY_LENGTH[1] - sum(map(len, planted)):
            trim(p.blocks)
        paragraphs = [i for i, (kind, _) in enumerate(p.blocks) if kind == "p"]
        for sentence in planted:
            sentences = p.blocks[r.choice(paragraphs)][1]
            sentences.insert(r.randint(0, len(sentences)), sentence)
        return p


def body_length(blocks):
    return sum(len(b) if kind == "h" else sum(map(len, b)) for kind, b in blocks)


def trim(blocks):
    kind, content = blocks[-1]
    if kind == "h" or len(content) <= 1:
        blocks.pop()
    else:
        content.pop()


def body_html(blocks):
    return "\n".join(
        f"<h3>{content}</h3>" if kind == "h" else f"<p>{''.join(content)}</p>"
        for kind, content in blocks
    )


def name_pool(rng, size):
    names, seen = [], set(RESERVED_NAMES)
    while len(names) < size:
        length = rng.choice([2, 3, 3, 3])
        name = rng.choice(ph.SURNAMES) + "".join(rng.sample(ph.GIVEN, length - 1))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def printed(rng, name):
    return f"{name[0]} {name[1]}" if len(name) == 2 and rng.random() < 0.85 else ""


# -- writing the corpus ----------------------------------------------------------------------------


@dataclass
class CorpusStats:
    published: int = 0
    unpublished: int = 0
    issues: int = 0
    people: int = 0
    organisations: int = 0
    body_chars: int = 0
    min_body: int = 10**9
    max_body: int = 0
    planted: dict = field(default_factory=dict)


def build_corpus(*, articles, seed, progress=None):
    """Write ``articles`` published articles (and about 1% unpublished ones) to the database."""
    from django.db import transaction

    from articles.models import Article, Authorship, Section
    from articles.search.matching import searchable_text
    from bulletin.models import Publication
    from bulletin.text import pinyin_key
    from issues.models import Issue, IssueSection, IssueStatus
    from people.models import Organisation, Person

    rng = random.Random(seed)
    stats = CorpusStats(planted={plant.term: 0 for plant in PLANTS + UNPUBLISHED_PLANTS})
    names = name_pool(rng, NAME_POOL)
    tz = dt.timezone(dt.timedelta(hours=8))

    with transaction.atomic():
        sections = {}
        for name in ph.SECTIONS:
            sections[name] = Section.objects.create(name=name)
        people = Person.objects.bulk_create(
            Person(name=name, name_pinyin=pinyin_key(name, surname_first=True))
            for name in sorted(set(names) | (RESERVED_NAMES - {"诸葛明远"}))
        )
        person_ids = {person.name: person.pk for person in people}
        stats.people = len(people)
        latin, region, prov, area, box, cities, _ = PUBLICATION
        publication = Publication.objects.create(
            name=f"{prov}政协工作", slug=box, running_head=latin, publisher=f"{region}政协办公厅",
            phone=f"{area}-{rng.randint(2000000, 8999999)}",
        )  # fmt: skip
        maker = Maker(rng, names, PUBLICATION)
        organisations = {}
        for city in cities.split() + ph.OTHER_CITIES:
            org_name = f"政协{city}市委员会"
            organisations[org_name] = Organisation.objects.create(name=org_name).pk
        stats.organisations = len(organisations)

    per_year = ISSUES_PER_YEAR * sum(ARTICLES_PER_ISSUE) / 2
    first_year = LAST_YEAR - math.ceil(articles * (1 + UNPUBLISHED_SHARE) / per_year * 1.1) + 1
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    issue_numbers = itertools.product(
        range(first_year, LAST_YEAR + 1), range(1, ISSUES_PER_YEAR + 1)
    )
    unpublished_target = round(articles * UNPUBLISHED_SHARE)

    def make_article(maker, issue, kind, status, plants):
        piece = maker.article(kind, issue.year, plants)
        body = body_html(piece.blocks)
        text_length = body_length(piece.blocks)
        if status == Article.Status.PUBLISHED and issue.status == IssueStatus.PUBLISHED:
            stats.body_chars += text_length
            stats.min_body = min(stats.min_body, text_length)
            stats.max_body = max(stats.max_body, text_length)
        for plant in plants:
            stats.planted[plant.term] += 1
        article = Article(
            issue=issue, section=sections[piece.section], kicker=piece.kicker, title=piece.title[:300],
            subtitle=piece.subtitle, body=body, source=piece.source, author_note=piece.author_note,
            status=status,
        )  # fmt: skip
        authorships = []
        for order, (kind_, name, role) in enumerate(piece.authors):
            if kind_ == "person":
                authorships.append(Authorship(person_id=person_ids[name], role=role,
                                              printed_name=printed(rng, name), order=order))  # fmt: skip
            else:
                if name not in organisations:
                    organisations[name] = Organisation.objects.create(name=name).pk
                authorships.append(Authorship(organisation_id=organisations[name], order=order))
        # bulk_create skips the pre_save that fills it; the names are known here.
        lines = [SimpleNamespace(printed_name=a.printed_name, author=SimpleNamespace(name=name))
                 for a, (_, name, _) in zip(authorships, piece.authors, strict=True)]  # fmt: skip
        article.search_text = searchable_text(article, lines)
        return article, authorships

    def flush(batch):
        with transaction.atomic():
            created = Article.objects.bulk_create([article for article, _ in batch], batch_size=500)
            links = []
            for article, (_, authorships) in zip(created, batch, strict=True):
                for authorship in authorships:
                    authorship.article_id = article.pk
                    links.append(authorship)
            Authorship.objects.bulk_create(links, batch_size=1000)

    batch, total_number = [], FIRST_TOTAL_NUMBER
    while stats.published < articles or stats.unpublished < unpublished_target:
        year, number = next(issue_numbers)
        count = rng.randint(*ARTICLES_PER_ISSUE)
        # Now and then a whole draft issue: its articles are not published.
        draft = stats.unpublished < unpublished_target and (
            rng.random() < UNPUBLISHED_SHARE * 0.5 or stats.published >= articles
        )
        if not draft:
            count = min(count, articles - stats.published + 1)
        elif stats.published >= articles:  # the last draft issue: just what is still wanted
            count = min(count, max(1, unpublished_target - stats.unpublished))
        published_at = dt.datetime(
            year, 1 + (number - 1) // 2, 1 + 14 * ((number - 1) % 2), 9, tzinfo=tz
        )
        issue = Issue.objects.create(
            publication=publication, year=year, number=number,
            total_number=total_number, publish_date=published_at.date(),
            status=IssueStatus.DRAFT if draft else IssueStatus.PUBLISHED,
            published_at=None if draft else published_at,
        )  # fmt: skip
        total_number += 1
        stats.issues += 1
        used_sections = set()
        for order in range(count):
            kind = rng.choices(kinds, weights)[0]
            if draft:
                status = Article.Status.PUBLISHED
            elif stats.published >= articles:
                status = Article.Status.DRAFT  # the issue's last article, still in proof
            elif rng.random() < UNPUBLISHED_SHARE * 0.5 and stats.unpublished < unpublished_target:
                status = Article.Status.DRAFT
            else:
                status = Article.Status.PUBLISHED
            visible = not draft and status == Article.Status.PUBLISHED
            pool = PLANTS if visible else UNPUBLISHED_PLANTS + PLANTS
            plants = [plant for plant in pool if rng.random() < plant.rate]
            article, authorships = make_article(maker, issue, kind, status, plants)
            article.order, article.start_page = order, 1 + 3 * order
            article.end_page = article.start_page + 2
            used_sections.add(article.section_id)
            batch.append((article, authorships))
            if visible:
                stats.published += 1
            else:
                stats.unpublished += 1
        IssueSection.objects.bulk_create(
            IssueSection(issue=issue, section_id=pk, order=i)
            for i, pk in enumerate(sorted(used_sections))
        )
        if len(batch) >= 1000:
            flush(batch)
            batch = []
            if progress:
                progress(stats)
    if batch:
        flush(batch)
    if progress:
        progress(stats)
    return stats
