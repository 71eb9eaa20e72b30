"""Module structure: every module imports on its own in a fresh interpreter (no import cycles),
and rooms import each other only in the house-style order (style.md §2)."""

from __future__ import annotations

import ast
import functools
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
}
#: The loose top-level modules serve the rooms; these few reach into one, and why. (The package
#: itself, create_app, loads every room.)
LOOSE_INTO_ROOMS = {
    # Flask-Login's user loader and the role gates read users and their session generation.
    "disputes.access": {"disputes.auth.models", "disputes.auth.queries", "disputes.auth.sessions"},
    # The rate limits key on the login typed and the number texted, as auth reads them, and wrap
    # auth's views.
    "disputes.ratelimit": {
        "disputes.auth.phone_verification",
        "disputes.auth.queries",
        "disputes.auth.two_factor",
        "disputes.auth.views",
    },
    # The one module that installs every session listener: the rooms' listeners are its list.
    "disputes.db_events": {
        "disputes.cases.uploads",
        "disputes.notifications.queue",
        "disputes.staff.rollup",
    },
    # A backup copies the upload folder, and checks it against the files the cases name.
    "disputes.backup": {"disputes.cases.uploads"},
    # The display filters and the assessment's words name the cases' vocabulary (N_, systems,
    # file kinds): a Flask-free module of words, not of behaviour.
    "disputes.formatting": {"disputes.cases.vocabulary"},
    "disputes.assessment_words": {"disputes.cases.vocabulary"},
}

#: Imports each module as the first of the project's to run (see its docstring).
PROBE = ROOT / "tests" / "support" / "import_probe.py"
PACKAGES = ("disputes", "rules")


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


@functools.cache
def imports_when_run(path: Path) -> frozenset[str]:
    """Return the project modules `path` imports as it runs (not inside its functions)."""
    return frozenset(
        name
        for name in imported_modules(path, in_functions=False)
        if name.split(".")[0] in PACKAGES and is_module(name)
    )


def module_path(name: str) -> Path:
    path = ROOT.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def runs_before(name: str) -> set[str]:
    """Return the project modules outside `name` that run before it: its package and what it
    imports as it runs, and for a package also what its own modules that it imports import."""
    found, todo, inside = set(), [name], {name}
    while todo:
        module = todo.pop()
        for other in imports_when_run(module_path(module)) | {module.rpartition(".")[0]} - {""}:
            if not f"{other}.".startswith(f"{name}."):
                found.add(other)
            elif other not in inside:
                inside.add(other)
                todo.append(other)
    return found


def in_import_order(modules: list[str]) -> list[str]:
    """Order `modules` so that each comes after the modules that run before it, as far as a
    cycle allows (the probe is exact in any order; in this one it finds each module's result in
    one interpreter)."""
    order: dict[str, None] = {}
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting:
            return
        visiting.add(name)
        for other in sorted(runs_before(name)):
            visit(other)
        visiting.discard(name)
        order[name] = None

    for name in modules:
        visit(name)
    wanted = set(modules)
    return [name for name in order if name in wanted]


def imported_modules(path: Path, *, in_functions: bool) -> set[str]:
    """Return every module `path` imports: at the top, and inside functions if `in_functions`."""
    found = set()
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
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
        elif in_functions or not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ):
            todo.extend(ast.iter_child_nodes(node))
    return found


def imports_of(path: Path) -> set[str]:
    """Return every disputes module `path` imports (at the top or inside a function)."""
    return {
        name
        for name in imported_modules(path, in_functions=True)
        if name.split(".")[0] == "disputes"
    }


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


def probe(folder: Path, packages: tuple[str, ...], modules: list[str]) -> dict[str, str]:
    """Run the import probe; return {module: last line of its error} for modules that fail."""
    request = {"path": str(folder), "packages": packages, "modules": modules}
    done = subprocess.run(
        [sys.executable, str(PROBE)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


def test_every_module_imports_on_its_own():
    modules = project_modules()

    assert len(modules) > 100
    assert probe(ROOT, PACKAGES, in_import_order(modules)) == {}


#: Two modules that import each other: `a` fails when it runs first (`b` needs its X before `a`
#: has it), `b` imports fine first. `c` fails wherever it runs; `d` fails first as `a` runs first.
CYCLE = {
    "__init__.py": "",
    "a.py": "from pkg import b\nX = 1\n",
    "b.py": "from pkg.a import X\n",
    "c.py": "import pkg.b\nraise RuntimeError('c is broken')\n",
    "d.py": "import pkg.a\n",
}


@pytest.mark.parametrize(
    ("order", "failing"),
    [
        # b imports a during its own turn: a then runs first in a child of its own, fails, and
        # so every module does (d, which imported a complete a in the sequence, fails too).
        (["pkg", "pkg.b", "pkg.a", "pkg.d"], {"pkg.a", "pkg.d"}),
        # a fails in the sequence: every module then runs first in a child of its own.
        (["pkg.a", "pkg.b", "pkg.c", "pkg.d"], {"pkg.a", "pkg.c", "pkg.d"}),
        (["pkg.c", "pkg.b", "pkg.a"], {"pkg.a", "pkg.c"}),
    ],
)
def test_the_probe_finds_a_module_that_fails_only_when_it_runs_first(tmp_path, order, failing):
    (tmp_path / "pkg").mkdir()
    for name, text in CYCLE.items():
        (tmp_path / "pkg" / name).write_text(text, encoding="utf-8")

    failed = probe(tmp_path, ("pkg",), order)

    assert set(failed) == failing
    assert "cannot import name 'X' from partially initialized module 'pkg.a'" in failed["pkg.a"]
    assert failed.get("pkg.c", "RuntimeError: c is broken") == "RuntimeError: c is broken"


def test_the_project_order_puts_each_module_after_its_package_and_imports():
    order = in_import_order(project_modules())

    assert sorted(order) == sorted(project_modules())
    assert order.index("disputes") < order.index("disputes.cases.models")
    assert order.index("disputes.db") < order.index("disputes.cases.models")
    assert order.index("rules.facts") < order.index("rules.engine")


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


def test_loose_modules_reach_into_rooms_only_where_listed():
    graph = import_graph()

    reached = {
        module: {name for name in imports if room_of(name)}
        for module, imports in graph.items()
        if module != "disputes" and room_of(module) is None
    }

    assert {module: rooms for module, rooms in reached.items() if rooms} == LOOSE_INTO_ROOMS


def test_no_exception_is_left_over():
    used = {
        (".".join(path.relative_to(ROOT).with_suffix("").parts), imported)
        for path in (ROOT / "disputes").rglob("*.py")
        for imported in imports_of(path)
    }

    assert ALLOWED - used == set()
