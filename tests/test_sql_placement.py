"""Where SQL lives (docs/architecture.md, "Where SQL lives"), checked on the source's syntax tree.

Views and CLI commands run no statement of their own: they call a queries or services function
and commit or roll back. Any other module that builds or runs SQL is a queries, services or
models module by name, or says in the first line of its docstring that it is one under a domain
name: "Reads: ..." or "Writes: ..." (a writer may read the rows it writes).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "disputes"

#: Demo data loading is an operations package (bulk inserts of made-up cases), not a room.
OPERATIONS = ("demo",)

#: Statement constructors, whether called as db.X, sa.X, sqlalchemy.X or imported bare.
STATEMENTS = {"select", "insert", "update", "delete"}
#: Session calls that run a statement or load a row.
SESSION_READS = {"execute", "scalars", "scalar", "get", "get_one", "query"}
#: Session calls that write (the unit of work); only services flush.
SESSION_WRITES = {"add", "add_all", "delete", "merge", "flush"}
#: Flask-SQLAlchemy helpers that run a statement.
DB_HELPERS = {"paginate", "get_or_404", "one_or_404", "first_or_404"}


def _sqlalchemy_names(tree: ast.Module) -> set[str]:
    """The statement constructors the module imports bare from SQLAlchemy."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names |= {alias.asname or alias.name for alias in node.names} & STATEMENTS
    return names


def _is_db_session(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "session"
        and isinstance(node.value, ast.Name)
        and node.value.id == "db"
    )


def sql_calls(source: str, *, session_reads_by_id: bool = True) -> list[tuple[int, str]]:
    """Return (line, call) for every SQL statement built or run in `source`.

    `session_reads_by_id=False` leaves out db.session.get/get_one (a row by primary key, from
    the identity map when the session holds it), which the object loaders of concept modules use.
    """
    tree = ast.parse(source)
    bare = _sqlalchemy_names(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "query"
            and isinstance(node.value, ast.Name)
            and node.value.id[:1].isupper()
        ):
            found.append((node.lineno, f"{node.value.id}.query"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in bare:
            found.append((node.lineno, func.id))
        elif isinstance(func, ast.Attribute):
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in ("db", "sa", "sqlalchemy"):
                if func.attr in STATEMENTS or (owner.id == "db" and func.attr in DB_HELPERS):
                    found.append((node.lineno, f"{owner.id}.{func.attr}"))
            elif (
                _is_db_session(owner)
                and func.attr in SESSION_READS
                and (session_reads_by_id or func.attr not in ("get", "get_one"))
            ):
                found.append((node.lineno, f"db.session.{func.attr}"))
    return sorted(found)


def session_writes(source: str) -> list[tuple[int, str]]:
    """Return (line, call) for every db.session add/delete/merge/flush in `source`."""
    return sorted(
        (node.lineno, f"db.session.{node.func.attr}")
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and _is_db_session(node.func.value)
        and node.func.attr in SESSION_WRITES
    )


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


VIEWS_AND_CLI = sorted(
    [*PACKAGE.rglob("*views.py"), *(PACKAGE / "cli").glob("*.py")], key=lambda p: p.as_posix()
)


@pytest.mark.parametrize("path", VIEWS_AND_CLI, ids=_rel)
def test_views_and_cli_run_no_sql_of_their_own(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert sql_calls(source) + session_writes(source) == []


def _declares_kind(tree: ast.Module) -> bool:
    doc = ast.get_docstring(tree) or ""
    return doc.startswith(("Reads: ", "Writes: "))


def _named_for_sql(path: Path) -> bool:
    stem = path.stem
    return stem in ("queries", "services", "models") or stem.endswith(
        ("_queries", "_services", "_models")
    )


def test_every_module_with_sql_is_a_queries_services_or_models_module_or_says_which() -> None:
    undeclared = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] in OPERATIONS or _named_for_sql(path) or path in VIEWS_AND_CLI:
            continue
        source = path.read_text(encoding="utf-8")
        if sql_calls(source, session_reads_by_id=False) and not _declares_kind(ast.parse(source)):
            undeclared.append(_rel(path))
    assert undeclared == []


def test_the_check_sees_a_select_put_back_into_a_view() -> None:
    source = (PACKAGE / "staff" / "routing_views.py").read_text(encoding="utf-8")
    planted = source + "\n\ndef _planted(case_id):\n    return db.session.scalar(db.select(Case))\n"
    assert sql_calls(source) == []
    assert {call for _, call in sql_calls(planted)} == {"db.session.scalar", "db.select"}
