"""Live sites for the browser tests: an app over a file SQLite database, served on a free port."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server


def site_app(
    folder: Path, database: str, config: dict[str, Any] | None = None, *, instance: bool = True
) -> Any:
    """An app for a live site: a file SQLite database `database` and uploads in `folder`, rate
    limits off (every browser test logs in from 127.0.0.1; tests/auth covers them), passwords
    hashed cheaply as in every test app (scrypt's tenth of a second is paid by tests/auth),
    `config` on top; its instance folder in `folder` unless `instance` is false."""
    from disputes import create_app

    options = {"instance_path": str(folder / "instance")} if instance else {}
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / database}",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
        | (config or {}),
        **options,
    )


def load_demo(app: Any) -> None:
    """Create the tables and load the demo data into `app`'s database (not yet in use).

    The first site of a test process loads the demo through the real services (its cases are
    filed, routed and given opinions: seconds of work) and keeps a copy; later sites get the
    copy, the same rows. Every site has the same settings (site_app) and the demo stores no file.
    """
    from disputes import demo
    from disputes.db import db

    with app.app_context():
        database = Path(db.engine.url.database)
        if _DEMO_COPY.exists():
            db.engine.dispose()
            _copy_database(_DEMO_COPY, database)
            return
        db.create_all()
        demo.load()
        db.session.commit()
        db.session.remove()
        _DEMO_COPY.parent.mkdir(exist_ok=True)
        _copy_database(database, _DEMO_COPY)


#: The demo database of this test process, made by its first load_demo.
_DEMO_COPY = Path(tempfile.gettempdir()) / f"browser-demo-{os.getpid()}" / "demo.sqlite"
atexit.register(shutil.rmtree, _DEMO_COPY.parent, ignore_errors=True)


def _copy_database(source: Path, target: Path) -> None:
    """Copy an SQLite database with SQLite's backup (consistent whatever its journal holds)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _closing(app: Any) -> Callable[..., Iterator[bytes]]:
    """`app` whose response is closed as soon as it has been sent.

    Werkzeug's development server closes the response only after draining the socket, and a
    browser that resets the connection (a 304 for the favicon, a page left mid-load) makes that
    drain raise, so the open static file was left to the garbage collector and its
    ResourceWarning failed whichever test ran next."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        body: Iterable[bytes] = app(environ, start_response)
        try:
            yield from body
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


def serve(app: Any, name: str) -> tuple[str, Callable[[], None]]:
    """Serve `app` on 127.0.0.1:<free port> in a daemon thread; return (url, stop)."""
    from disputes.db import db

    server = make_server("127.0.0.1", 0, _closing(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()

    return f"http://127.0.0.1:{server.server_port}", stop


def log_in(page, live_server: str, login: str, password: str) -> None:
    """Sign in through the login page, as a person would."""
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("手机号或电子邮箱").fill(login)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
