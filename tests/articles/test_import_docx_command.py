import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article
from tests import factories
from tests.articles.docx_files import full_article_docx

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def docx_file(tmp_path):
    path = tmp_path / "调研报告.docx"
    path.write_bytes(full_article_docx())
    return path


@pytest.fixture
def issue():
    return factories.IssueFactory(year=2024, number=2)


@pytest.fixture
def section():
    return factories.SectionFactory(name="理论研究", slug="li-lun-yan-jiu")


def run(*args):
    out = io.StringIO()
    call_command("import_docx", *map(str, args), stdout=out)
    return out.getvalue()


def test_imports_into_the_issue_and_section_and_says_where(docx_file, issue, section):
    output = run(docx_file, "--issue", "2024-2", "--section", "理论研究")

    article = Article.objects.get()
    assert (article.issue, article.section) == (issue, section)
    assert article.status == Article.Status.DRAFT
    assert f"Created article {article.pk}: 关于提升委员履职能力的调研报告" in output
    assert reverse("admin:articles_article_change", args=[article.pk]) in output
    assert "Warning: 已新建人员" in output


def test_section_may_be_given_by_slug_and_title_overridden(docx_file, section):
    run(docx_file, "--section", "li-lun-yan-jiu", "--title", "改定标题")

    article = Article.objects.get()
    assert (article.section, article.title, article.issue) == (section, "改定标题", None)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--issue", "2024-9", "--section", "理论研究"], "No issue 2024-9"),
        (["--issue", "2024年第2期", "--section", "理论研究"], "YEAR-NUMBER"),
        (["--issue", "2024-2", "--section", "不存在的栏目"], "No section named"),
    ],
    ids=["unknown issue", "malformed issue", "unknown section"],
)
def test_unknown_issue_or_section_is_a_command_error(docx_file, issue, section, args, message):
    with pytest.raises(CommandError, match=message):
        run(docx_file, *args)

    assert not Article.objects.exists()


def test_issue_of_another_publication_is_not_found(docx_file, section):
    factories.PublicationFactory()  # the current publication: the first one
    other = factories.PublicationFactory(slug="other", name="另一刊物")
    factories.IssueFactory(publication=other, year=2024, number=2)

    with pytest.raises(CommandError, match="No issue 2024-2"):
        run(docx_file, "--issue", "2024-2", "--section", "理论研究")


def test_inactive_section_is_a_command_error(docx_file):
    factories.SectionFactory(name="旧栏目", is_active=False)

    with pytest.raises(CommandError, match="inactive"):
        run(docx_file, "--section", "旧栏目")


def test_missing_file_is_a_command_error(tmp_path, section):
    with pytest.raises(CommandError, match="File not found"):
        run(tmp_path / "missing.docx", "--section", "理论研究")


def test_bad_docx_is_a_command_error_in_english(tmp_path, section):
    path = tmp_path / "fake.docx"
    path.write_text("just text", encoding="utf-8")

    with pytest.raises(CommandError, match="not a .docx file"):
        run(path, "--section", "理论研究")

    assert not Article.objects.exists()


def test_failure_exits_non_zero_from_the_shell(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_docx", str(tmp_path / "missing.docx")]
        + ["--section", "理论研究"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "File not found" in result.stderr
