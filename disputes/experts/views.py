"""Views of the experts room."""
from disputes.experts import bp  # noqa: F401
