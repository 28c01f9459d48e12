"""Start-up check that the installed Whoosh is one the search engine was written for.

engine.py reads Whoosh's postings a block at a time through private names of its block matcher,
and backend.py uses private names of the index, its table of contents and its writer's lock.
None of that is Whoosh's public API. On a Whoosh without them nothing fails at start: every
search raises inside the engine and falls back to the database (slow, only logged). Django
refuses to start instead (manage.py check, runserver, migrate).
"""

import importlib

import whoosh
from django.core import checks

# whoosh.__version__ of the releases the search tests pass on: 2.7.4 is PyPI "Whoosh"
# (unmaintained since 2016), 2.7.5 the maintained fork "whoosh-reloaded" (same import name).
SUPPORTED_VERSIONS = ((2, 7, 4), (2, 7, 5))
PINNED = "whoosh-reloaded==2.7.5"  # as in pyproject.toml

METHOD, ATTRIBUTE = "method", "attribute"

# Every name engine.py and backend.py use that is not the documented API of Whoosh (or of
# haystack's Whoosh backend): (class, name, kind, where it is used). Code that starts using
# another one adds it here (tests/articles/test_search_checks.py fails until it does). A method
# is looked up on the class; an attribute is set on instances by Whoosh's own code, so it is
# looked up on an instance made from a tiny index in memory (_instances).
PRIVATE_NAMES = (
    ("whoosh.codec.whoosh3.W3LeafMatcher", "_read_data", METHOD, "engine._read_postings"),
    ("whoosh.codec.whoosh3.W3LeafMatcher", "_goto", METHOD, "engine._read_postings"),
    ("whoosh.codec.whoosh3.W3LeafMatcher", "_data", ATTRIBUTE, "engine._read_postings"),
    ("whoosh.codec.whoosh3.W3LeafMatcher", "_lastblock", ATTRIBUTE, "engine._read_postings"),
    ("whoosh.codec.whoosh3.W3LeafMatcher", "_nextoffset", ATTRIBUTE, "engine._read_postings"),
    ("whoosh.index.TOC", "_filename", METHOD, "backend.searcher"),
    ("whoosh.index.FileIndex", "_read_toc", METHOD, "backend.searcher"),
    ("whoosh.index.TOC", "segments", ATTRIBUTE, "backend.searcher"),
    ("whoosh.index.TOC", "schema", ATTRIBUTE, "backend.searcher"),
    ("whoosh.index.TOC", "generation", ATTRIBUTE, "backend.searcher"),
    ("whoosh.writing.SegmentWriter", "writelock", ATTRIBUTE, "backend._abandon"),
    ("whoosh.util.filelock.FileLock", "fd", ATTRIBUTE, "backend._abandon"),
    ("whoosh.formats.Format", "field_boost", ATTRIBUTE, "backend.CountedText"),
    ("haystack.backends.whoosh_backend.WhooshSearchBackend", "_from_python", METHOD,
     "backend._document"),
)  # fmt: skip

HINT = (
    f"The search engine relies on the internals listed in articles/search/checks.py. Install "
    f"the versions pinned in pyproject.toml ({PINNED}): pip uninstall -y Whoosh whoosh-reloaded "
    f"&& pip install -e '.[dev]'. To support another release, adapt articles/search/engine.py "
    f"and backend.py, pass the search tests on it and add it to SUPPORTED_VERSIONS."
)


def check_whoosh(app_configs=None, **kwargs):
    version = _dotted(tuple(whoosh.__version__)[:3])
    supported = [_dotted(v) for v in SUPPORTED_VERSIONS]
    if version not in supported:
        message = (
            f"Whoosh {version} is installed; the search engine was written for Whoosh "
            f"{', '.join(supported)}."
        )
        return [checks.Error(message, hint=HINT, id="articles.E001")]
    errors = []
    try:
        instances = _instances()
    except Exception as error:  # noqa: BLE001 - it is the report
        instances = None  # attributes cannot be looked up; methods still can
        message = f"The search engine cannot read a small Whoosh index in memory: {error!r}."
        errors.append(checks.Error(message, hint=HINT, id="articles.E002"))
    for path, name, kind, used_in in PRIVATE_NAMES:
        if kind == ATTRIBUTE and instances is None:
            continue
        if not _has(path, name, kind, instances):
            message = (
                f"No {kind} {path}.{name} in the installed packages (Whoosh {version}); "
                f"articles.search.{used_in} uses it."
            )
            errors.append(checks.Error(message, hint=HINT, id="articles.E003"))
    return errors


def _has(path, name, kind, instances):
    module, _, class_name = path.rpartition(".")
    try:
        owner = getattr(importlib.import_module(module), class_name)
    except (ImportError, AttributeError):
        return False
    if kind == METHOD:
        return callable(getattr(owner, name, None))
    instance = instances[path]
    return hasattr(instance, name) and not callable(getattr(instance, name))


def _instances():
    """One instance of each class of PRIVATE_NAMES, made as the engine and backend meet them,
    after checking that the engine reads postings exactly as Whoosh's own matcher does."""
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.util.filelock import FileLock

    from . import engine

    index = RamStorage().create_index(Schema(tag=TEXT(phrase=False)))
    writer = index.writer()
    found = {"whoosh.writing.SegmentWriter": writer}
    # Enough documents for several postings blocks (of 128), with weights of 1 to 3.
    for number in range(300):
        writer.add_document(tag="term " * (1 + number % 3) if number % 5 else "other")
    writer.commit()
    with index.searcher() as searcher:
        (reader, _), *_ = searcher.leaf_searchers()
        matcher = reader.postings("tag", "term")
        if not isinstance(matcher, W3LeafMatcher):
            raise TypeError(f"postings are read by {type(matcher).__name__}, not W3LeafMatcher")
        expected = [(docnum, weight) for docnum, weight in matcher.items_as("weight")]
        read = engine._read_postings(reader, engine.Term("tag", "term"))
        if list(zip(read.ids.tolist(), read.weights.tolist(), strict=True)) != expected:
            raise ValueError("the engine reads other postings than Whoosh's own matcher")
        matcher = reader.postings("tag", "term")
        matcher._read_data()
    toc = index._read_toc()
    found["whoosh.codec.whoosh3.W3LeafMatcher"] = matcher
    found["whoosh.index.TOC"] = toc
    found["whoosh.util.filelock.FileLock"] = FileLock("unused")  # opens nothing until acquired
    found["whoosh.formats.Format"] = toc.schema["tag"].format
    return found


def _dotted(version):
    return ".".join(map(str, version))
