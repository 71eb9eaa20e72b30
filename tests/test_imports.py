"""Module structure: every module imports on its own in a fresh interpreter (no import cycles),
and rooms import each other only in the house-style order (style.md §2)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Room order, lowest first: a room may import the rooms before it, never those after it.
ROOM_ORDER = ("auth", "cases", "notices", "experts", "mediation", "business", "staff")
#: Rooms that sit on top of the ordered ones; no ordered room imports them. (privacy is
#: beside them all: its masking, metadata and access log serve every room.) The command line
#: and the demo data are on top too: they drive the rooms, and no room needs them.
TOP_ROOMS = frozenset({"account", "admin", "api", "public", "cli", "demo"})
#: What a room keeps to itself: another room may import its models, queries and services.
PRIVATE_MODULES = ("views", "forms")
#: Known exceptions: (importing module, imported module) and why.
ALLOWED = {
    # A business's registration is the consumer's registration form with the organisation added
    # (same fields, password rules and messages).
    ("disputes.business.account_forms", "disputes.auth.forms"),
    # One's own password change and two-factor forms use the same new-password and code fields
    # as registration, reset and the login (same rules shown, same messages).
    ("disputes.account.forms", "disputes.auth.forms"),
    # style.md §5: the self-check shares the filing wizard's forms instead of copying them.
    ("disputes.public.self_check", "disputes.cases.forms"),
    # The business's repair records (and staff recording them for it) reuse the wizard's visit rows.
    ("disputes.business.records_forms", "disputes.cases.forms"),
    # The consumer's case page lists the released opinions and the routed expert, and a case's
    # files open to its assigned expert: the one way from cases up into experts, imported on
    # first use (cases.queries._experts).
    ("disputes.cases.queries", "disputes.experts.queries"),
    # The consumer's timeline and answers section name the business's answer kinds, the
    # mediation's termination reasons and the notices' kinds as those rooms label them
    # (imported inside the functions that name them).
    ("disputes.cases.timeline", "disputes.business.answers"),
    ("disputes.cases.timeline", "disputes.mediation.models"),
    ("disputes.cases.timeline", "disputes.notices.models"),
    # Staff fill in a complaint they registered through the filing wizard's steps: the wizard's
    # list buttons (add or remove a repair visit) come from its forms.
    ("disputes.staff.intake_views", "disputes.cases.forms"),
}

#: Imports each module named on stdin in a forked child of an interpreter that has loaded the
#: third-party packages the project uses (found by a first child importing everything) but no
#: project module, and prints the ones that failed with their error.
_PROBE = r"""
import importlib, json, os, sys, traceback

OURS = ("disputes", "rules")


def in_child(names):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            for name in names:
                importlib.import_module(name)
            others = sorted(m for m in sys.modules if m.split(".")[0] not in OURS)
            os.write(write, json.dumps(others).encode())
        except BaseException:
            os.write(write, traceback.format_exc().encode())
            os._exit(1)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        output = pipe.read().decode()
    return os.waitpid(pid, 0)[1] == 0, output


modules = json.load(sys.stdin)
ok, loaded = in_child(modules)
for name in json.loads(loaded) if ok else ():
    try:
        importlib.import_module(name)
    except BaseException:
        pass
assert not [m for m in sys.modules if m.split(".")[0] in OURS]
failed = {}
for name in modules:
    ok, output = in_child([name])
    if not ok:
        failed[name] = output.strip().splitlines()[-1]
print(json.dumps(failed))
"""


def project_modules() -> list[str]:
    """Return the dotted names of every module in disputes/ and rules/ (no command-line mains)."""
    names = []
    for package in ("disputes", "rules"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__main__":
                continue
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def imports_of(path: Path) -> set[str]:
    """Return every disputes module `path` imports (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            # `from disputes.cases import views` imports the module disputes.cases.views,
            # `from disputes.cases.models import Case` the module disputes.cases.models.
            found |= {
                f"{node.module}.{alias.name}"
                if is_module(f"{node.module}.{alias.name}")
                else node.module
                for alias in node.names
            }
    return {name for name in found if name.split(".")[0] == "disputes"}


def import_graph() -> dict[str, set[str]]:
    """Map every disputes module to the disputes modules it imports."""
    graph = {}
    for path in sorted((ROOT / "disputes").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        graph[".".join(parts)] = imports_of(path)
    return graph


def cycles_between_rooms(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Return each import from one room into another that leads back to the importer."""

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for name in graph.get(todo.pop(), ()):
                if name == goal:
                    return True
                if name not in seen:
                    seen.add(name)
                    todo.append(name)
        return False

    return [
        (importer, imported)
        for importer, imports in graph.items()
        for imported in sorted(imports)
        if room_of(importer)
        and room_of(imported)
        and room_of(importer) != room_of(imported)
        and reaches(imported, importer)
    ]


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def room_of(module: str) -> str | None:
    """Return the room (a package directly under disputes/) that `module` belongs to."""
    parts = module.split(".")
    return (
        parts[1]
        if len(parts) > 1
        and is_module(".".join(parts[:2]))
        and (ROOT / "disputes" / parts[1] / "__init__.py").exists()
        else None
    )


def is_private(module: str) -> bool:
    last = module.split(".")[-1]
    return last in PRIVATE_MODULES or last.endswith("_views")


def violations(importer: str, imported: str) -> list[str]:
    """Name the house-style rules that `importer` importing `imported` breaks."""
    mine, theirs = room_of(importer), room_of(imported)
    if mine is None or theirs is None or mine == theirs or (importer, imported) in ALLOWED:
        return []
    broken = []
    if mine in ROOM_ORDER and theirs in TOP_ROOMS:
        broken.append(f"{mine} is below {theirs}")
    if (
        mine in ROOM_ORDER
        and theirs in ROOM_ORDER
        and ROOM_ORDER.index(theirs) > ROOM_ORDER.index(mine)
    ):
        broken.append(f"{mine} is below {theirs}")
    if is_private(imported):
        broken.append(f"{imported} belongs to {theirs}")
    if importer.split(".")[-1] == "models" and is_private(imported):
        broken.append("models import views")
    return broken


@pytest.mark.slow
def test_every_module_imports_on_its_own():
    modules = project_modules()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        input=json.dumps(modules),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )

    assert len(modules) > 100
    assert json.loads(done.stdout) == {}


def test_rooms_import_each_other_in_the_house_order():
    broken = {
        (importer, imported): problems
        for path in sorted((ROOT / "disputes").rglob("*.py"))
        for importer in [".".join(path.relative_to(ROOT).with_suffix("").parts)]
        for imported in sorted(imports_of(path))
        if (problems := violations(importer, imported))
    }

    assert broken == {}


def test_the_order_check_catches_upward_and_private_imports():
    assert violations("disputes.auth.views", "disputes.experts.queries")
    assert violations("disputes.cases.services", "disputes.staff.services")
    assert violations("disputes.experts.models", "disputes.admin.services")
    assert violations("disputes.staff.rollup", "disputes.demo.year")
    assert violations("disputes.experts.services", "disputes.cli.experts")
    assert violations("disputes.staff.views", "disputes.experts.forms")
    assert violations("disputes.staff.services", "disputes.cases.views")
    assert violations("disputes.experts.services", "disputes.cases.panel_views") != []
    assert violations("disputes.experts.services", "disputes.cases.queries") == []
    assert violations("disputes.admin.views", "disputes.experts.services") == []
    assert violations("disputes.cases.views", "disputes.public.self_check")
    assert violations("disputes.cases.views", "disputes.experts.queries")
    assert violations("disputes.cases.services", "disputes.experts.models")


def test_no_import_cycle_runs_through_two_rooms():
    assert cycles_between_rooms(import_graph()) == []


def test_the_cycle_check_catches_two_rooms_importing_each_other():
    graph = {
        "disputes.cases.queries": {"disputes.db", "disputes.experts.queries"},
        "disputes.experts.queries": {"disputes.cases.models"},
        "disputes.cases.models": {"disputes.cases.queries"},
    }

    assert cycles_between_rooms(graph) == [
        ("disputes.cases.queries", "disputes.experts.queries"),
        ("disputes.experts.queries", "disputes.cases.models"),
    ]


def test_no_exception_is_left_over():
    used = {
        (".".join(path.relative_to(ROOT).with_suffix("").parts), imported)
        for path in (ROOT / "disputes").rglob("*.py")
        for imported in imports_of(path)
    }

    assert ALLOWED - used == set()
