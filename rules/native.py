"""Use the mypyc-compiled engine only when it was built from exactly the sources beside it.

``python -m rules.native_build`` (run by ``make setup``) compiles the engine's modules into
``build/mypyc/rules`` and writes ``STAMP.json`` there last, with a fingerprint of the sources it
compiled. ``rules/__init__`` calls ``activate`` before importing any engine module: when the
fingerprint still matches, the compiled folder goes first on the package's ``__path__``, so the
same imports load the ``.so`` files. Any mismatch (a source edited since, a module added or
removed, another Python) leaves the path alone and the pure-Python modules run: a stale binary can
never be used. ``RULES_PURE=1`` forces pure Python. This module and ``native_build`` are never
compiled themselves, nor are ``__init__`` and ``__main__``.
"""

import hashlib
import json
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: where ``native_build`` puts the compiled package (``build/`` is git-ignored)
BUILD_DIR = PACKAGE_DIR.parent / "build" / "mypyc"
STAMP_NAME = "STAMP.json"
#: the compiled group; its shared library ``engine_native__mypyc`` is found through ``__path__``
GROUP = "rules.engine_native"
#: modules that stay interpreted: the package entry, the CLI and the two native-build modules
NOT_COMPILED = frozenset({"__init__", "__main__", "native", "native_build"})


def compiled_modules(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Return the names of the package's modules that the build compiles, sorted."""
    return sorted(p.stem for p in package_dir.glob("*.py") if p.stem not in NOT_COMPILED)


def fingerprint(modules: list[str], package_dir: Path = PACKAGE_DIR) -> str:
    """Return a hash of the interpreter's tag and every listed module's name and source bytes."""
    digest = hashlib.sha256(sys.implementation.cache_tag.encode())
    for name in modules:
        digest.update(f"\0{name}\0".encode())
        digest.update((package_dir / f"{name}.py").read_bytes())
    return digest.hexdigest()


def built_files(modules: list[str]) -> list[str]:
    """Return the extension files a complete build holds for this interpreter."""
    names = [*modules, GROUP.rpartition(".")[2] + "__mypyc"]
    return [name + EXTENSION_SUFFIXES[0] for name in names]


def built_for_these_sources(compiled_dir: Path, package_dir: Path = PACKAGE_DIR) -> bool:
    """Tell whether ``compiled_dir`` holds a complete build of exactly the current sources.

    A missing file would mix a compiled module with an interpreted one: refused too.
    """
    try:
        stamp = json.loads((compiled_dir / STAMP_NAME).read_text(encoding="utf-8"))
        modules = compiled_modules(package_dir)
        if stamp["modules"] != modules or stamp["fingerprint"] != fingerprint(modules, package_dir):
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return all((compiled_dir / name).is_file() for name in built_files(modules))


def activate(package_path: list[str]) -> bool:
    """Put the compiled modules first on ``package_path`` when they are current; tell if so."""
    compiled_dir = BUILD_DIR / "rules"
    if os.environ.get("RULES_PURE") == "1" or not built_for_these_sources(compiled_dir):
        return False
    package_path.insert(0, str(compiled_dir))
    return True
