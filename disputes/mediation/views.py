"""The mediation room's pages."""

from disputes.mediation import bp  # noqa: F401
