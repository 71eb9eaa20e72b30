"""Views of the cases room."""
from disputes.cases import bp  # noqa: F401
