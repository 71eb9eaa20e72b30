"""The notifications' forms: marking read, resending a failed message and choosing channels are
POSTs, so each carries a CSRF token."""

from __future__ import annotations

from wtforms import BooleanField

from disputes.forms import BaseForm
from disputes.i18n import lazy_gettext as _l


class MarkReadForm(BaseForm):
    """Mark one message, or all of them, read (no fields besides the CSRF token)."""


class ResendForm(BaseForm):
    """Send a failed outbox message again (no fields besides the CSRF token)."""


class PreferenceForm(BaseForm):
    """Which channels besides the inbox a user wants messages on."""

    by_email = BooleanField(_l("电子邮件"))
    by_sms = BooleanField(_l("短信"))
