"""The site the production-shape tests serve (helpers in servers.py)."""

import json

import pytest

from .servers import manage


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A data folder with a migrated SQLite database, a published issue with a cover and a PDF,
    an HTML file among the uploads, and collectstatic's output; its URLs as a dict."""
    data_dir = tmp_path_factory.mktemp("site")
    manage(data_dir, "manage.py", "migrate", "--noinput")
    urls = json.loads(manage(data_dir, "-m", "tests.production.seed").stdout)
    manage(data_dir, "manage.py", "collectstatic", "--noinput")
    return {"data_dir": data_dir, **urls}
