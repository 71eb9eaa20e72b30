"""Import every module of the project in an interpreter where it is the first of its modules to run.

Run by tests/test_imports.py as ``python tests/support/import_probe.py`` with JSON on stdin:
``{"path": folder to import from, "packages": top-level package names, "modules": names in
order}``. Prints ``{module: last line of its error}`` for those that fail to import.

A forked child per module, of an interpreter that holds the third-party packages but no module of
the project, costs about 0.17 s (SQLAlchemy mapping the models the module pulls in): 36 s for the
project's 216. So a child first imports the modules in turn, in the order given (a module's
imports before it). A module whose turn it is runs as it would first in a fresh interpreter, as far
as its own code goes: all that is loaded is complete, and none of it imports the module (it would
have been loaded then). So do the modules of its own package that it loads: it would run before
them anyway. A module that ran under another one (loaded by it, while it was half-run) is imported
again in a new sequence, up to PASSES, then in a child of its own; a cycle that fails in one order
fails in one of these. An import that fails in a sequence or in such a child sends every module to
a child of its own, so the failures reported are the ones a child per module finds (one that
imports a broken module first fails too).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable

#: Sequences run before each module still unchecked gets a child of its own.
PASSES = 3


def in_child(work: Callable[[], object]) -> tuple[bool, str]:
    """Run `work` in a forked child; return whether it succeeded and the text it returned (or
    the traceback)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            returned, code = work(), 0
            output = returned if isinstance(returned, str) else ""
        except BaseException:
            output, code = traceback.format_exc(), 1
        with os.fdopen(write, "wb") as pipe:
            pipe.write(output.encode())
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        output = pipe.read().decode()
    return os.waitpid(pid, 0)[1] == 0, output


def loaded(packages: tuple[str, ...]) -> set[str]:
    """The modules of `packages` this interpreter has loaded."""
    return {name for name in sys.modules if name.split(".")[0] in packages}


def import_in_turn(modules: list[str], packages: tuple[str, ...]) -> str:
    """Import `modules` one after the other, each after its packages; return as JSON the modules
    that ran while another one was half-run, whether an import failed, and the third-party
    modules loaded (the sequence goes on after a failure, to load them all).

    In each turn one module runs with everything loaded before it complete. What runs under it
    runs as it would first, if it belongs to the module's package: its packages run before it."""
    under_others: set[str] = set()
    failed = False
    for name in modules:
        parts = name.split(".")
        for turn in (".".join(parts[:i]) for i in range(1, len(parts) + 1)):
            if turn in sys.modules:
                continue
            before = loaded(packages)
            try:
                importlib.import_module(turn)
            except BaseException:
                failed = True
                break
            under_others |= {
                other
                for other in loaded(packages) - before - {turn}
                if not other.startswith(f"{turn}.")
            }
    third_party = sorted(name for name in sys.modules if name.split(".")[0] not in packages)
    return json.dumps(
        {"under_others": sorted(under_others), "failed": failed, "third_party": third_party}
    )


def failing_first(modules: list[str]) -> dict[str, str]:
    """Import each of `modules` in a child of its own; return {module: last line of its error}."""
    failed = {}
    for name in modules:
        ok, error = in_child(functools.partial(importlib.import_module, name))
        if not ok:
            failed[name] = error.strip().splitlines()[-1]
    return failed


def main() -> None:
    request = json.load(sys.stdin)
    sys.path.insert(0, request["path"])
    packages, modules = tuple(request["packages"]), request["modules"]
    pending = modules
    for sequence in range(PASSES):
        ok, output = in_child(functools.partial(import_in_turn, pending, packages))
        result = json.loads(output) if ok else {"failed": True, "third_party": []}
        if sequence == 0:
            for name in result["third_party"]:
                with contextlib.suppress(BaseException):  # one that imports only on some platform
                    importlib.import_module(name)
            assert not loaded(packages), "a third-party module imported the project"
        if result["failed"]:
            pending = modules
            break
        under_others = set(result["under_others"])
        pending = [name for name in pending if name in under_others]
        if not pending:
            break
    failed = failing_first(pending)
    if failed and pending != modules:
        # A module that fails first also fails every module that imports it first: name them all.
        failed = failing_first(modules)
    print(json.dumps(failed))


if __name__ == "__main__":
    main()
