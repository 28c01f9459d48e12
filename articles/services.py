"""Writes to an article on its own, outside any issue."""

from django.db import transaction
from django.utils import timezone

from bulletin.workflow import ARTICLE_TRANSITIONS, WorkflowError, check_may_run

from .models import Article


@transaction.atomic
def run_article_transition(*, article, name, user, comment=""):
    """The small workflow of an article not yet in an issue: 草稿 ⇄ 校对中. An article in an
    issue moves with its issue (issues.services)."""
    transition = ARTICLE_TRANSITIONS[name]
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.issue_id:
        raise WorkflowError("这篇稿件已编入期刊，随期刊一起流转，请在期刊页面操作。")
    check_may_run(user, transition, article.status)
    if transition.needs_comment and not comment.strip():
        raise WorkflowError(f"请填写“{transition.label}”的原因。")
    if not Article.objects.filter(pk=article.pk, status=article.status).update(
        status=transition.target, updated_at=timezone.now()
    ):
        raise WorkflowError("这篇稿件的状态刚刚被他人改变，请刷新页面后再试。")
    article.refresh_from_db()
    return article
