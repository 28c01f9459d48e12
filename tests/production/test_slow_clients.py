"""Clients that send half a request and wait must not take the site down (issue 12): gunicorn
with gunicorn.conf.py keeps answering beside a few of them, and the proxy beside many."""

import contextlib
import socket
import time

from .servers import OLD_GUNICORN_ARGS, get, gunicorn, nginx

# More than the old command's two sync workers, fewer than one gthread worker's threads
# (gunicorn.conf.py: 8), so however the connections spread over the workers, each keeps one free.
SLOW_CLIENTS = 6
# Each page must answer within this (a cold worker's first page takes about a second here).
PATIENCE = 5.0


@contextlib.contextmanager
def slow_clients(port, count, request=b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"):
    """`count` connections that each send the start of a request and then nothing more."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(request)
            sockets.append(sock)
        time.sleep(1)  # let the server pick them up and sit on them
        yield
    finally:
        for sock in sockets:
            sock.close()


def answer_times(port, paths=("/robots.txt", "/", "/issues/", "/robots.txt")):
    """Seconds each page took, or None for a page that did not answer within PATIENCE."""
    times = []
    for path in paths:
        start = time.monotonic()
        try:
            status = get(port, path, timeout=PATIENCE)[0]
        except TimeoutError:
            times.append(None)
            continue
        assert status == 200, path
        times.append(round(time.monotonic() - start, 2))
    return times


def test_gunicorn_conf_keeps_answering_beside_slow_clients(site):
    with gunicorn(site) as port, slow_clients(port, SLOW_CLIENTS):
        times = answer_times(port)
    assert None not in times, f"pages stalled behind {SLOW_CLIENTS} slow clients: {times}"


def test_the_old_sync_command_is_blocked_by_the_same_slow_clients(site):
    """The control: the slow clients above really do block a server, so the test can fail."""
    with gunicorn(site, OLD_GUNICORN_ARGS) as port, slow_clients(port, SLOW_CLIENTS):
        times = answer_times(port, paths=("/robots.txt",))
    assert times == [None]


HEAD_UNFINISHED = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
# With a CSRF cookie the app goes on to read the form (for its token), so it waits for the body.
BODY_UNFINISHED = (
    b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
    b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n\r\nusername=a"
)


def test_the_proxy_shields_even_sync_workers_from_many_slow_clients(site):
    """nginx reads whole requests before passing them on: fifty slow clients (half stuck in the
    request head, half in the body) in front of the old two sync workers, and pages answer."""
    with (
        gunicorn(site, OLD_GUNICORN_ARGS) as app_port,
        nginx(site, app_port) as proxy_port,
        slow_clients(proxy_port, 25, HEAD_UNFINISHED),
        slow_clients(proxy_port, 25, BODY_UNFINISHED),
    ):
        times = answer_times(proxy_port)
    assert None not in times, f"pages stalled behind 50 slow clients: {times}"
