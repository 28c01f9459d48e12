"""Writes that move an issue through the workflow, each in one transaction.

Every transition goes through ``run_transition``: it locks the issue row, checks the user's
right and the issue's state (bulletin/workflow.py), moves the issue and all its articles to the
new state at once, and records who, when, from, to and why. ``user=None`` is the system
(management commands, the scheduler), which the workflow trusts.
"""

import reversion
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from bulletin.workflow import TRANSITIONS, WorkflowError, check_may_run

from . import distribution, printing
from .checker import approval_refusal
from .models import Issue, IssueStatus, IssueTransition


@transaction.atomic
def run_transition(*, issue: Issue, name: str, user, comment: str = "", when=None) -> Issue:
    """Run the transition ``name`` on ``issue``; return the issue as it is afterwards.

    Raises PermissionDenied when ``user`` lacks the right and WorkflowError (a message for
    editors) when the issue's state does not allow it or a required reason is missing.
    """
    transition = TRANSITIONS[name]
    when = when or timezone.now()
    # The row lock serialises two people (or two scheduler runs) acting on one issue.
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    check_may_run(user, transition, issue.status)
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise WorkflowError(f"请填写“{transition.label}”的原因。")
    if name == "approve":  # 签发 is refused while the pre-publication checker finds errors
        refusal = approval_refusal(issue)
        if refusal:
            raise WorkflowError(refusal)
    # Without row locks (SQLite), the conditional update is what lets one of two concurrent
    # runs through: the other finds the state already changed.
    if not Issue.objects.filter(pk=issue.pk, status=issue.status).update(status=transition.target):
        raise WorkflowError("本期的状态刚刚被他人改变，请刷新页面后再试。")

    source = issue.status
    issue.status = transition.target
    fields = ["status", "updated_at"]
    if name == "publish":
        issue.published_at = issue.published_at or when  # a republished issue keeps its date
        issue.scheduled_at = None
        fields += ["published_at", "scheduled_at"]
        # After the commit, the print PDF is generated unless one was uploaded (never fails this).
        printing.store_pdf_after_publish(issue)
    elif name in ("unschedule", "send_back", "unpublish"):
        issue.scheduled_at = None
        fields += ["scheduled_at"]
    issue.save(update_fields=fields)  # queues the issue's articles for the search index

    # The articles follow their issue, all at the same moment.
    Article.objects.filter(issue=issue).exclude(status=transition.target).update(
        status=transition.target, updated_at=when
    )
    if name == "submit":
        snapshot_articles(issue=issue, user=user, comment="提交校对")
    if name == "publish":  # the first publication records who the issue went to
        distribution.record_on_publish(issue=issue, user=user)
    IssueTransition.objects.create(
        issue=issue,
        action=name,
        from_status=source,
        to_status=transition.target,
        user=user,
        at=when,
        comment=comment,
    )
    return issue


def snapshot_articles(*, issue, user, comment):
    """One revision holding every article of ``issue`` (with its authors) as it is now: the
    imported text, or the text as it entered proofing, which the proofing report compares
    the proofread texts with."""
    with reversion.create_revision(atomic=False):
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)
        for article in issue.articles.all():
            reversion.add_to_revision(article)


def submit_issue(*, issue, user):
    """草稿 → 校对中 (编辑)."""
    return run_transition(issue=issue, name="submit", user=user)


def pass_issue(*, issue, user):
    """校对中 → 待签发 (核稿)."""
    return run_transition(issue=issue, name="pass", user=user)


def return_issue(*, issue, user, comment):
    """Back to 草稿 with a reason: 核稿 from 校对中, 签发 from 待签发 or 已签发."""
    name = "return" if issue.status == IssueStatus.PROOFING else "send_back"
    return run_transition(issue=issue, name=name, user=user, comment=comment)


def approve_issue(*, issue, user):
    """待签发 → 已签发 (签发)."""
    return run_transition(issue=issue, name="approve", user=user)


def publish_issue(*, issue, user=None, when=None, comment=""):
    """已签发 → 已发布: the issue and all its articles go public at one time. The only way an
    issue is published; an issue that is not 已签发 is refused."""
    return run_transition(issue=issue, name="publish", user=user, when=when, comment=comment)


@transaction.atomic
def schedule_issue(*, issue, user, at):
    """Set the time at which a 已签发 issue goes public (publish_scheduled does it)."""
    if at is None:
        raise WorkflowError("请填写发布时间。")
    if at <= timezone.now():
        raise WorkflowError("定时发布的时间须晚于现在；要马上公开请用“立即发布”。")
    issue = run_transition(
        issue=issue,
        name="schedule",
        user=user,
        comment=f"定时于 {timezone.localtime(at):%Y-%m-%d %H:%M} 发布",
    )
    issue.scheduled_at = at
    issue.save(update_fields=["scheduled_at", "updated_at"])
    return issue


def unschedule_issue(*, issue, user):
    return run_transition(issue=issue, name="unschedule", user=user)


def unpublish_issue(*, issue, user, reason):
    """已发布 → 已签发, with a reason: gone from every page, feed, sitemap, API answer and the
    search index at once."""
    return run_transition(issue=issue, name="unpublish", user=user, comment=reason)


def publish_without_review(*, issue, comment, when=None):
    """Walk a draft issue through every step as the system, recording each: for the
    command-line import's --publish and the demo content, whose operators act for the office."""
    for name in ("submit", "pass", "approve"):
        issue = run_transition(issue=issue, name=name, user=None, comment=comment, when=when)
    return publish_issue(issue=issue, when=when, comment=comment)


def publish_due(*, now=None):
    """Publish every 已签发 issue whose scheduled time has come; return those published.

    Safe to run from cron every minute and from two places at once: each issue is published
    in its own transaction through ``publish_issue``, and an issue another run has already
    published is skipped.
    """
    now = now or timezone.now()
    due = Issue.objects.filter(status=IssueStatus.APPROVED, scheduled_at__lte=now)
    published = []
    for pk in due.order_by("scheduled_at", "pk").values_list("pk", flat=True):
        try:
            published.append(
                publish_issue(issue=Issue(pk=pk), comment="定时发布", when=timezone.now())
            )
        except WorkflowError:
            continue  # published (or unscheduled) by someone else meanwhile
    return published
