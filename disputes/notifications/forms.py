"""The inbox's forms: marking read is a POST, so it carries a CSRF token."""

from __future__ import annotations

from disputes.forms import BaseForm


class MarkReadForm(BaseForm):
    """Mark one message, or all of them, read (no fields besides the CSRF token)."""


class ResendForm(BaseForm):
    """Send a failed outbox message again (no fields besides the CSRF token)."""
