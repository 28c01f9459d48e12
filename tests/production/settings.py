"""The test settings with static files named as production names them (the manifest's content
hash in each name), so the proxy's cache rules are tested against what collectstatic writes.
(Production's storage also writes compressed copies; that takes most of a minute, so not here.)"""

from tests.settings import *  # noqa: F403
from tests.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
