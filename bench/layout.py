"""`python -m bench.layout`: what the page frame (base.html) costs each kind of reader, with the
fragments kept (as served) and with every fragment drawn anew (the store emptied before each
render), in one process.

Template time on its own, apart from the statements and the request: the issue's "measure
template time separately". The two ways alternate round by round, and each keeps its best
round, so a host that speeds up or slows down during the run weighs on both alike.

    python -m bench.layout --rounds 15
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import timeit
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, g, render_template
from flask_login import login_user

from disputes import create_app
from disputes.auth.models import Role, User

#: (reader, endpoint path of the request the layout is drawn for, role or None for a visitor).
READERS = (
    ("visitor", "/", None),
    ("consumer", "/cases/1/receipt", Role.consumer),
    ("staff", "/staff/cases", Role.staff),
)


@dataclass(frozen=True)
class Timing:
    """Best microseconds per render of base.html, kept and drawn anew."""

    reader: str
    kept_us: float
    drawn_us: float


@contextmanager
def _reader_request(app: Flask, path: str, role: Role | None) -> Iterator[None]:
    """A request to `path` by a signed-in reader of `role` (a visitor when None). The reader is
    an account object never stored: the layout reads its name and role, and the unread count
    the user loader would have put on `g`."""
    with app.test_request_context(path):
        app.preprocess_request()
        if role is not None:
            login_user(User(id=1, role=role, name="测试用户", is_active=True, session_generation=0))
            g.unread_notifications = 3
        yield


def measure(app: Flask, rounds: int, number: int) -> list[Timing]:
    """Time base.html for each reader: `rounds` alternating rounds of `number` renders."""
    store = app.extensions["disputes.fragments"]
    timings = []
    for reader, path, role in READERS:
        with _reader_request(app, path, role):

            def kept() -> object:
                return render_template("base.html")

            def drawn() -> object:
                store.clear()
                return render_template("base.html")

            kept()
            best = {"kept": float("inf"), "drawn": float("inf")}
            for _ in range(rounds):
                for name, render in (("kept", kept), ("drawn", drawn)):
                    seconds = timeit.timeit(render, number=number)
                    best[name] = min(best[name], seconds / number * 1e6)
            store.clear()
        timings.append(Timing(reader, best["kept"], best["drawn"]))
    return timings


def table(timings: list[Timing]) -> str:
    """The timings as a Markdown table."""
    lines = [
        "| reader | every fragment drawn | fragments kept | ratio |",
        "|---|---:|---:|---:|",
    ]
    for t in timings:
        lines.append(
            f"| {t.reader} | {t.drawn_us:,.0f} µs | {t.kept_us:,.0f} µs | "
            f"{t.kept_us / t.drawn_us:.2f}× |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layout", description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds (best kept)")
    parser.add_argument("--number", type=int, default=200, help="renders per round")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as instance:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench-layout"},
            instance_path=instance,
        )
        print(table(measure(app, args.rounds, args.number)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
