"""The business room's pages."""

from disputes.business import bp  # noqa: F401
