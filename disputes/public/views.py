"""Home page."""
from disputes.public import bp  # noqa: F401
