import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of one test never land in another's or the developer's folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def publication(db):
    """The one publication of the site, named and described as the feeds and pages show it."""
    from tests.factories import PublicationFactory

    return PublicationFactory(name="广西政协工作", description="自治区政协办公厅主办的内部刊物")


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as a superuser editor, for admin pages."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


class SearchIndex:
    """The test's own Whoosh index (see the ``search_index`` fixture)."""

    def __init__(self, path):
        self.path = path

    @property
    def backend(self):
        from haystack import connections

        return connections["default"].get_backend()

    def rebuild(self):
        """Clear the index and index every published article, as ``manage.py rebuild_index``."""
        from django.core.management import call_command

        call_command("rebuild_index", interactive=False, verbosity=0)

    def reconnect(self):
        """Drop haystack's cached backend (after moving or breaking the index folder)."""
        from haystack import connections

        _drop_search_connection(connections)

    def apply_queue(self):
        """Apply the queued index changes (what on_commit would do); return the count applied."""
        from articles.search.indexing import apply_queue

        return apply_queue()


@pytest.fixture
def search_index(settings, tmp_path):
    """A fresh, empty Whoosh index in this test's tmp_path, used by every search call of the test.

    haystack builds its backend once per thread from settings.HAYSTACK_CONNECTIONS and caches it
    (with the unified index and its ArticleIndex, whose section-path cache would otherwise leak
    ids between tests). The fixture points the setting at tmp_path and drops the cached
    connection before and after the test, so the next use builds a new one. Fill the index with
    ``search_index.rebuild()`` after creating data, or with ``search_index.apply_queue()`` (or by
    creating data inside ``django_capture_on_commit_callbacks(execute=True)``). Same thread only:
    a live server thread keeps the connection it built first.
    """
    from haystack import connections

    path = tmp_path / "whoosh_index"
    settings.HAYSTACK_CONNECTIONS = {
        **settings.HAYSTACK_CONNECTIONS,
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)},
    }
    _drop_search_connection(connections)
    yield SearchIndex(path)
    _drop_search_connection(connections)


def _drop_search_connection(connections):
    """Forget this thread's haystack backend: the next use builds one from the settings of then."""
    getattr(connections.thread_local, "connections", {}).pop("default", None)
