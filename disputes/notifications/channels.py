"""How an outbox message leaves: e-mail over SMTP (stdlib smtplib) and SMS through a gateway.

SMS gateways form a registry (SMS_BACKEND names one): "console" logs the message, "file"
appends it as a JSON line to SMS_FILE inside the instance folder. A provider adapter is one more
class with send(number, text, reference) registered in SMS_GATEWAYS.
"""

from __future__ import annotations

import json
import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from flask import current_app

from disputes.notifications.models import Channel, OutboxMessage

log = logging.getLogger(__name__)


def send_email(message: OutboxMessage) -> None:
    """Send one e-mail through MAIL_SERVER; its Message-ID carries the idempotency key."""
    config = current_app.config
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = config["MAIL_DEFAULT_SENDER"]
    mail["To"] = message.address
    mail["Message-ID"] = make_msgid(idstring=message.idempotency_key.replace(":", "."))
    mail["X-Idempotency-Key"] = message.idempotency_key
    mail.set_content(message.body)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(mail)


class SmsGateway(Protocol):
    """Sends one text; `reference` (the idempotency key) lets a provider drop a repeat."""

    def send(self, number: str, text: str, reference: str) -> None: ...


class ConsoleGateway:
    """Logs the text instead of sending it (development default)."""

    def send(self, number: str, text: str, reference: str) -> None:
        log.warning("SMS to %s [%s]: %s", number, reference, text)


class FileGateway:
    """Appends each text as a JSON line to SMS_FILE (relative: inside instance/), which demos
    and tests read back."""

    def send(self, number: str, text: str, reference: str) -> None:
        path = Path(current_app.instance_path) / current_app.config["SMS_FILE"]
        line = json.dumps({"to": number, "text": text, "reference": reference}, ensure_ascii=False)
        with path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


SMS_GATEWAYS: dict[str, type[SmsGateway]] = {"console": ConsoleGateway, "file": FileGateway}


def send_sms(message: OutboxMessage) -> None:
    """Send one SMS through the configured gateway."""
    gateway = SMS_GATEWAYS[current_app.config["SMS_BACKEND"]]()
    gateway.send(message.address, message.body, message.idempotency_key)


SENDERS = {Channel.email: send_email, Channel.sms: send_sms}
