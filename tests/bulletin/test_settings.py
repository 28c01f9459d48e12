"""The settings module, loaded in a fresh interpreter the way manage.py or gunicorn would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Loads the real settings and prints what a deployment cares about.
PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "bulletin.settings"
import django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "SEARCH": settings.HAYSTACK_CONNECTIONS["default"],
}))
"""

STRIPPED_PREFIXES = ("DJANGO_", "DATABASE_", "BULLETIN_", "ELASTICSEARCH_")


def run_settings(tmp_path, **env):
    """Start the settings module in a subprocess with only the given bulletin variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED_PREFIXES)}
    clean["BULLETIN_DATA_DIR"] = str(tmp_path / "data")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_start_without_secret_key_is_refused(tmp_path):
    result = run_settings(tmp_path, DJANGO_ALLOWED_HOSTS="bulletin.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_zero_counts_as_production(tmp_path):
    result = run_settings(tmp_path, DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_throwaway_insecure_key_is_refused_in_production(tmp_path):
    result = run_settings(
        tmp_path,
        DJANGO_SECRET_KEY="django-insecure-copied-from-a-tutorial",
        DJANGO_ALLOWED_HOSTS="bulletin.example.org",
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_start_without_allowed_hosts_is_refused(tmp_path):
    result = run_settings(tmp_path, DJANGO_SECRET_KEY="a-long-random-production-secret-0123456789")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_start_with_key_and_hosts_succeeds(tmp_path):
    result = run_settings(
        tmp_path,
        DJANGO_SECRET_KEY="a-long-random-production-secret-0123456789",
        DJANGO_ALLOWED_HOSTS="bulletin.example.org, www.bulletin.example.org",
    )

    config = loaded(result)
    assert config["DEBUG"] is False
    assert config["ALLOWED_HOSTS"] == ["bulletin.example.org", "www.bulletin.example.org"]


def test_debug_trial_run_starts_with_nothing_else_set(tmp_path):
    config = loaded(run_settings(tmp_path, DJANGO_DEBUG="1"))

    assert config["DEBUG"] is True
    assert "localhost" in config["ALLOWED_HOSTS"]


def test_without_database_url_uses_sqlite_in_the_data_folder(tmp_path):
    config = loaded(run_settings(tmp_path, DJANGO_DEBUG="1"))

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]) == (tmp_path / "data" / "bulletin.sqlite3").resolve()
    assert (tmp_path / "data").is_dir()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_database_url_selects_postgresql(tmp_path, scheme):
    config = loaded(
        run_settings(
            tmp_path,
            DJANGO_DEBUG="1",
            DATABASE_URL=f"{scheme}://bulletin@db.example.org:5432/bulletin",
        )
    )

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "bulletin"
    assert config["HOST"] == "db.example.org"


def test_search_uses_whoosh_in_the_data_folder_by_default(tmp_path):
    search = loaded(run_settings(tmp_path, DJANGO_DEBUG="1"))["SEARCH"]

    assert search["ENGINE"] == "articles.search.backend.ChineseWhooshEngine"
    assert Path(search["PATH"]) == (tmp_path / "data" / "whoosh_index").resolve()


def test_elasticsearch_url_switches_search_to_elasticsearch(tmp_path):
    search = loaded(
        run_settings(
            tmp_path,
            DJANGO_DEBUG="1",
            ELASTICSEARCH_URL="http://search.example.org:9200/",
            ELASTICSEARCH_INDEX="bulletin_prod",
        )
    )["SEARCH"]

    assert search == {
        "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
        "URL": "http://search.example.org:9200/",
        "INDEX_NAME": "bulletin_prod",
    }
