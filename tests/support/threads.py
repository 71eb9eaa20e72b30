"""Threads released at once by a barrier, for the race tests (on `threaded_app`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from flask import Flask

from disputes.db import db


def run_together(
    work: Callable[[int], Any], n: int, app: Flask | None = None
) -> tuple[list[Any], list[BaseException]]:
    """Run work(0..n-1) in n threads released at once; return (results, errors).

    With `app`, each thread enters an app context before the release and removes its session
    afterwards, so every thread works on a connection of its own.
    """
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            with app.app_context() if app else nullcontext():
                barrier.wait()
                results[i] = work(i)
        except BaseException as error:  # noqa: BLE001  (reported by the test)
            errors.append(error)
        finally:
            if app:
                with app.app_context():
                    db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors
