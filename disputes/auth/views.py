"""Views of the auth room."""
from disputes.auth import bp  # noqa: F401
