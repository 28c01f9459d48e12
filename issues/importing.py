"""Importing a whole issue: writing a parsed issue to the database in one transaction, nothing
half-written. Parsing the print text is ``articles.importers.print_text``'s job."""

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.importers.colophon import split_entries
from articles.importers.errors import ImportFileError
from articles.importers.parsed import ParsedIssue
from articles.models import Article, Authorship, Section
from bulletin.validators import validate_pdf_file
from people.services import get_or_create_by_name

from .distribution import imported_group_names, record_imported_distribution
from .models import Issue, IssueCredit, IssueSection
from .services import publish_without_review, snapshot_articles

CREDIT_ROLES = (
    ("editors", IssueCredit.Role.EDITOR),
    ("proofreaders", IssueCredit.Role.PROOFREADER),
    ("approvers", IssueCredit.Role.APPROVER),
)


def existing_issue(*, publication, year, number):
    return Issue.objects.filter(publication=publication, year=year, number=number).first()


@transaction.atomic
def save_parsed_issue(
    *,
    parsed: ParsedIssue,
    publication,
    year: int,
    number: int,
    total_number: int | None = None,
    publish: bool = False,
    replace: bool = False,
    user=None,
    pdf=None,
) -> Issue:
    """Create the issue with its sections, articles, authors and credits from ``parsed``.

    An issue with the same year and number is replaced only when ``replace`` is given. Each
    article's first revision is the imported text, by ``user`` (None from the command line).
    ``pdf`` (a File), when the issue was imported from its print PDF, is kept as the issue's PDF.
    """
    old = existing_issue(publication=publication, year=year, number=number)
    if old is not None:
        if not replace:
            raise ImportFileError(
                f"{old.display_title}已经存在，导入不会覆盖它。"
                "如确需用本文件替换该期全部内容，请选择“替换已有的一期”（命令行：--replace）。"
            )
        _delete_issue(old)

    _fill_publication(publication, parsed)
    issue = Issue.objects.create(
        publication=publication,
        year=year,
        number=number,
        total_number=total_number,
        distribution_line=parsed.colophon.distribution_line,
    )
    if parsed.colophon.distribution_line:  # known group names first: 各设区市、县（市、区）政协
        entries = split_entries(parsed.colophon.distribution_line, imported_group_names())
        record_imported_distribution(issue=issue, entries=entries, user=user)
    sections = {}
    for order, name in enumerate(parsed.sections, start=1):
        sections[name] = _section(name)
        IssueSection.objects.create(issue=issue, section=sections[name], order=order)

    people, organisations = {}, {}
    positions = {}
    for index, parsed_article in enumerate(parsed.articles):
        section = sections.get(parsed_article.section) or _section(parsed_article.section)
        positions[section.pk] = positions.get(section.pk, 0) + 1
        article = Article.objects.create(
            issue=issue,
            section=section,
            title=parsed_article.title,
            subtitle=parsed_article.subtitle,
            body=parsed_article.body_html,
            start_page=parsed_article.page,
            end_page=_end_page(parsed.articles, index),
            order=positions[section.pk],
            source=parsed_article.source,
            author_note=parsed_article.author_note,
        )
        for order, author in enumerate(parsed_article.authors, start=1):
            if author.kind == "organisation":
                if author.name not in organisations:
                    organisations[author.name] = _named(author.name, organisation=True)
                target = {"organisation": organisations[author.name]}
            else:
                if author.name not in people:
                    people[author.name] = _named(author.name)
                target = {"person": people[author.name]}
            Authorship.objects.create(
                article=article,
                role=author.role_value,
                printed_name=author.printed_name,
                order=order,
                **target,
            )

    for attribute, role in CREDIT_ROLES:
        for order, name in enumerate(getattr(parsed.colophon, attribute), start=1):
            if name not in people:
                people[name] = _named(name)
            IssueCredit.objects.get_or_create(
                issue=issue, person=people[name], role=role, defaults={"order": order}
            )

    if pdf is not None:
        try:
            validate_pdf_file(pdf)
        except ValidationError as exc:
            raise ImportFileError(" ".join(exc.messages)) from exc
        pdf.seek(0)
        issue.pdf.save(f"{year}-{number:02d}.pdf", pdf, save=True)

    snapshot_articles(issue=issue, user=user, comment="从印刷版文本导入")
    if publish:
        issue = publish_without_review(issue=issue, comment="导入时直接发布")
    return issue


def _delete_issue(issue):
    # Articles keep their issue as SET_NULL for hand-made moves; a replaced issue takes its own
    # articles with it instead of leaving them unassigned.
    issue.articles.all().delete()
    issue.delete()


def _fill_publication(publication, parsed):
    """Fill the publication's contact details from the colophon where they are still empty."""
    changed = []
    for field, value in (
        ("phone", parsed.colophon.phone),
        ("email", parsed.colophon.email),
        ("running_head", parsed.running_head),
    ):
        if value and not getattr(publication, field):
            setattr(publication, field, value)
            changed.append(field)
    if changed:
        publication.save(update_fields=[*changed, "updated_at"])


def _section(name):
    section = Section.objects.filter(name=name).order_by("tree_id", "lft").first()
    return section or Section.objects.create(name=name)


def _named(name, *, organisation=False):
    return get_or_create_by_name(name=name, organisation=organisation).found


def _end_page(articles, index):
    """The page before the next article starts, when the next one starts on a later page."""
    start = articles[index].page
    for following in articles[index + 1 :]:
        if following.page:
            return following.page - 1 if start and following.page > start else None
    return None
