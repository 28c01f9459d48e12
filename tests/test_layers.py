"""The layer contract of `make lint` (pyproject.toml, [tool.importlinter]) holds on the tree and
catches a wrong-way import."""

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import bulletin

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bulletin", "people", "articles", "issues")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(folder):
    """Run lint-imports in ``folder`` as `make lint` does; return (exit code, output)."""
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def tree_copy(tmp_path):
    """A copy of the project's packages and pyproject.toml, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_import(module_path, statement):
    with module_path.open("a", encoding="utf-8") as module:
        module.write(f"\n{statement}  # noqa\n")


def test_the_tree_keeps_its_layers():
    code, output = lint_imports(ROOT)
    assert code == 0, output
    assert "1 kept, 0 broken" in output


@pytest.mark.parametrize(
    ("module", "statement", "broken_edge"),
    [
        (
            "people/models.py",
            "from articles.models import Article",
            "people.models -> articles.models",
        ),
        ("articles/views.py", "from issues.views import archive", "articles.views -> issues.views"),
        (
            "issues/services.py",
            "from bulletin.site import urls",
            "issues.services -> bulletin.site.urls",
        ),
        ("bulletin/html.py", "from people.models import Person", "bulletin.html -> people.models"),
    ],
)
def test_a_wrong_way_import_fails_the_lint(tree_copy, module, statement, broken_edge):
    add_import(tree_copy / module, statement)

    code, output = lint_imports(tree_copy)

    assert code == 1, output
    assert "BROKEN" in output
    assert broken_edge in output


def test_the_allowed_foreign_key_import_passes(tree_copy):
    add_import(tree_copy / "articles/feeds.py", "from issues.models import Issue")

    code, output = lint_imports(tree_copy)

    assert code == 0, output


def test_every_core_module_is_in_the_bottom_layer():
    """A new module in bulletin/ must be named in the core layer, or it escapes the check."""
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ][0]
    core = {name.strip() for name in contract["layers"][-1].split(":")}
    modules = {f"bulletin.{m.name}" for m in pkgutil.iter_modules(bulletin.__path__)}
    assert modules - {"bulletin.site"} == core
