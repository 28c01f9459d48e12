"""The archive of the page benchmark (bench/pages.py): many issues, articles and people.

Shaped after issue 12: fifteen bulletins publishing monthly for twenty years make about 3,600
issues, 50,000 articles and 5,000 people; a smaller --articles scales issues and people with it.
By default every issue belongs to the one publication the site shows (so that the archive page,
year pages, section and author pages carry the whole archive); --publications 15 spreads them
over fifteen monthly bulletins, of which the site shows the first.

Article text comes from the search benchmark's generator (bench/search_corpus.py: the bulletin's
register, 1,500-3,000 characters of <p>/<h3> HTML, planted names and phrases), written with
bulk_create. About 1% of the articles are not public (a draft issue at the end, a few draft
articles), so the reading rules have something to filter.
"""

import datetime as dt
import itertools
import json
import random
from dataclasses import asdict, dataclass

import search_corpus as sc

from tests.importers import prose as ph

# Bumped when the generated corpus changes, so that an older corpus is rebuilt, not reused.
GENERATOR = 1
SLUG = "pagebench"  # the benchmark's publication; the database is only ever dropped when it has it
YEARS = 20
LAST_YEAR = 2025
ISSUES_PER_ARTICLE = 3600 / 50000
PEOPLE_PER_ARTICLE = 5000 / 50000
DRAFT_ARTICLE_SHARE = 0.005
BATCH = 1000


@dataclass(frozen=True)
class Spec:
    """What a corpus is: stored in the benchmark publication's description, so a rerun knows
    whether the database already holds it."""

    articles: int
    seed: int
    publications: int = 1
    generator: int = GENERATOR

    @property
    def issues(self):
        return max(self.publications, round(self.articles * ISSUES_PER_ARTICLE))

    @property
    def people(self):
        return max(200, round(self.articles * PEOPLE_PER_ARTICLE))

    def tag(self):
        return json.dumps(asdict(self), sort_keys=True)


def stored_spec():
    """The Spec of the corpus in the database, or None (no benchmark corpus, or no tables)."""
    from django.db import DatabaseError

    from bulletin.models import Publication

    try:
        publication = Publication.objects.filter(slug=SLUG).first()
    except DatabaseError:
        return None
    if publication is None:
        return None
    try:
        return Spec(**json.loads(publication.description))
    except (ValueError, TypeError):
        return None


