"""haystack's Whoosh backend with a lean Chinese schema and one writer at a time.

haystack stores every text field, makes it sortable and adds a spelling dictionary for the
document field; none of that is needed (the database holds the text), and it makes the index
several times larger and slower to build. Fields with one of our analyzers (analysis.py) get
it, unstored and without positions. Writes take a file lock shared by every process on the
machine, so web workers and commands never meet Whoosh's own lock (which raises LockError
instead of waiting).

Some of the Whoosh names used here are private (TOC._filename, FileIndex._read_toc, a writer's
writelock): every one is listed in checks.PRIVATE_NAMES, which Django checks at start-up; a new
one used here belongs there too.
"""

import fcntl
import logging
import os
import threading
import time
from collections import defaultdict
from contextlib import contextmanager

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, TEXT
from whoosh.formats import Existence
from whoosh.index import TOC, LockError, exists_in
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from .analysis import CountingTokenizer, refresh_names

logger = logging.getLogger(__name__)

LOCK_TIMEOUT = 60  # seconds a writer waits for another before giving up (and retrying later)
BULK = 200  # documents from which an update is a bulk load (rebuild_index, update_index)
MERGE_FACTOR = 10
LARGEST_MERGED = 1000  # documents; bigger segments come from bulk loads


# A field only the current schema has (the exact-match index, issue 13): an index without it was
# built by an older version and answers from the database until it is rebuilt.
SCHEMA_MARK = "article_id"
INCOMPLETE_MARK = "INCOMPLETE"  # a file in the index folder; see ChineseWhooshSearchBackend.setup


class IndexUnavailable(Exception):
    """The index cannot answer every query: it is missing, or holds only part of the articles.
    Searches then answer from the database until `manage.py ensure_search_index` (or
    rebuild_index) builds it."""


