"""CLI commands."""


def init_app(app):
    """Register CLI groups."""
