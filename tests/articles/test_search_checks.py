"""The start-up check of the Whoosh internals the search engine relies on (articles/search/checks.py).

The failures are made on the real Whoosh classes, as a release without those names would be.
"""

import ast
import importlib
from pathlib import Path

import pytest
import whoosh
from django.core.checks import ERROR, run_checks
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.util.numlists import delta_decode

from articles.search import checks
from articles.search.checks import ATTRIBUTE, METHOD, PRIVATE_NAMES, check_whoosh

SEARCH_CODE = [
    *sorted((Path(checks.__file__).parent).glob("*.py")),
    Path(checks.__file__).parent.parent / "search_indexes.py",
]


def owner(path):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def serious(errors):
    """The errors that make manage.py check, runserver and migrate refuse to go on."""
    return [error for error in errors if error.level >= ERROR]


def test_the_installed_whoosh_passes():
    assert tuple(whoosh.__version__)[:3] in checks.SUPPORTED_VERSIONS
    assert check_whoosh() == []


def test_the_check_runs_with_djangos_own_checks(monkeypatch):
    monkeypatch.delattr(W3LeafMatcher, "_goto")
    found = [error for error in run_checks() if error.id.startswith("articles.")]
    assert found and serious(found) == found
    assert "pip uninstall -y Whoosh whoosh-reloaded" in found[0].hint


@pytest.mark.parametrize(
    "path, name", [(path, name) for path, name, kind, _ in PRIVATE_NAMES if kind == METHOD]
)
def test_a_missing_private_method_is_an_error(monkeypatch, path, name):
    monkeypatch.delattr(owner(path), name)
    errors = check_whoosh()
    assert errors and serious(errors) == errors
    assert any(f"{path}.{name}" in error.msg for error in errors)


@pytest.mark.parametrize(
    "path, name", [(path, name) for path, name, kind, _ in PRIVATE_NAMES if kind == ATTRIBUTE]
)
def test_a_missing_private_attribute_is_an_error(monkeypatch, path, name):
    """Instances of the class no longer have the attribute, for Whoosh's own code too."""
    cls = owner(path)
    get = cls.__getattribute__

    def without(self, attribute):
        if attribute == name:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return get(self, attribute)

    monkeypatch.setattr(cls, "__getattribute__", without)
    errors = check_whoosh()
    assert errors and serious(errors) == errors
    # Named as missing, or in the error of Whoosh's own code that needed it.
    assert any(f"{path}.{name} " in error.msg or repr(name) in error.msg for error in errors)


def test_postings_the_engine_reads_differently_from_whoosh_are_an_error(monkeypatch):
    """Every name still there, but a block holding absolute document numbers instead of
    differences (Whoosh's own matcher told so, the engine not)."""
    read_data = W3LeafMatcher._read_data

    def absolute_ids(self):
        read_data(self)
        deltas, *rest = self._data
        self._data = (tuple(delta_decode(deltas)), *rest)
        self._byteids = True  # Whoosh's own matcher then takes them as they are

    monkeypatch.setattr(W3LeafMatcher, "_read_data", absolute_ids)
    [error] = check_whoosh()
    assert error.level == ERROR and "other postings" in error.msg


@pytest.mark.parametrize("version", [(2, 7, 3), (2, 8, 0), (3, 0, 0)])
def test_an_unsupported_whoosh_version_is_an_error(monkeypatch, version):
    monkeypatch.setattr(whoosh, "__version__", version)
    [error] = check_whoosh()
    assert error.level == ERROR and error.id == "articles.E001"
    assert ".".join(map(str, version)) in error.msg and "pyproject.toml" in error.hint


def test_every_private_name_the_search_code_uses_is_checked():
    """A ``._name`` used in the search code is defined there or listed in PRIVATE_NAMES.

    (Internal names without an underscore, such as a writer's ``writelock``, cannot be told from
    public ones here: they are listed by hand.)
    """
    listed = {name for _, name, _, _ in PRIVATE_NAMES}
    unlisted = {}
    for path in SEARCH_CODE:
        if path.name == "checks.py":
            continue
        tree = ast.parse(path.read_text())
        used = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        }
        unknown = used - listed - defined_names(tree)
        if unknown:
            unlisted[path.name] = unknown
    assert unlisted == {}


def defined_names(tree):
    """Functions, classes and attributes assigned in a module (its own private names)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(part, ast.Attribute):
                    names.add(part.attr)
                elif isinstance(part, ast.Name):
                    names.add(part.id)
    return names