class ChineseWhooshSearchBackend(WhooshSearchBackend):
    _searcher = None
    _searcher_stamp = None
    _building = False  # inside clear(): the index is re-created to be filled completely

    def setup(self):
        # Opening reads the latest table of contents, which a writer in another process may
        # replace (and delete) between the listing and the read: then read the newer one.
        for attempt in range(1, 4):
            try:
                self._setup()
                return
            except FileNotFoundError:
                if attempt == 3:
                    raise

    def _setup(self):
        # haystack creates the index when it finds none, and creating one deletes the folder's
        # index files, the write lock's file included: never do that beside a running writer.
        if not self.use_file_storage or exists_in(self.path):
            super().setup()
            return
        with writer_lock(self.path):
            created = not exists_in(self.path)
            super().setup()
            # An index made here (the folder was deleted, or never built) starts empty and would
            # then receive only the articles edited from now on: readers would miss the others.
            # Unless every published article is waiting in the queue (a new site), it is marked
            # incomplete and searches answer from the database until a rebuild.
            if created and not self._building and _published_outside_queue():
                with open(os.path.join(self.path, INCOMPLETE_MARK), "w") as mark:
                    mark.write("Created empty beside published articles; run rebuild_index.\n")
                logger.warning(
                    "Search index %s was missing and has been re-created empty; searches answer "
                    "from the database until `manage.py ensure_search_index` rebuilds it",
                    self.path,
                )

    def state(self):
        """The index on disk: missing, incomplete, outdated (an older schema), empty (no
        documents) or ready. Creates nothing."""
        if not self.use_file_storage:
            return "ready"
        if not exists_in(self.path):
            return "missing"
        if os.path.exists(os.path.join(self.path, INCOMPLETE_MARK)):
            return "incomplete"
        from whoosh.index import open_dir

        index = open_dir(self.path)
        if SCHEMA_MARK not in index.schema:
            return "outdated"
        return "ready" if index.doc_count_all() else "empty"

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if getattr(field, "column_only", False):  # a value per document, never searched
                schema.remove(name)
                schema.add(name, COLUMN(NumericColumn("q", default=0)))
                continue
            if isinstance(getattr(field, "analyzer", None), CountingTokenizer):
                schema.remove(name)
                schema.add(name, CountedText(analyzer=field.analyzer, field_boost=field.boost))
        return content_field_name, schema

    @contextmanager
    def writer(self, *, procs=1, bulk=False):
        """A Whoosh writer held under the machine-wide writer lock.

        With ``procs`` > 1 the documents are analysed and written by that many processes, each
        into a segment of its own. A ``bulk`` load leaves existing segments as they are; other
        commits merge small segments (see merge_tiers).
        """
        # The folder deleted under this process: re-create the index (marked incomplete when
        # articles are missing from it) rather than failing every edit until a rebuild.
        if not self.setup_complete or self.index.latest_generation() < 0:
            self.setup()
        # Here, not in the analyzer: the writer's processes are forks of this one and must not
        # share its database connection.
        refresh_names()
        # A bulk load keeps each process's postings in memory (about 200 bytes each) up to
        # ``limitmb``: past it Whoosh spills them to disk and merges, twice as slow.
        options = {"procs": procs, "multisegment": True, "limitmb": 512} if procs > 1 else {}
        with writer_lock(self.path):
            self.index = self.index.refresh()
            writer = self.index.writer(timeout=LOCK_TIMEOUT, **options)
            try:
                yield writer
                if bulk:
                    writer.commit(merge=False)
                else:
                    writer.commit(mergetype=merge_tiers)
            except BaseException:
                _abandon(writer)
                raise

    def update(self, index, iterable, commit=True):
        """Add or replace documents (used by haystack's update_index and rebuild_index)."""
        bulk = len(iterable) > BULK
        procs = int(self.options_get("WRITER_PROCS", 1)) if bulk else 1
        with self.writer(procs=procs, bulk=bulk) as writer:
            _delete(writer, [get_identifier(obj) for obj in iterable])
            for obj in iterable:
                try:
                    writer.add_document(**self._document(index, obj))
                except SkipDocument:
                    continue

    def apply(self, index, *, updated, removed_ids):
        """Replace ``updated`` objects and delete the documents of ``removed_ids`` in one commit."""
        with self.writer() as writer:
            _delete(writer, [*removed_ids, *(get_identifier(obj) for obj in updated)])
            for obj in updated:
                writer.add_document(**self._document(index, obj))

    def _document(self, index, obj):
        doc = {key: self._from_python(value) for key, value in index.full_prepare(obj).items()}
        doc.pop("boost", None)
        return doc

    def searcher(self):
        """A searcher on the latest version of the index, for this thread.

        Opening a segment costs milliseconds, so readers are kept between queries and reused
        for as long as their segment is unchanged (Whoosh's own Searcher.refresh reopens every
        segment). A haystack backend belongs to one thread, and so do these readers.
        """
        if not self.setup_complete:
            self.setup()
        generation = self.index.latest_generation()
        if generation < 0:  # the folder was deleted under this process
            raise IndexUnavailable(f"no search index in {self.path}")
        if os.path.exists(os.path.join(self.path, INCOMPLETE_MARK)):
            raise IndexUnavailable(f"the search index in {self.path} is incomplete")
        # The generation alone is not enough: a rebuilt index counts generations from 0 again.
        toc_file = os.stat(os.path.join(self.path, TOC._filename(self.index.indexname, generation)))
        stamp = (generation, toc_file.st_ino, toc_file.st_mtime_ns)
        if self._searcher is not None and self._searcher_stamp == stamp:
            return self._searcher
        toc = self.index._read_toc()
        kept = getattr(self, "_readers", {})
        readers = {}
        for segment in toc.segments:
            key = (segment.segment_id(), segment.deleted_count())  # deletions only ever grow
            reader = kept.pop(key, None)
            readers[key] = reader or SegmentReader(
                self.index.storage, toc.schema, segment, generation=toc.generation
            )
        for reader in kept.values():
            reader.close()
        # (The schema read here is the one haystack passed in, not the one on disk: look at the
        # segments' own columns.)
        if any(not reader.has_column(SCHEMA_MARK) for reader in readers.values()):
            # Built by an older version: its terms and fields do not answer today's queries.
            self._readers = readers
            raise IndexUnavailable(f"the search index in {self.path} is outdated (rebuild_index)")
        self._readers = readers
        ordered = list(readers.values())
        if not ordered:
            reader = EmptyReader(toc.schema)
        elif len(ordered) == 1:
            reader = ordered[0]
        else:
            reader = MultiReader(ordered, generation=toc.generation)
        self._searcher = Searcher(reader, fromindex=self.index)
        self._searcher_stamp = stamp if toc.generation == generation else None
        return self._searcher

    def remove(self, obj_or_string, commit=True):
        with self.writer() as writer:
            writer.delete_by_term("id", get_identifier(obj_or_string))

    def clear(self, models=None, commit=True):
        with writer_lock(self.path):
            # Clearing everything deletes the folder (its INCOMPLETE mark too) and creates an
            # empty index that rebuild_index then fills.
            self._building = models is None
            try:
                super().clear(models=models, commit=commit)
            finally:
                self._building = False

    def options_get(self, key, default):
        from django.conf import settings

        options = settings.HAYSTACK_CONNECTIONS[self.connection_alias]
        return options.get(key, default)


