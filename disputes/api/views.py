"""API views."""
from disputes.api import bp  # noqa: F401
