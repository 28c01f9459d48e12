"""Saving an article read from a Word (.docx) file: one draft Article with its images and
authors, in one transaction. Reading the file is ``articles.importers.docx``'s job."""

from pathlib import Path

from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from people.services import get_or_create_by_name

from .importers.docx import convert_docx
from .importers.errors import DocxImportError
from .models import Article, ArticleImage, Authorship


def import_docx_article(*, fileobj, filename, issue, section, title=None, user=None):
    """Create a draft Article from a Word file, with its images and authors, all or nothing.

    ``issue`` may be None (an unassigned draft). ``title`` overrides the one found in the
    file. The returned article carries ``import_warnings``: what editors should check.
    Raises DocxImportError for a file that cannot be read or an article that is not valid.
    """
    converted = convert_docx(fileobj)
    warnings = list(converted.warnings)
    final_title = (title or "").strip() or converted.title
    if not final_title:
        final_title = Path(filename or "").stem.strip() or "未命名稿件"
        warnings.append("未能在文中识别出标题，已用文件名作标题，请核对。")
    saved_files = []
    try:
        with transaction.atomic():
            last = Article.objects.filter(issue=issue, section=section).aggregate(n=Max("order"))
            article = Article(
                issue=issue,
                section=section,
                title=final_title,
                subtitle=converted.subtitle,
                status=Article.Status.DRAFT,
                order=(last["n"] or 0) + 1,
            )
            try:
                article.full_clean()
            except ValidationError as exc:
                text = "；".join(exc.messages)
                raise DocxImportError(text, english=f"the article is not valid: {text}") from exc
            article.save()

            urls = []
            for number, image in enumerate(converted.images, start=1):
                row = ArticleImage(article=article, alt_text=image.alt[:200], order=number)
                name = f"docx-{article.pk}-{number}.{image.extension}"
                row.image.save(name, ContentFile(image.data), save=False)
                saved_files.append((row.image.storage, row.image.name))
                row.save()
                urls.append(row.image.url)
            article.body = converted.body_with_image_urls(urls)
            article.save()

            for order, author in enumerate(converted.authors, start=1):
                target, warning = _author_target(author)
                if warning:
                    warnings.append(warning)
                Authorship.objects.create(
                    article=article,
                    role=author.role_value,
                    printed_name=author.printed_name,
                    order=order,
                    **target,
                )

            if user is not None:
                LogEntry.objects.log_actions(
                    user_id=user.pk,
                    queryset=[article],
                    action_flag=ADDITION,
                    change_message=f"从 Word 文件“{filename}”导入",
                    single_object=True,
                )
    except BaseException:
        # The transaction undoes the rows; files written to storage need undoing by hand.
        for storage, name in saved_files:
            storage.delete(name)
        raise
    article.import_warnings = warnings
    return article


def _author_target(author):
    """The person or organisation an author line names, created if new; and a note for editors."""
    if author.kind == "organisation":
        match = get_or_create_by_name(name=author.name, organisation=True)
        note = f"已新建单位“{match.found.name}”，请核对其上级单位。" if match.created else ""
        return {"organisation": match.found}, note
    match = get_or_create_by_name(name=author.name)
    person = match.found
    if match.created:
        return {"person": person}, f"已新建人员“{person.name}”，请补充其职务和单位。"
    if match.ambiguous:
        return {"person": person}, f"有多位同名人员“{person.name}”，已署名编号最小的一位，请核对。"
    return {"person": person}, ""
