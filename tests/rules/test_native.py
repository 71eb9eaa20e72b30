"""The mypyc build is used only when built from the current sources, and changes no result.

``rules.native`` decides at import; these tests build no binaries themselves (``make native``
does), so the comparison with pure Python runs against whatever build is present, if any.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rules import native

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(os.environ.get("CASES_DIR") or ROOT.parent / "shared" / "cases")


def _package_copy(tmp_path: Path) -> Path:
    package = tmp_path / "rules"
    shutil.copytree(native.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def _stamp(compiled: Path, package: Path) -> None:
    modules = native.compiled_modules(package)
    stamp = {"modules": modules, "fingerprint": native.fingerprint(modules, package)}
    compiled.mkdir(parents=True, exist_ok=True)
    (compiled / native.STAMP_NAME).write_text(json.dumps(stamp), encoding="utf-8")
    for name in native.built_files(modules):
        (compiled / name).write_bytes(b"")  # stand-ins: only their presence is checked


def test_the_package_entry_cli_and_build_modules_are_never_compiled():
    modules = native.compiled_modules()
    assert "engine" in modules
    assert "parsing" in modules
    assert not set(modules) & {"__init__", "__main__", "native", "native_build"}


def test_a_build_of_the_current_sources_is_accepted(tmp_path):
    package = _package_copy(tmp_path)
    _stamp(tmp_path / "compiled", package)
    assert native.built_for_these_sources(tmp_path / "compiled", package)


def test_no_build_or_a_broken_stamp_is_refused(tmp_path):
    package = _package_copy(tmp_path)
    assert not native.built_for_these_sources(tmp_path / "compiled", package)
    (tmp_path / "compiled").mkdir()
    (tmp_path / "compiled" / native.STAMP_NAME).write_text("{not json", encoding="utf-8")
    assert not native.built_for_these_sources(tmp_path / "compiled", package)


def test_editing_a_source_after_the_build_makes_it_stale(tmp_path):
    package = _package_copy(tmp_path)
    _stamp(tmp_path / "compiled", package)
    engine = package / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not native.built_for_these_sources(tmp_path / "compiled", package)


def test_a_build_missing_one_module_is_refused(tmp_path):
    package = _package_copy(tmp_path)
    _stamp(tmp_path / "compiled", package)
    (tmp_path / "compiled" / native.built_files(["engine"])[0]).unlink()
    assert not native.built_for_these_sources(tmp_path / "compiled", package)


def test_adding_a_module_after_the_build_makes_it_stale(tmp_path):
    package = _package_copy(tmp_path)
    _stamp(tmp_path / "compiled", package)
    (package / "extra.py").write_text('"""New."""\n', encoding="utf-8")
    assert not native.built_for_these_sources(tmp_path / "compiled", package)


def test_rules_pure_forces_the_interpreted_modules(monkeypatch):
    monkeypatch.setenv("RULES_PURE", "1")
    path = ["src"]
    assert native.activate(path) is False
    assert path == ["src"]


def _probe(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, rules, rules.engine\n"
        "print(json.dumps({'compiled': rules.COMPILED, 'engine': rules.engine.__file__}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    return json.loads(done.stdout)


def test_compiled_exactly_when_the_build_matches_the_sources():
    env = {k: v for k, v in os.environ.items() if k != "RULES_PURE"}
    found = _probe(env)
    current = native.built_for_these_sources(native.BUILD_DIR / "rules")
    assert found["compiled"] is current
    assert str(found["engine"]).endswith(".py") is not current
    pure = _probe(env | {"RULES_PURE": "1"})
    assert pure["compiled"] is False
    assert str(pure["engine"]).endswith(".py")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cli_prints_the_same_compiled_or_not(lang):
    files = sorted(CASES_DIR.glob("*.json"))
    if not files:
        pytest.skip(f"no shared cases in {CASES_DIR}")
    env = {k: v for k, v in os.environ.items() if k != "RULES_PURE"}
    outputs = []
    for extra in ({}, {"RULES_PURE": "1"}):
        code = (
            "import sys\nfrom rules.__main__ import main\n"
            "for f in sys.argv[2:]: main(['assess', f, '--lang', sys.argv[1]])"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, lang, *map(str, files)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env | extra,
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count('"contract": 2') == len(files)
