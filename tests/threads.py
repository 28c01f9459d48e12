"""Running test code in several threads at once, as several web workers or cron runs would."""

import threading

from django.db import connections as db_connections


def run_in_threads(worker, count):
    """Run worker(0) … worker(count - 1) at once, each in a thread; the exceptions they raised."""
    errors = []

    def guarded(n):
        try:
            worker(n)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            db_connections.close_all()  # this thread's own; left open they block teardown

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
