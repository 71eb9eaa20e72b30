"""Bulk writers of the data generator: tuples in, rows out, by the fastest path of each backend.

SQLite: executemany with the journal and fsync off; PostgreSQL: COPY FROM STDIN. Both drop the
secondary indexes of the loaded tables first and rebuild them (and ANALYZE) at the end.
Values arrive in storage format: dates and times as text, booleans, numbers, JSON as text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

#: Day 0 of the day numbers the generator works in.
EPOCH = date(2010, 1, 1)
#: 'YYYY-MM-DD' of every day number (formatting through a table is much faster than strftime).
_DAY_TEXT: list[str] = [(EPOCH + timedelta(days=n)).isoformat() for n in range(365 * 25)]


def _day(n: int) -> str:
    """Return day number `n` (days since EPOCH) as 'YYYY-MM-DD'."""
    return _DAY_TEXT[n]


def _moment(seconds: int) -> str:
    """Return `seconds` since EPOCH (UTC) in SQLAlchemy's storage format (microseconds too)."""
    d, s = divmod(seconds, 86_400)
    return f"{_DAY_TEXT[d]} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000"


def _storage(value: Any) -> Any:
    """Turn a model default into what both databases accept as a parameter."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    if hasattr(value, "value"):
        return value.value
    return value


# --- writers --------------------------------------------------------------------------------------


class Writer:
    """Bulk rows into one database; subclasses know the fastest way for their backend."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.raw = engine.raw_connection()
        self.metadata = _metadata()
        self.counts: dict[str, int] = {}
        self.dropped: list[str] = []

    def rows(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """Write `rows` (tuples of `columns`), adding constant values for any other column."""
        if not rows:
            return
        extra_cols, extra_vals = self._constants(table, columns)
        if extra_cols:
            columns = (*columns, *extra_cols)
            rows = [row + extra_vals for row in rows]
        self._write(table, columns, rows)
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def _constants(self, table: str, given: Sequence[str]) -> tuple[tuple[str, ...], tuple]:
        """Columns the generator leaves out that are NOT NULL: their model default, once."""
        names, values = [], []
        for column in self.metadata.tables[table].columns:
            if column.name in given or column.nullable or column.server_default is not None:
                continue
            if column.default is None:
                raise RuntimeError(f"{table}.{column.name} is NOT NULL and has no default")
            arg = column.default.arg
            value = arg(None) if callable(arg) else arg
            names.append(column.name)
            values.append(_storage(value))
        return tuple(names), tuple(values)

    def max_id(self, table: str) -> int:
        """Return the highest id `table` ever handed out (ids of deleted rows are not reused)."""
        return int(self.query(self._max_id_sql(table))[0][0])

    def _max_id_sql(self, table: str) -> str:
        return f"SELECT COALESCE(MAX(id), 0) FROM {table}"  # noqa: S608

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cursor = self.raw.cursor()
        cursor.execute(self._params(sql), tuple(params))
        rows = cursor.fetchall()
        cursor.close()
        return rows

    def _params(self, sql: str) -> str:
        return sql

    def commit(self) -> None:
        self.raw.commit()

    def _write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        raise NotImplementedError

    def begin_load(self) -> None:
        """Make the database ready for a bulk load (drop secondary indexes, relax durability)."""

    def end_load(self) -> None:
        """Rebuild what begin_load took away and make the data durable."""

    def close(self) -> None:
        self.raw.close()


class SqliteWriter(Writer):
    """executemany on sqlite3, with the journal and fsync off while loading."""

    def max_id(self, table: str) -> int:
        """Return the highest id ever given: AUTOINCREMENT tables keep it in sqlite_sequence."""
        highest = super().max_id(table)
        if self.query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"):
            seq = self.query("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            highest = max(highest, int(seq[0][0]) if seq else 0)
        return highest

    def _params(self, sql: str) -> str:
        return sql.replace("%s", "?")

    def _write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        marks = ", ".join("?" * len(columns))
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        self.raw.executemany(sql, rows)

    def begin_load(self) -> None:
        self.raw.commit()
        cursor = self.raw.cursor()
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-262144")
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (" + ", ".join("?" * len(LOADED)) + ")",
            LOADED,
        )
        self._indexes = cursor.fetchall()
        for name, _sql in self._indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        self.dropped = [name for name, _sql in self._indexes]
        cursor.close()

    def end_load(self) -> None:
        cursor = self.raw.cursor()
        for _name, sql in self._indexes:
            cursor.execute(sql)
        self.raw.commit()
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        self.raw.commit()


class PostgresWriter(Writer):
    """COPY FROM STDIN through psycopg, secondary indexes dropped during the load."""

    def _max_id_sql(self, table: str) -> str:
        last = f"pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id'))"
        return f"SELECT GREATEST(COALESCE(MAX(id), 0), COALESCE({last}, 0)) FROM {table}"  # noqa: S608

    def _write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        cursor = self.raw.cursor()
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.close()

    def begin_load(self) -> None:
        self._indexes = self.query(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
            "AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = i.schemaname))",
            [list(LOADED)],
        )
        cursor = self.raw.cursor()
        cursor.execute("SET synchronous_commit = off")
        # Skip the per-row foreign-key triggers; tests/test_datagen.py checks integrity instead.
        cursor.execute("SET session_replication_role = replica")
        for name, _sql in self._indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        self.dropped = [name for name, _sql in self._indexes]
        cursor.close()

    def end_load(self) -> None:
        cursor = self.raw.cursor()
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, sql in self._indexes:
            cursor.execute(sql)
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in LOADED:
            # Rows came with explicit ids: move each id sequence past them.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table} "
                f"HAVING MAX(id) > COALESCE(pg_sequence_last_value(pg_get_serial_sequence("
                f"'{table}', 'id')), 0)"
            )
            cursor.execute(f"ANALYZE {table}")
        cursor.close()
        self.raw.commit()


#: Tables the generator writes to (their secondary indexes are rebuilt after the load).
LOADED = (
    "organisations",
    "users",
    "experts",
    "expert_specialties",
    "expert_affiliations",
    "cases",
    "problems",
    "repair_events",
    "replaced_parts",
    "case_clocks",
    "assignments",
    "opinions",
    "outcome_records",
    "audit_events",
    "notifications",
)


def _metadata() -> sa.MetaData:
    """Return the models' metadata (imports every model module)."""
    from disputes import import_models
    from disputes.db import db

    import_models()

    return db.metadata


def writer_for(url: str) -> Writer:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    return (SqliteWriter if engine.dialect.name == "sqlite" else PostgresWriter)(engine)
