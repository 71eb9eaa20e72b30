"""gunicorn.conf.py's worker hook: the loaded app is frozen out of the garbage collector."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_a_booted_worker_freezes_the_objects_it_loaded():
    hook = runpy.run_path(str(CONF))["post_worker_init"]
    worker = SimpleNamespace(wsgi=object(), cfg=SimpleNamespace(workers=1), log=None)
    gc.unfreeze()
    try:
        hook(worker)

        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
