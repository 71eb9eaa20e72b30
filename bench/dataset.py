"""The benchmark's database: generated once per (cases, seed, schema, generator), then copied.

SQLite: the generated file is cached in instance/bench/ under a name made of that key, and each
run works on a copy (filing adds cases; the cache stays as generated). PostgreSQL: the generated
database `bench_cache_<key>` is kept and each run gets `bench_run`, created from it as a template.
The test schemas of the PostgreSQL server are never touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bench.server import ROOT

CACHE = ROOT / "instance" / "bench"
#: The PostgreSQL server of the development machine (its `test` database holds test schemas).
POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
#: Each run works on its own copy, so a smoke test may run beside a full benchmark.
RUN_NAME = f"bench_run_{os.getpid()}"


@dataclass(frozen=True)
class Dataset:
    """A database ready for a run, and how it came to be."""

    url: str
    cases: int
    seed: int
    key: str
    #: Seconds spent generating (0.0 when the cache was used), and the generator's row counts.
    generate_seconds: float
    counts: dict


def generator_code() -> str:
    """Return a short hash of the generator's code and of the statistics tallies it counts with
    the app's code (a change means generating anew)."""
    digest = hashlib.sha256()
    for path in [*sorted((ROOT / "bench").glob("datagen*.py")), ROOT / "disputes/staff/rollup.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def cache_key(cases: int, seed: int) -> str:
    """Return the key of a generated data set: its size, seed, schema head and generator code."""
    head = "-".join(sorted(ScriptDirectory(str(ROOT / "migrations")).get_heads()))
    return f"{cases}-s{seed}-{head}-g{generator_code()}"


def _stale(name: str) -> bool:
    """Tell whether `name` is the working copy of a run whose process has ended."""
    pid = name.removeprefix("bench_run_").split("_", 1)[0]
    return name.startswith("bench_run_") and pid.isdigit() and not Path(f"/proc/{pid}").exists()


def migrate(url: str) -> None:
    """Bring the schema at `url` to the head revision (`flask db upgrade`), in this process: the
    generator loads the app here anyway, and a `flask` process would start it again (3-4 s)."""
    from disputes import create_app
    from disputes.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        try:
            upgrade_in_process()
        except (CommandError, SQLAlchemyError) as error:
            raise RuntimeError(f"migration failed: {error}") from error
        finally:
            db.engine.dispose()


def upgrade_in_process() -> None:
    """`flask db upgrade` for the current app, leaving this process's logging as it is (the
    migrations' env.py would otherwise apply alembic.ini's, which logs every revision)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def _generate(url: str, cases: int, seed: int, say: Callable[[str], None]) -> dict:
    from bench import datagen

    return datagen.generate(url, cases, seed, progress=say)


def prepare(
    db: str, cases: int, seed: int, say: Callable[[str], None] = print, cache: Path = CACHE
) -> Dataset:
    """Return a fresh working copy of the generated data set on `db` ("sqlite"/"postgresql")."""
    if db == "sqlite":
        return _prepare_sqlite(cases, seed, say, cache)
    if db == "postgresql":
        return _prepare_postgresql(cases, seed, say)
    raise ValueError(f"unknown database kind {db!r}")


def _prepare_sqlite(cases: int, seed: int, say: Callable[[str], None], cache: Path) -> Dataset:
    cache.mkdir(parents=True, exist_ok=True)
    key = cache_key(cases, seed)
    cached = cache / f"cases-{key}.sqlite"
    seconds, counts = 0.0, {}
    building = cached.with_suffix(f".building-{os.getpid()}")
    url = f"sqlite:///{building}"
    older = sorted(cache.glob(f"cases-{cases}-s{seed}-*-g{generator_code()}.sqlite"))
    if not cached.exists() and older:
        # Same data, older schema: migrate a copy forward instead of generating it again.
        say(f"migrating the cached {older[-1].name} to the schema head ...")
        shutil.copyfile(older[-1], building)
        try:
            migrate(url)
            _checkpoint(url)
            building.rename(cached)
            older[-1].unlink()
        except RuntimeError as error:
            say(f"migration failed, generating anew: {error}")
            building.unlink()
    if not cached.exists():
        say(f"generating {cases:,} cases on SQLite (cached as {cached.name}) ...")
        migrate(url)
        started = time.perf_counter()
        counts = _generate(url, cases, seed, say)
        seconds = time.perf_counter() - started
        _checkpoint(url)
        building.rename(cached)
        for other in cache.glob(f"cases-{cases}-s{seed}-*.sqlite"):
            if other != cached:  # made by an older generator: never used again
                other.unlink()
    for old in cache.glob("bench_run_*"):
        if _stale(old.name):
            old.unlink()
    working = cache / f"{RUN_NAME}_{cases}.sqlite"
    shutil.copyfile(cached, working)
    return Dataset(f"sqlite:///{working}", cases, seed, key, seconds, counts)


def _checkpoint(url: str) -> None:
    """Fold the WAL into the file so one file is the whole database (it is copied per run)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()


def _server_url(database: str) -> str:
    base = make_url(os.environ.get("BENCH_POSTGRESQL_URL", POSTGRESQL_URL))
    return base.set(database=database).render_as_string(hide_password=False)


def _admin() -> sa.Engine:
    return sa.create_engine(_server_url("postgres"), isolation_level="AUTOCOMMIT")


def _prepare_postgresql(cases: int, seed: int, say: Callable[[str], None]) -> Dataset:
    key = cache_key(cases, seed)
    working = f"{RUN_NAME}_{cases}"
    family = f"bench_cache_{cases}_{seed}_"
    cache_db = family + generator_code()
    admin = _admin()
    seconds, counts = 0.0, {}
    try:
        with admin.connect() as conn:
            names = set(conn.exec_driver_sql("SELECT datname FROM pg_database").scalars())
        stored = _stored_key(_server_url(cache_db)) if cache_db in names else None
        if stored is not None and stored != key:
            # Same generator, older schema: migrate the cached database forward.
            say(f"migrating the cached database {cache_db} to the schema head ...")
            migrate(_server_url(cache_db))
            _mark_complete(_server_url(cache_db), key)
            stored = key
        if stored != key:
            say(f"generating {cases:,} cases on PostgreSQL (cached as database {cache_db}) ...")
            with admin.connect() as conn:
                for name in names:
                    if name.startswith(family):
                        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
                conn.exec_driver_sql(f'CREATE DATABASE "{cache_db}"')
            url = _server_url(cache_db)
            migrate(url)
            started = time.perf_counter()
            counts = _generate(url, cases, seed, say)
            _vacuum(url, say)
            seconds = time.perf_counter() - started
            _mark_complete(url, key)
        with admin.connect() as conn:
            for name in filter(_stale, names):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{working}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{working}" TEMPLATE "{cache_db}"')
    finally:
        admin.dispose()
    return Dataset(_server_url(working), cases, seed, key, seconds, counts)


def _vacuum(url: str, say: Callable[[str], None]) -> None:
    """VACUUM (ANALYZE) the freshly loaded database, as autovacuum has done by the time a database
    of this size is in use: until then no page is marked all-visible, so an index-only scan reads
    the table too (at 1,000,000 cases the staff list's count by brand took 37 ms, then 5)."""
    say("vacuuming (the visibility map a database in use has) ...")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    finally:
        engine.dispose()


def _stored_key(url: str) -> str | None:
    """Return the key a completed cache database was marked with, or None."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT key FROM bench_meta").scalar()
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()


def _mark_complete(url: str, key: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_meta (key VARCHAR(200) NOT NULL)")
        conn.exec_driver_sql("DELETE FROM bench_meta")
        conn.exec_driver_sql("INSERT INTO bench_meta (key) VALUES (%(key)s)", {"key": key})
    engine.dispose()


def drop_run(dataset: Dataset) -> None:
    """Remove the run's working copy (the cache stays)."""
    url = make_url(dataset.url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        for part in path.parent.glob(f"{path.name}*"):
            part.unlink()
        return
    admin = _admin()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    admin.dispose()
