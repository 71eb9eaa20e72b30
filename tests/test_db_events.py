"""Every SQLAlchemy listener is registered by disputes/db_events.py, once, and only by create_app.

Listeners are global to the process: registering one at import would switch it on for whoever
imports the module, and registering it again on each create_app would run it twice.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from disputes import db_events

ROOT = Path(__file__).resolve().parents[1]
#: Besides db_events.py, only db.py and write_gate.py register listeners: on connections and
#: engines (SQLite pragmas, lock timeouts, SQLite's write gate), not on sessions or models.
CONNECTION_SETUP = (ROOT / "disputes" / "db.py", ROOT / "disputes" / "write_gate.py")

_REGISTRATIONS = """
import json, sys
from sqlalchemy import event
from sqlalchemy.orm import Session
from disputes import create_app, db_events

def counts():
    out = []
    for target, name, listener in db_events.LISTENERS:
        if target is Session:
            out.append(list(getattr(Session().dispatch, name)).count(listener))
        else:
            out.append(len(list(getattr(target.__mapper__.dispatch, name))))
    return out

imported = [event.contains(t, n, f) for t, n, f in db_events.LISTENERS]
config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "test"}
create_app(config, instance_path=sys.argv[1])
once = counts()
create_app(config, instance_path=sys.argv[1])
print(json.dumps({"imported": imported, "once": once, "twice": counts()}))
"""


def test_create_app_registers_each_listener_once_and_importing_registers_none(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _REGISTRATIONS, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    names = [f"{listener.__module__}.{listener.__name__}" for *_, listener in db_events.LISTENERS]

    assert dict(zip(names, found["imported"], strict=True)) == dict.fromkeys(names, False)
    assert dict(zip(names, found["once"], strict=True)) == dict.fromkeys(names, 1)
    assert dict(zip(names, found["twice"], strict=True)) == dict.fromkeys(names, 1)


def test_the_audit_lock_is_taken_before_the_flush_listener_that_writes():
    flush = [
        listener.__name__ for _, name, listener in db_events.LISTENERS if name == "before_flush"
    ]

    assert flush == ["lock_before_first_write", "mark_dirty_days"]


def test_the_module_docstring_lists_every_listener():
    doc = db_events.__doc__ or ""
    missing = [
        f"{listener.__module__.rsplit('.', 1)[-1]}.{listener.__name__}"
        for *_, listener in db_events.LISTENERS
        if f"{listener.__module__.rsplit('.', 1)[-1]}.{listener.__name__}" not in doc
    ]

    assert missing == []


def _registrations(path: Path) -> list[int]:
    """Lines of `path` that call (sa.)event.listen or (sa.)event.listens_for."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("listen", "listens_for")
        and ast.unparse(node.func.value) in ("event", "sa.event", "sqlalchemy.event")
    ]


def test_no_other_module_registers_a_listener():
    elsewhere = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "disputes").rglob("*.py"))
        if path not in (ROOT / "disputes" / "db_events.py", *CONNECTION_SETUP)
        and (lines := _registrations(path))
    }

    assert elsewhere == {}
