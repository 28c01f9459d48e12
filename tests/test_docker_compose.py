"""docker-compose.yml describes the production shape; `docker-compose config` parses it
without a Docker engine (Debian's docker-compose package, installed by .ci/run)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose_config():
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed; .ci/run must install it")
        pytest.skip("docker-compose not installed (apt-get install -y docker-compose)")
    env = {**os.environ, "DJANGO_SECRET_KEY": "compose-test-key", "POSTGRES_PASSWORD": "pw"}
    result = subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_services_and_volumes(compose_config):
    assert set(compose_config["services"]) == {"db", "web", "scheduler"}
    assert {"pgdata", "media", "search_index"} <= set(compose_config["volumes"])


def test_database_is_postgres_16_with_healthcheck(compose_config):
    db = compose_config["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.startswith("pgdata:") for v in db["volumes"])


def test_web_runs_gunicorn_after_migrate_and_waits_for_healthy_db(compose_config):
    web = compose_config["services"]["web"]
    command = web["command"] if isinstance(web["command"], str) else " ".join(web["command"])
    assert command.index("migrate") < command.index("gunicorn")
    assert "collectstatic" in command
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["DJANGO_DEBUG"] == "0"
    mounted = {v.split(":")[0] for v in web["volumes"]}
    assert {"media", "search_index"} <= mounted


def test_scheduler_publishes_due_issues_every_minute_with_the_web_settings(compose_config):
    scheduler, web = compose_config["services"]["scheduler"], compose_config["services"]["web"]
    command = scheduler["command"]
    command = command if isinstance(command, str) else " ".join(command)
    assert "manage.py publish_scheduled" in command and "sleep 60" in command
    assert scheduler["environment"] == web["environment"]
    assert scheduler["volumes"] == web["volumes"]


def test_compose_refuses_to_start_without_a_secret_key():
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose not installed")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
