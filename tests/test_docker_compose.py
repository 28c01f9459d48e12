"""docker-compose.yml describes the production shape; `docker-compose config` parses it
without a Docker engine (Debian's docker-compose package, installed by .ci/run)."""

import os
import re
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


def command_of(service):
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_services_and_volumes(compose_config):
    assert set(compose_config["services"]) == {"db", "web", "proxy", "scheduler"}
    assert {"pgdata", "media", "search_index", "static"} <= set(compose_config["volumes"])


def test_database_is_postgres_16_with_healthcheck(compose_config):
    db = compose_config["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.startswith("pgdata:") for v in db["volumes"])


def test_web_runs_gunicorn_conf_after_migrate_and_waits_for_healthy_db(compose_config):
    web = compose_config["services"]["web"]
    command = command_of(web)
    steps = ["migrate", "collectstatic", "clear_page_cache", "ensure_search_index", "gunicorn -c"]
    assert [command.index(step) for step in steps] == sorted(command.index(s) for s in steps)
    assert "--workers" not in command and "--bind" not in command  # all in gunicorn.conf.py
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["DJANGO_DEBUG"] == "0"
    mounted = {v.split(":")[0]: v.split(":")[1] for v in web["volumes"]}
    assert mounted == {
        "media": "/data/media",
        "search_index": "/data/whoosh_index",
        "static": "/data/static",
        "page_cache": "/data/cache",  # the scheduler's publications invalidate the web's pages
    }


def test_only_the_proxy_publishes_a_port(compose_config):
    published = {name for name, s in compose_config["services"].items() if s.get("ports")}
    assert published == {"proxy"}
    [port] = compose_config["services"]["proxy"]["ports"]
    assert port["target"] == 80


def test_the_app_trusts_the_scheme_only_the_proxy_states(compose_config):
    environment = compose_config["services"]["web"]["environment"]
    assert environment["DJANGO_SECURE_PROXY_SSL_HEADER"] == "1"
    # The compose proxy answers plain http; the TLS terminator in front redirects.
    assert environment["DJANGO_SECURE_SSL_REDIRECT"] == "0"


def test_proxy_serves_the_project_config_and_the_shared_volumes_read_only(compose_config):
    proxy = compose_config["services"]["proxy"]
    assert proxy["image"].startswith("nginx:1.")
    volumes = {}
    for volume in proxy["volumes"]:
        source, target, mode = volume.rsplit(":", 2)
        volumes[target] = (source, mode)
    assert volumes["/etc/nginx/templates/default.conf.template"] == (
        str(ROOT / "deploy" / "nginx.conf"),
        "ro",
    )
    # The same volumes the app writes collectstatic's output and uploads to.
    root = proxy["environment"]["BULLETIN_FILES_ROOT"]
    assert volumes[f"{root}/static"] == ("static", "ro")
    assert volumes[f"{root}/media"] == ("media", "ro")
    host, port = proxy["environment"]["BULLETIN_UPSTREAM"].split(":")
    assert host == "web" and port in compose_config["services"]["web"]["expose"]
    assert proxy["environment"]["NGINX_ENVSUBST_FILTER"] == "^BULLETIN_"
    placeholders = set(
        re.findall(r"\$\{(BULLETIN_[A-Z_]+)\}", (ROOT / "deploy/nginx.conf").read_text())
    )
    assert placeholders <= set(proxy["environment"])
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_scheduler_publishes_due_issues_every_minute_with_the_web_settings(compose_config):
    scheduler, web = compose_config["services"]["scheduler"], compose_config["services"]["web"]
    command = command_of(scheduler)
    assert "manage.py publish_scheduled" in command and "sleep 60" in command
    assert scheduler["environment"] == web["environment"]
    assert scheduler["volumes"] == web["volumes"]
    assert "ports" not in scheduler


def test_the_image_runs_gunicorn_conf_and_owns_the_mounted_folders():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"]' in dockerfile
    assert "mkdir -p /data/media /data/static /data/whoosh_index" in dockerfile
    assert "chown -R bulletin /data" in dockerfile


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
