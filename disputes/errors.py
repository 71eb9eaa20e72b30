"""Error pages."""


def init_app(app):
    """Register error handlers."""
