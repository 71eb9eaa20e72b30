"""The rules dataclasses write their ``__init__`` out by hand (mypyc compiles a written one to plain
stores); each must take exactly its fields, in their order, and store each one in its field."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

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


@pytest.mark.parametrize("cls", WRITTEN, ids=_name)
def test_the_written_init_takes_the_fields_in_their_order(cls):
    parameters = list(inspect.signature(cls.__init__).parameters)[1:]

    assert parameters == _taken(cls)


@pytest.mark.parametrize(
    "cls", [cls for cls in WRITTEN if _name(cls) not in SET_BY_INIT], ids=_name
)
def test_the_written_init_stores_each_argument_in_its_field(cls):
    given = {name: object() for name in _taken(cls)}

    made = cls(**given)

    assert [name for name, value in given.items() if getattr(made, name) is not value] == []
