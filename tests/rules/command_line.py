"""``python -m rules`` run as a subprocess from the checkout, for the tests of its command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str | None = None) -> tuple[int, Any, str]:
    """Run the CLI; return (exit status, parsed stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "rules", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    out = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, out, done.stderr
