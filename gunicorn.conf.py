"""gunicorn settings for the production shape (docker-compose.yml, the benchmark, a plain host).

Run: gunicorn -c gunicorn.conf.py bulletin.wsgi:application
Environment (all optional): GUNICORN_BIND (0.0.0.0:8000), GUNICORN_WORKERS (2 x cores + 1),
GUNICORN_THREADS (8), GUNICORN_TIMEOUT (60), GUNICORN_MAX_REQUESTS (50000; 0 turns it off).

Threaded workers, not sync ones: a sync worker serves one connection at a time, so a few clients
that send half a request and wait hold every worker and the whole site stops answering. A gthread
worker parks connections that send nothing in its event loop (after a few seconds); one that has
sent part of a request holds a thread until the rest comes, so with N threads a worker keeps
answering while up to N-1 requests are stalled. The proxy in front (deploy/nginx.conf) reads whole
requests before passing them on, which removes the problem for any number of slow clients; these
settings are the second line.
"""

import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
wsgi_app = "bulletin.wsgi:application"

worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
# Requests mostly wait on the database; threads share the worker's memory.
threads = _int("GUNICORN_THREADS", 8)

# A gthread worker is restarted when its event loop (not a request) is stuck this long; requests
# that take longer (a labels PDF of thousands of recipients) are bounded by the proxy instead.
timeout = _int("GUNICORN_TIMEOUT", 60)
# Requests in flight get this long to finish on a restart or a deploy.
graceful_timeout = 30
# Idle kept-alive connections (from the proxy or a client) are closed after this many seconds.
keepalive = 5

# Request heads: bounded, so a hostile client cannot make a worker parse megabytes of headers.
# 8190 is gunicorn's ceiling; admin list filters make long query strings.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Recycle workers now and then, staggered, so a slow leak in a library never grows unbounded.
# Not too often: cached pages answer a thousand requests a second, and a worker that boots the
# application afresh holds its queued requests for a second or more.
max_requests = _int("GUNICORN_MAX_REQUESTS", 50000)
max_requests_jitter = max_requests // 10
# The application (Django, the search analyser's dictionary) is loaded once in the master and
# forked: a recycled worker is ready at once, and the workers share those pages of memory.
preload_app = True

# The heartbeat file on a RAM disk: on Docker's overlay file system a write can block for seconds
# and get a healthy worker killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# The proxy writes the access log; gunicorn logs errors to stderr.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
