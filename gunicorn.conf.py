"""Gunicorn settings, read when gunicorn runs in this checkout (README, production): threaded
workers, and the app is refused when its rate limits would be counted separately in each of
several workers."""

from __future__ import annotations

import gc
import sys
from typing import Any

#: Threaded workers answer from threads while the worker's own loop tells the master it is alive,
#: so a download that streams for minutes (the staff case list of a large database) is not killed
#: at the timeout, as a sync worker busy with one answer is. Command-line options (bench) win.
worker_class = "gthread"
threads = 4
#: gunicorn's exit status for a worker that cannot boot: the master then stops too.
WORKER_BOOT_ERROR = 3


def post_worker_init(worker: Any) -> None:
    """Stop the server if the app counts rate limits in memory under several workers; else move
    the loaded app's objects out of the collector's reach (`gc.freeze`): a worker holds some
    200,000 long-lived objects (modules, routes, compiled templates, forms, catalogs) that every
    full collection would otherwise walk again (an eighth of a self-check POST's CPU)."""
    from disputes.ratelimit import shared_store_problem

    app = worker.wsgi
    if "disputes.limiter" in getattr(app, "extensions", {}):
        problem = shared_store_problem(app, worker.cfg.workers)
        if problem:
            worker.log.error("refusing to start: %s", problem)
            sys.exit(WORKER_BOOT_ERROR)
    gc.collect()
    gc.freeze()
