"""manage.py check_issue: one line per problem; exit 1 while errors remain, 0 with warnings
only, 2 for an issue that cannot be found."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.issues.test_checker import RUNNING_HEAD, import_seed, in_print_order, needs_seed


def run(*args):
    out = StringIO()
    call_command("check_issue", *args, stdout=out)
    return out.getvalue()


@needs_seed
def test_a_clean_issue_exits_zero(db):
    import_seed()

    assert run("2024-2").strip() == "2024-2: 0 error(s), 0 warning(s)."


@needs_seed
def test_warnings_only_exit_zero_and_are_listed(db):
    issue = import_seed()
    article = in_print_order(issue)[4]
    article.body += "<p>会议强调,要持续推进协商议事。</p>"
    article.save()

    lines = run("2024-2").splitlines()

    assert len(lines) == 2
    assert lines[0].startswith(f"[提醒] 《{article.title}》 正文：“会议强调,要持续推进协商议事。”")
    assert lines[1] == "2024-2: 0 error(s), 1 warning(s)."


@needs_seed
def test_errors_exit_one_after_listing_every_problem(db):
    issue = import_seed()
    articles = in_print_order(issue)
    articles[0].body += f"<p>{RUNNING_HEAD}</p>"
    articles[0].save()
    articles[1].body += "<p>12</p>"
    articles[1].save()
    out = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("check_issue", "2024-2", stdout=out)

    assert failure.value.returncode == 1
    assert "2 error(s), 0 warning(s)" in str(failure.value)
    lines = out.getvalue().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["[错误]", "[错误]"]
    assert "GUANGXIZHENGXIEGONGZUO" in lines[0]


@pytest.mark.parametrize("key", ["2024", "2024-", "abc", "2024/2", "24-2"])
def test_a_bad_key_is_refused_clearly(db, key):
    with pytest.raises(CommandError, match="YEAR-NUMBER, e.g. 2024-2") as failure:
        run(key)
    assert failure.value.returncode == 2


def test_a_missing_issue_is_refused_clearly(db):
    from tests.factories import PublicationFactory

    PublicationFactory(name="广西政协工作")
    with pytest.raises(CommandError, match="No issue 2024-9 of 广西政协工作 exists") as failure:
        run("2024-9")
    assert failure.value.returncode == 2


def test_no_publication_is_refused_clearly(db):
    with pytest.raises(CommandError, match="no publication yet") as failure:
        run("2024-2")
    assert failure.value.returncode == 2
