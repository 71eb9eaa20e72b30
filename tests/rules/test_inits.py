"""The rules dataclasses write their ``__init__`` out by hand (mypyc compiles a written one to plain
stores); each must take exactly its fields, in their order, and store each one in its field.

Read from the source, so the same checks hold when the compiled engine is loaded."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import rules

#: Modules that are not the engine's (the CLI, the build, the loader of the build).
SKIPPED_MODULES = {"__main__", "native", "native_build"}
#: Fields a written ``__init__`` sets itself instead of taking them (a per-assessment cache).
SET_BY_INIT = {"rules.context.Context": {"memo"}}


def _written_inits() -> list[type]:
    classes = []
    for info in pkgutil.iter_modules(rules.__path__):
        if info.name in SKIPPED_MODULES:
            continue
        module = importlib.import_module(f"rules.{info.name}")
        classes += [
            cls
            for cls in vars(module).values()
            if inspect.isclass(cls)
            and cls.__module__ == module.__name__
            and dataclasses.is_dataclass(cls)
            and not cls.__dataclass_params__.init  # type: ignore[attr-defined]
        ]
    return classes


WRITTEN = _written_inits()


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _taken(cls: type) -> list[str]:
    """The fields the ``__init__`` should take: all but those it sets itself."""
    own = SET_BY_INIT.get(_name(cls), set())
    return [f.name for f in dataclasses.fields(cls) if f.name not in own]


def test_the_facts_and_the_assessment_classes_are_all_found():
    names = {_name(cls) for cls in WRITTEN}

    assert {"rules.facts.Facts", "rules.facts.Event", "rules.assessment.Assessment"} <= names


def _written_init(cls: type) -> ast.FunctionDef:
    """The class's ``__init__`` as written in its source (the compiled class has no signature)."""
    source = Path(rules.__file__).parent / f"{cls.__module__.rpartition('.')[2]}.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__qualname__:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    return item
    raise AssertionError(f"{_name(cls)} has no written __init__")


def _stored(init: ast.FunctionDef) -> dict[str, str]:
    """Each field the ``__init__`` stores a bare name in, with that name."""
    stored = {}
    for node in ast.walk(init):
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) == "object.__setattr__"
            and len(node.args) == 3
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[2], ast.Name)
        ):
            stored[node.args[1].value] = node.args[2].id
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Attribute)
            and ast.unparse(node.targets[0].value) == "self"
            and isinstance(node.value, ast.Name)
        ):
            stored[node.targets[0].attr] = node.value.id
    return stored


@pytest.mark.parametrize("cls", WRITTEN, ids=_name)
def test_the_written_init_takes_the_fields_in_their_order(cls):
    arguments = _written_init(cls).args
    written = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    parameters = [a.arg for a in written][1:]

    assert parameters == _taken(cls)


@pytest.mark.parametrize("cls", WRITTEN, ids=_name)
def test_the_written_init_stores_each_argument_in_its_field(cls):
    stored = _stored(_written_init(cls))

    assert {name: stored.get(name) for name in _taken(cls)} == {name: name for name in _taken(cls)}