def _published_outside_queue():
    """Whether some published article is neither in the index nor queued for it."""
    from articles.models import Article, SearchQueueEntry

    queued = SearchQueueEntry.objects.values("article_id")
    return Article.objects.published().exclude(pk__in=queued).exists()


class CountedText(TEXT):
    """A text field without positions, indexed from its analyzer's term counts.

    Whoosh's generic path builds a Token per character and counts them in Python; counting
    with collections.Counter is several times faster, and indexing is bound by this step.
    """

    def __init__(self, *, analyzer, field_boost=1.0):
        super().__init__(analyzer=analyzer, phrase=False, stored=False, field_boost=field_boost)
        # The engine reads a posting's weight (its count) and nothing else: no per-posting value,
        # which would add four bytes to every posting of every term.
        self.format = Existence(field_boost=field_boost)

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        for term, times in self.analyzer.count(value).items():
            yield term.encode("utf-8"), times, times * boost, b""


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshSearchBackend


def merge_tiers(writer, segments):
    """Whoosh merge policy: ten segments of one size class (1-9, 10-99, 100-999 documents) are
    merged into one of the next, so a change rewrites a few small segments at most.

    Whoosh's default policy ends up merging every segment once there are a dozen or so of
    similar size (a bulk load makes that many), which at 50,000 articles takes minutes inside
    an editor's save. Segments of LARGEST_MERGED documents or more stay as they are until the
    next rebuild_index.
    """
    tiers = defaultdict(list)
    for segment in segments:
        count = segment.doc_count_all()
        if count < LARGEST_MERGED:
            tiers[len(str(max(count, 1)))].append(segment)
    merged = set()
    for tier in tiers.values():
        if len(tier) >= MERGE_FACTOR:
            for segment in tier:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
                merged.add(segment.segment_id())
    return [segment for segment in segments if segment.segment_id() not in merged]


def _delete(writer, identifiers):
    """Delete the documents of ``identifiers``, through one searcher.

    (Whoosh's update_document opens a searcher on the whole index for every document, which
    makes a bulk load several times slower.)
    """
    searcher = writer.searcher()
    try:
        for identifier in identifiers:
            writer.delete_by_term(ID, identifier, searcher=searcher)
    finally:
        searcher.close()


def _abandon(writer):
    """Cancel a failed writer so that Whoosh's own lock is released whatever state it is in.

    A writer whose commit raised keeps Whoosh's lock for the life of the process, and every
    later writer would then fail with LockError.
    """
    if writer.is_closed:
        return
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - the original error is the one worth raising
        logger.exception("Could not cancel a failed search index writer")
        lock = getattr(writer, "writelock", None)
        if lock is not None and lock.fd is not None:
            lock.release()


_held = threading.local()  # lock paths this thread holds, with their depth


@contextmanager
def writer_lock(index_path, *, timeout=LOCK_TIMEOUT):
    """An exclusive lock on the index folder, across processes (fcntl), waiting up to timeout.

    Re-entrant within a thread (clearing the index re-creates it under the same lock).
    """
    # Beside the index folder, not in it: rebuild_index deletes the folder.
    path = os.path.normpath(index_path) + ".writer.lock"
    depths = _held.__dict__.setdefault("depths", {})
    if depths.get(path):
        depths[path] += 1
        try:
            yield
        finally:
            depths[path] -= 1
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockError(f"search index writer lock busy for {timeout}s") from None
                time.sleep(0.02)
        depths[path] = 1
        try:
            yield
        finally:
            depths[path] = 0
            fcntl.flock(handle, fcntl.LOCK_UN)
