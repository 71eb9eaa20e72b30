"""Views of the staff room."""
from disputes.staff import bp  # noqa: F401
