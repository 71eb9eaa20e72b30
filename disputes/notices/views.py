"""The notices room's pages."""

from disputes.notices import bp  # noqa: F401
