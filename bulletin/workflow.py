"""The editorial workflow in one place: which transitions exist, from which states, who may run
them, and who may edit an issue and its articles in each state.

Pure rules, no models: the services in issues/services.py run the transitions under a row lock
and record them; the admin shows them as buttons and asks here who may edit what. Roles
(bulletin/roles.py) give users the permissions named here; superusers hold them all.

    草稿 ──提交校对──▶ 校对中 ──核稿通过──▶ 待签发 ──签发──▶ 已签发 ──发布（立即或定时）──▶ 已发布
      ▲                 │                    │                │                          │
      └──────退回───────┴───────退回─────────┴──────退回──────┘      已签发 ◀──撤回发布──┘
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models


class Status(models.TextChoices):
    """The states of an issue, and of its articles, which follow it."""

    DRAFT = "draft", "草稿"
    PROOFING = "proofing", "校对中"
    CHECKED = "checked", "待签发"  # proofread and passed on to the approver
    APPROVED = "approved", "已签发"
    PUBLISHED = "published", "已发布"


S = Status

SUBMIT = "issues.submit_issue"  # 编辑
PROOFREAD = "issues.proofread_issue"  # 核稿
APPROVE = "issues.approve_issue"  # 签发
CORRECT = "articles.correct_article"  # 签发, or whoever is given the right to correct


class WorkflowError(Exception):
    """A transition that cannot run from the issue's state, or without what it needs. The
    message is for editors, in Chinese."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_comment: bool = False  # a reason is required (退回, 撤回发布)
    help: str = ""  # what the confirmation page says


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit", "提交校对", (S.DRAFT,), S.PROOFING, SUBMIT, help="提交后由核稿人员校对。"
        ),
        Transition(
            "pass",
            "核稿通过，送签发",
            (S.PROOFING,),
            S.CHECKED,
            PROOFREAD,
            help="校对完成，交签发人审定。",
        ),
        Transition(
            "return",
            "退回编辑",
            (S.PROOFING,),
            S.DRAFT,
            PROOFREAD,
            needs_comment=True,
            help="退回草稿，由编辑修改后重新提交。请写明退回原因。",
        ),
        Transition(
            "approve", "签发", (S.CHECKED,), S.APPROVED, APPROVE, help="签发后可立即或定时发布。"
        ),
        Transition(
            "send_back",
            "退回编辑",
            (S.CHECKED, S.APPROVED),
            S.DRAFT,
            APPROVE,
            needs_comment=True,
            help="退回草稿，由编辑修改后重新提交。请写明退回原因。",
        ),
        Transition(
            "publish",
            "立即发布",
            (S.APPROVED,),
            S.PUBLISHED,
            APPROVE,
            help="本期及其全部稿件将立即在网站上公开。",
        ),
        Transition(
            "schedule",
            "定时发布",
            (S.APPROVED,),
            S.APPROVED,
            APPROVE,
            help="到设定的时间自动发布（由 publish_scheduled 定时任务执行）。",
        ),
        Transition(
            "unschedule",
            "取消定时发布",
            (S.APPROVED,),
            S.APPROVED,
            APPROVE,
            help="取消已设定的发布时间，本期保持已签发状态。",
        ),
        Transition(
            "unpublish",
            "撤回发布",
            (S.PUBLISHED,),
            S.APPROVED,
            APPROVE,
            needs_comment=True,
            help="本期及其全部稿件将立即从网站、订阅、站点地图、接口和搜索中撤下，回到已签发状态。"
            "请写明撤回原因。",
        ),
    ]
}

# An article not yet in an issue has a small workflow of its own.
ARTICLE_TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "提交校对", (S.DRAFT,), S.PROOFING, SUBMIT),
        Transition("return", "退回编辑", (S.PROOFING,), S.DRAFT, PROOFREAD, needs_comment=True),
    ]
}

# Who may change the text of an issue and its articles in each state. 已签发 and 已发布 take a
# correction, which only the approver (or a user given the right to correct) may make.
EDIT_PERMISSION = {
    S.DRAFT: SUBMIT,
    S.PROOFING: PROOFREAD,
    S.CHECKED: APPROVE,
    S.APPROVED: CORRECT,
    S.PUBLISHED: CORRECT,
}


def has_right(user, permission):
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(permission)))


def may_run(user, transition):
    return has_right(user, transition.permission)


def check_may_run(user, transition, status):
    """Raise PermissionDenied (403) or WorkflowError (a message) unless ``user`` may run
    ``transition`` on an issue in ``status``. ``user=None`` is the system (commands, the
    scheduler): trusted, never checked."""
    if user is not None and not may_run(user, transition):
        raise PermissionDenied(f"没有“{transition.label}”的权限。")
    if status not in transition.sources:
        raise WorkflowError(
            f"当前状态为“{Status(status).label}”，不能“{transition.label}”。"
            f"（只能从{'、'.join(Status(s).label for s in transition.sources)}状态操作）"
        )


def available(user, status, transitions=TRANSITIONS):
    """The transitions ``user`` may run now, for the buttons."""
    return [t for t in transitions.values() if status in t.sources and may_run(user, t)]


def may_edit(user, status):
    """May ``user`` change the text of an issue (or article) in ``status``?"""
    return has_right(user, EDIT_PERMISSION[status])


def check_may_edit(user, status):
    if not may_edit(user, status):
        raise PermissionDenied(f"状态为“{Status(status).label}”时，您不能修改。")


def editable_status(obj):
    """The state that decides who may edit ``obj``: an issue's own; an article's issue's, or
    the article's own while it is not in an issue."""
    return obj.issue.status if getattr(obj, "issue_id", None) else obj.status


class StateInlineMixin:
    """For admin inlines of an issue or an article (sections, credits, articles, authors,
    images): they follow their parent's edit rule."""

    def _editable(self, request, obj):
        return obj is None or may_edit(request.user, editable_status(obj))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)
