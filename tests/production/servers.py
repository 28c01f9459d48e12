"""Real processes for the production-shape tests (fixtures in conftest.py): a site in a temporary data folder (migrated,
seeded, static files collected), gunicorn started with the project's gunicorn.conf.py, and nginx
started from deploy/nginx.conf. No Django test database: the servers are separate processes, as in
production, on SQLite in that folder (DATABASE_URL is dropped so a PostgreSQL run of the suite
never touches its database from here)."""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX_SITE_CONF = ROOT / "deploy" / "nginx.conf"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
# The command docker-compose.yml ran before the proxy and gunicorn.conf.py: sync workers.
OLD_GUNICORN_ARGS = ["bulletin.wsgi:application", "--workers", "2", "--timeout", "60"]
# Fewer processes than gunicorn.conf.py's default: seven test runs share two cores here.
TEST_WORKERS = "2"


def require_binary(name, *candidates):
    """The binary's path; a clear skip where it is absent (a failure in CI, which installs it)."""
    found = shutil.which(name) or next((c for c in candidates if Path(c).exists()), None)
    if found:
        return found
    message = f"{name} is not installed (apt-get install -y {name}; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(data_dir):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.production.settings",
        BULLETIN_DATA_DIR=str(data_dir),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(data_dir, *args):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=site_env(data_dir),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )


def get(port, path, headers=None, timeout=10.0, method="GET", body=None):
    """(status, headers as a lower-cased dict, body) of one request to 127.0.0.1:port."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def wait_until_answering(port, process, log, ready, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{log.read_text()}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if ready(get(port, "/robots.txt", timeout=5)[0]):
                return
        time.sleep(0.3)
    raise AssertionError(f"server did not answer on port {port}:\n{log.read_text()}")


@contextlib.contextmanager
def running(command, env, cwd, log, port, ready=lambda status: status == 200):
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_answering(port, process, log, ready)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: the server and workers
                process.wait()


@contextlib.contextmanager
def gunicorn(site, args=None):
    """gunicorn on a free loopback port with gunicorn.conf.py (or, given args, with those and no
    config file: it runs in the data folder, where no gunicorn.conf.py is picked up). Yields the
    port."""
    port = free_port()
    data_dir = site["data_dir"]
    config = ["-c", str(GUNICORN_CONF)] if args is None else list(args)
    env = {**site_env(data_dir), "GUNICORN_WORKERS": TEST_WORKERS}
    command = [sys.executable, "-m", "gunicorn", *config, "--bind", f"127.0.0.1:{port}"]
    with running(command, env, data_dir, data_dir / f"gunicorn-{port}.log", port):
        yield port


def render_nginx_site(values):
    """deploy/nginx.conf with its ${BULLETIN_*} placeholders filled in, as the nginx image's
    envsubst step does with NGINX_ENVSUBST_FILTER=^BULLETIN_ (nginx's own $variables stay)."""
    text = NGINX_SITE_CONF.read_text()
    names = set(re.findall(r"\$\{(BULLETIN_[A-Z_]+)\}", text))
    assert names == set(values), f"deploy/nginx.conf's placeholders are {sorted(names)}"
    return re.sub(r"\$\{(BULLETIN_[A-Z_]+)\}", lambda m: str(values[m.group(1)]), text)


@contextlib.contextmanager
def nginx(site, upstream_port):
    """nginx on a free loopback port, deploy/nginx.conf in a main file shaped like the nginx
    image's own nginx.conf (mime types, logs, temporary folders here). Yields the port."""
    binary = require_binary("nginx", "/usr/sbin/nginx")
    port = free_port()
    home = site["data_dir"] / f"nginx-{port}"
    home.mkdir()
    (home / "default.conf").write_text(
        render_nginx_site(
            {
                "BULLETIN_PROXY_LISTEN": f"127.0.0.1:{port}",
                "BULLETIN_UPSTREAM": f"127.0.0.1:{upstream_port}",
                "BULLETIN_FILES_ROOT": site["data_dir"],
            }
        )
    )
    # Run as root (CI), the workers would drop to "nobody", who cannot read pytest's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    (home / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {home}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {home}/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {home}/body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    include {home}/default.conf;
}}
"""
    )
    log = home / "error.log"
    check = subprocess.run(
        [binary, "-t", "-p", str(home), "-c", str(home / "nginx.conf"), "-e", str(log)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    command = [binary, "-p", str(home), "-c", str(home / "nginx.conf"), "-e", str(log)]
    # Up once it answers at all: some tests give it no app behind it.
    answering = lambda status: True  # noqa: E731
    with running([*command, "-g", "daemon off;"], os.environ.copy(), home, log, port, answering):
        yield port
