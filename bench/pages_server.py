"""The server and the load of the page benchmark (bench/pages.py): the site under gunicorn in
the production settings on loopback, wrk against it, and plain fetches for warming up."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "pages.lua"
WRK = os.environ.get("WRK", "wrk")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_command(port):
    """gunicorn with the project's gunicorn.conf.py when there is one, else 3 sync workers
    (the Dockerfile's command); bound to loopback either way (the command line wins)."""
    command = [str(Path(sys.executable).with_name("gunicorn"))]
    conf = ROOT / "gunicorn.conf.py"
    if conf.exists():
        command += ["-c", str(conf)]
    else:
        command += ["--workers", "3"]
    return command + ["--bind", f"127.0.0.1:{port}", "bulletin.wsgi:application"]


class Server:
    """gunicorn started by this benchmark, stopped by its process id."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = gunicorn_command(self.port)
        self.env, self.log_path = env, log_path
        self.process = None

    def start(self, timeout=60):
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.process.returncode}); see {self.log_path}"
                )
            try:
                status, _, _ = fetch(self.base + "/robots.txt", timeout=5)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the master stops its own workers
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()

    def workers(self):
        """The server's worker processes now (children of the master)."""
        try:
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                                 capture_output=True, text=True).stdout  # fmt: skip
            return len(out.split())
        except OSError:
            return None


def fetch(url, timeout=60):
    """(status, headers, body) of a GET with the headers wrk sends."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def drain(base, limit=180):
    """Wait until the server has worked off requests wrk left queued (a client that gave up
    does not take its request back): until a trivial page answers at once. Seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        asked = time.monotonic()
        try:
            fetch(base + "/robots.txt", timeout=limit)
        except OSError:
            pass
        if time.monotonic() - asked < 0.25:
            break
    return round(time.monotonic() - started, 1)


def fetch_all(base, paths, parallel=3):
    """Fetch every path once (fills caches as a reader would); {path: status} of the failures."""

    def one(path):
        try:
            return path, fetch(base + path)[0]
        except OSError as error:
            return path, str(error)

    with ThreadPoolExecutor(parallel) as pool:
        return {p: s for p, s in pool.map(one, paths) if not (isinstance(s, int) and s < 400)}


def wrk(base, paths, *, connections, seconds, bust=False, timeout=30):
    """One wrk run over ``paths``: requests/s, latency percentiles in ms, errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    try:
        threads = 1 if connections == 1 else 2
        command = [
            WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s",
            "-s", str(LUA), base, "--", f.name, "1" if bust else "0", str(time.time_ns()),
        ]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    line = next(line for line in out.splitlines() if line.startswith("PAGEBENCH "))
    raw = json.loads(line.removeprefix("PAGEBENCH "))
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["errors"]
    # No answer within the run: no latency to report (wrk's would read 0).
    latency = {k: v / 1000 if raw["requests"] else None for k, v in raw["latency_us"].items()}
    return {
        "connections": connections,
        "seconds": round(seconds_run, 2),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        **{f"{k}_ms": latency[k] for k in ("p50", "p90", "p95", "p99", "max")},
        "bytes_per_response": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
        "errors": errors,
        "error_count": sum(errors.values()),
    }


def wrk_version():
    try:
        out = subprocess.run([WRK, "-v"], capture_output=True, text=True)
        return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0]
    except (OSError, IndexError):
        return "?"
