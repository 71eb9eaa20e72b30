"""Personal-information protection: masking policy (as template filters), metadata-free copies,
the access log, a consumer's data export and account closing, retention purge and removal. The
consumer's "my data" pages that use them are the account room's."""

from __future__ import annotations

from flask import Flask

from disputes.privacy.masking import FILTERS


def register(app: Flask) -> None:
    """Register the masking filters every room's templates use."""
    for name, template_filter in FILTERS.items():
        app.add_template_filter(template_filter, name)
