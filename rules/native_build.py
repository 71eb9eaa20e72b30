"""``python -m rules.native_build``: compile the engine with mypyc into ``build/mypyc/rules``.

The throughput target is 20,000 assessments a second in one process (bench/rules_throughput.py);
compiled, the same code runs about three times as fast. The build goes to a fresh folder that
replaces the old one only when complete, and ``STAMP.json`` (the sources' fingerprint, see
``rules.native``) is taken before compiling, so a source edited during the build makes the result
unused rather than stale. A failed build (no mypy, no C compiler) removes the old build and exits
1: pure Python is then used.

The group's C is written a file per module and compiled on every core (``make setup`` on a fresh
clone waits for it): about 30 s as one file, 12 s so on two cores.
"""

import json
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import chdir
from pathlib import Path
from typing import Any

from rules.native import BUILD_DIR, GROUP, PACKAGE_DIR, STAMP_NAME, compiled_modules, fingerprint


def build(out_dir: Path = BUILD_DIR) -> Path:
    """Compile the modules into ``out_dir / "rules"`` (replaced whole); return that folder."""
    from mypyc.build import mypycify  # build-time only: the engine never needs mypy
    from setuptools import setup  # type: ignore[import-untyped]
    from setuptools.command.build_ext import build_ext  # type: ignore[import-untyped]

    class BuildSideBySide(build_ext):  # type: ignore[misc]
        """build_ext compiling an extension's C files at the same time, one per core."""

        def build_extensions(self) -> None:
            compile_files = self.compiler.compile

            def compile_each(sources: list[str], *args: Any, **kwargs: Any) -> list[str]:
                with ThreadPoolExecutor(os.cpu_count()) as pool:
                    done = pool.map(
                        lambda source: compile_files([source], *args, **kwargs), sources
                    )
                    return [obj for objects in done for obj in objects]

            self.compiler.compile = compile_each
            super().build_extensions()

    modules = compiled_modules()
    stamp = {"modules": modules, "fingerprint": fingerprint(modules)}
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent, prefix=".mypyc-") as tmp:
        work = Path(tmp)
        sources = [str(PACKAGE_DIR / f"{m}.py") for m in modules]
        extensions = mypycify(
            ["--cache-dir", str(work / "mypy_cache"), *sources],  # no .mypy_cache in the checkout
            opt_level="3",
            group_name=GROUP,
            target_dir=str(work / "c"),
            verbose=False,
            multi_file=True,
        )
        # mypyc writes the group's headers in a folder named for its package (rules/), which the
        # files of multi_file mode include without it.
        extensions[0].include_dirs.append(str(work / "c" / GROUP.rpartition(".")[0]))
        with chdir(work):  # away from the project's pyproject.toml, which setup() would read
            setup(
                name="rules-native",
                ext_modules=extensions,
                script_args=["-q", "build_ext", "--build-lib", "lib", "--build-temp", "tmp"],
                cmdclass={"build_ext": BuildSideBySide},
            )
        built = work / "lib" / "rules"
        (built / STAMP_NAME).write_text(json.dumps(stamp), encoding="utf-8")
        target = out_dir / "rules"
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.mkdir(parents=True)
        built.rename(target)
    return target


def main() -> int:
    """Build from the project root; on failure remove any old build and return 1."""
    try:
        target = build()
    except (Exception, SystemExit) as exc:  # setuptools reports compiler errors as SystemExit
        shutil.rmtree(BUILD_DIR, ignore_errors=True)
        print(f"rules: native build failed ({exc}); pure Python is used", file=sys.stderr)
        return 1
    print(f"rules: compiled engine in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
