"""Load the demo content (content.json beside this module) into a database.

The JSON refers to sections, organisations, people and recipient groups by name; a tree node's
"parent" must be listed before it. Everything is created in one transaction: a mistake in the
file leaves the database as it was.
"""

import json
from datetime import date, datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Authorship, Section
from bulletin.models import Publication
from issues.models import Issue, IssueCredit, IssueSection
from issues.services import publish_without_review
from people.models import Organisation, Person, Recipient, RecipientGroup

DEFAULT_PATH = Path(__file__).with_name("content.json")

# Published issues go public at this local time of their publish date.
PUBLISH_TIME = time(9, 0)

# Plain fields copied from the file when present.
ARTICLE_FIELDS = ("kicker", "title", "subtitle", "source", "author_note", "start_page", "end_page")
RECIPIENT_FIELDS = (
    "addressee",
    "copies",
    "postal_address",
    "postcode",
    "contact",
    "phone",
    "is_active",
)


class DemoContentError(ValueError):
    """The demo file is missing, is not valid JSON or refers to something it does not define."""


def load_demo_content(*, path=None) -> dict:
    """Create the demo publication, sections, people, issues and distribution list; return counts."""
    path = Path(path or DEFAULT_PATH)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoContentError(f"cannot read {path}: {exc}") from exc
    try:
        with transaction.atomic():
            return _load(data)
    except KeyError as exc:
        raise DemoContentError(f"{path}: missing or unknown name {exc}") from exc
    except ValidationError as exc:
        raise DemoContentError(f"{path}: invalid content: {exc}") from exc


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _tree(model, rows, **fields):
    """Create tree nodes in file order (so siblings keep it); return them by name."""
    nodes = {}
    for row in rows:
        parent = nodes[row["parent"]] if row.get("parent") else None
        extra = {field: row.get(field, default) for field, default in fields.items()}
        nodes[row["name"]] = model.objects.create(name=row["name"], parent=parent, **extra)
    return nodes


def _load(data):
    publication = _saved(Publication(**data["publication"]))
    sections = _tree(Section, data["sections"], description="")
    organisations = _tree(Organisation, data["organisations"], short_name="")
    people = {}
    for row in data["people"]:
        org = row.get("organisation")
        person = Person(
            name=row["name"],
            position=row.get("position", ""),
            bio=row.get("bio", ""),
            organisation=organisations[org] if org else None,
        )
        people[row["name"]] = _saved(person)

    counts = {"articles": 0, "authorships": 0, "credits": 0, "published_issues": 0}
    for row in data["issues"]:
        _load_issue(row, publication, sections, organisations, people, counts)

    groups = _tree(RecipientGroup, data["recipient_groups"], description="")
    orders = {}
    for row in data["recipients"]:
        group = groups[row["group"]]
        orders[group.pk] = orders.get(group.pk, 0) + 1
        recipient = Recipient(
            group=group,
            organisation=organisations[row["organisation"]] if "organisation" in row else None,
            person=people[row["person"]] if "person" in row else None,
            order=orders[group.pk],
            **{field: row[field] for field in RECIPIENT_FIELDS if field in row},
        )
        _saved(recipient)

    return {
        "publications": 1,
        "sections": len(sections),
        "organisations": len(organisations),
        "people": len(people),
        "issues": len(data["issues"]),
        **counts,
        "recipient_groups": len(groups),
        "recipients": len(data["recipients"]),
    }


def _load_issue(row, publication, sections, organisations, people, counts):
    status = row.get("status", Issue.Status.DRAFT)
    if status not in Issue.Status.values:
        raise DemoContentError(f"issue {row['year']}-{row['number']}: unknown status {status!r}")
    issue = _saved(
        Issue(
            publication=publication,
            year=row["year"],
            number=row["number"],
            total_number=row.get("total_number"),
            publish_date=date.fromisoformat(row["publish_date"]),
            notes=row.get("notes", ""),
            # A published issue is published below through the workflow, as the system.
            status=Issue.Status.DRAFT if status == Issue.Status.PUBLISHED else status,
        )
    )
    for order, name in enumerate(row["sections"], start=1):
        _saved(IssueSection(issue=issue, section=sections[name], order=order))
    for role, names in row.get("credits", {}).items():
        for order, name in enumerate(names, start=1):
            _saved(IssueCredit(issue=issue, person=people[name], role=role, order=order))
            counts["credits"] += 1

    positions = {}
    for entry in row["articles"]:
        if entry["section"] not in row["sections"]:
            raise DemoContentError(f"{entry['title']}: section not in its issue's section order")
        positions[entry["section"]] = positions.get(entry["section"], 0) + 1
        article = _saved(
            Article(
                issue=issue,
                section=sections[entry["section"]],
                order=positions[entry["section"]],
                body="\n".join(entry["body"]),
                status=issue.status,  # articles follow their issue
                **{field: entry[field] for field in ARTICLE_FIELDS if field in entry},
            )
        )
        counts["articles"] += 1
        for order, author in enumerate(entry.get("authors", []), start=1):
            _saved(
                Authorship(
                    article=article,
                    person=people[author["person"]] if "person" in author else None,
                    organisation=(
                        organisations[author["organisation"]] if "organisation" in author else None
                    ),
                    role=author.get("role", Authorship.Role.NONE),
                    printed_name=author.get("printed_name", ""),
                    order=order,
                )
            )
            counts["authorships"] += 1

    if status == Issue.Status.PUBLISHED:
        when = timezone.make_aware(datetime.combine(issue.publish_date, PUBLISH_TIME))
        publish_without_review(issue=issue, when=when, comment="示例内容")
        counts["published_issues"] += 1
