import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of one test never land in another's or the developer's folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as a superuser editor, for admin pages."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client
