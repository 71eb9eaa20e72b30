"""The queue worker's entry point: `huey_consumer disputes.notifications.worker.huey`.

It builds the app from the same configuration as the web process (instance/config.py and the
environment), so both use the same database and the same queue.
"""

from __future__ import annotations

from disputes import create_app

app = create_app()
huey = app.extensions["huey"]