def issue_calendar(spec):
    """(publication index, year, number, published_at) of every issue, oldest first: each
    publication has ``per_year`` numbers a year, spread over the year."""
    tz = dt.timezone(dt.timedelta(hours=8))
    per_year = -(-spec.issues // (spec.publications * YEARS))
    first_year = LAST_YEAR - YEARS + 1
    slots = itertools.product(
        range(first_year, LAST_YEAR + 1), range(1, per_year + 1), range(spec.publications)
    )
    for _, (year, number, pub) in zip(range(spec.issues), slots, strict=False):
        day = dt.date(year, 1, 1) + dt.timedelta(days=(number - 1) * 365 // per_year)
        yield pub, year, number, dt.datetime(day.year, day.month, day.day, 9, tzinfo=tz)


def article_counts(rng, issues, articles):
    """Articles per issue: around the mean, from half to one and a half of it, summing up."""
    mean = articles / issues
    counts = [max(1, round(mean * rng.uniform(0.5, 1.5))) for _ in range(issues)]
    while (difference := articles - sum(counts)) != 0:
        i = rng.randrange(issues)
        if difference > 0:
            counts[i] += 1
        elif counts[i] > 1:
            counts[i] -= 1
    return counts


def build(spec, progress=print):
    """Write the corpus of ``spec`` to an empty database; returns counts."""
    from django.db import transaction

    from articles.models import Article, Authorship, Section
    from bulletin.models import Publication
    from bulletin.text import pinyin_key
    from issues.models import Issue, IssueSection, IssueStatus
    from people.models import Organisation, Person

    rng = random.Random(spec.seed)
    names = sc.name_pool(rng, spec.people)
    with transaction.atomic():
        sections = {name: Section.objects.create(name=name) for name in ph.SECTIONS}
        people = Person.objects.bulk_create(
            Person(name=name, name_pinyin=pinyin_key(name, surname_first=True))
            for name in sorted(set(names) | (sc.RESERVED_NAMES - {"诸葛明远"}))
        )
        person_ids = {person.name: person.pk for person in people}
        latin, region, prov, area, box, cities, _ = sc.PUBLICATION
        publications = [
            Publication.objects.create(
                name=f"{prov}政协工作",
                slug=SLUG,
                running_head=latin,
                publisher=f"{region}政协办公厅",
                phone=f"{area}-{rng.randint(2000000, 8999999)}",
                description=spec.tag(),
            )  # fmt: skip
        ]
        for i in range(1, spec.publications):
            region_i = ph.PUBLICATIONS[i % len(ph.PUBLICATIONS)][1]
            publications.append(
                Publication.objects.create(name=f"{region_i}政协通讯{i}", slug=f"{SLUG}-{i}")
            )
        organisations = {}
        for city in cities.split() + ph.OTHER_CITIES:
            org = Organisation.objects.create(name=f"政协{city}市委员会")
            organisations[org.name] = org.pk

        calendar = list(issue_calendar(spec))
        # The newest issue of the shown publication is still a draft: its articles never show.
        draft_index = max(i for i, (pub, *_) in enumerate(calendar) if pub == 0)
        issues = Issue.objects.bulk_create(
            Issue(
                publication=publications[pub],
                year=year,
                number=number,
                total_number=1000 + i,
                publish_date=published_at.date(),
                status=IssueStatus.DRAFT if i == draft_index else IssueStatus.PUBLISHED,
                published_at=None if i == draft_index else published_at,
            )  # fmt: skip
            for i, (pub, year, number, published_at) in enumerate(calendar)
        )

    maker = sc.Maker(rng, names, sc.PUBLICATION)
    kinds, weights = list(sc.KIND_WEIGHTS), list(sc.KIND_WEIGHTS.values())
    counts = article_counts(rng, len(issues), spec.articles)
    batch, entries, written, public = [], [], 0, 0

    def flush():
        with transaction.atomic():
            created = Article.objects.bulk_create([a for a, _ in batch], batch_size=500)
            links = []
            for article, (_, authorships) in zip(created, batch, strict=True):
                for authorship in authorships:
                    authorship.article_id = article.pk
                    links.append(authorship)
            Authorship.objects.bulk_create(links, batch_size=2000)
            IssueSection.objects.bulk_create(entries, batch_size=2000)
        batch.clear()
        entries.clear()

    for issue, count in zip(issues, counts, strict=True):
        used, in_section = {}, {}
        for position in range(count):
            draft = rng.random() < DRAFT_ARTICLE_SHARE
            plants = [p for p in sc.PLANTS if rng.random() < p.rate]
            piece = maker.article(rng.choices(kinds, weights)[0], issue.year, plants)
            section = sections[piece.section]
            used.setdefault(section.pk, len(used))
            in_section[section.pk] = in_section.get(section.pk, -1) + 1
            article = Article(
                issue=issue, section=section, kicker=piece.kicker, title=piece.title[:300],
                subtitle=piece.subtitle, body=sc.body_html(piece.blocks), source=piece.source,
                author_note=piece.author_note, order=in_section[section.pk],
                start_page=1 + 3 * position, end_page=3 + 3 * position,
                status=IssueStatus.DRAFT if draft else IssueStatus.PUBLISHED,
            )  # fmt: skip
            authorships = []
            for order, (kind, name, role) in enumerate(piece.authors):
                if kind == "person":
                    authorships.append(Authorship(person_id=person_ids[name], role=role,
                        printed_name=sc.printed(rng, name), order=order))  # fmt: skip
                else:
                    if name not in organisations:
                        organisations[name] = Organisation.objects.create(name=name).pk
                    authorships.append(Authorship(organisation_id=organisations[name], order=order))
            batch.append((article, authorships))
            public += (
                not draft
                and issue.status == IssueStatus.PUBLISHED
                and issue.publication_id == publications[0].pk
            )
        entries.extend(
            IssueSection(issue=issue, section_id=pk, order=order) for pk, order in used.items()
        )
        if len(batch) >= BATCH:
            written += len(batch)
            flush()
            progress(f"  {written:,} of {spec.articles:,} articles")
    if batch:
        flush()
    return {
        "publications": len(publications),
        "issues": len(issues),
        "articles": spec.articles,
        "public_articles": public,
        "people": len(people),
        "organisations": len(organisations),
        "sections": len(sections),
    }
