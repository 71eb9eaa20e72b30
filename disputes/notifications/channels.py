"""How an outbox message leaves: e-mail over SMTP (stdlib smtplib) and SMS through a gateway.

Both are registries. MAIL_BACKEND names the mail one: "smtp" sends to MAIL_SERVER, "console"
logs the mail and "file" appends it as a JSON line to MAIL_FILE (unset: "smtp" when MAIL_SERVER
is set, else "console", so a development site marks its mails sent instead of retrying a server
that is not there). SMS_BACKEND names the gateway: "console" logs the text, "file" appends it to
SMS_FILE, "aliyun" sends through Alibaba Cloud SMS (ALIYUN_SMS_*). Another provider is one more
class with send(number, text, reference) registered in SMS_GATEWAYS. Relative files are inside
the instance folder.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import smtplib
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlencode
from urllib.request import urlopen

from flask import current_app

from disputes.notifications.models import Channel, OutboxMessage

log = logging.getLogger(__name__)


def build_email(message: OutboxMessage) -> EmailMessage:
    """Write the outbox message as a mail; its Message-ID carries the idempotency key."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    mail["To"] = message.address
    mail["Message-ID"] = make_msgid(idstring=message.idempotency_key.replace(":", "."))
    mail["X-Idempotency-Key"] = message.idempotency_key
    mail.set_content(message.body)
    return mail


def send_smtp(mail: EmailMessage) -> None:
    """Send one mail through MAIL_SERVER."""
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(mail)


def log_email(mail: EmailMessage) -> None:
    """Log the mail instead of sending it (development default)."""
    log.warning("mail to %s: %s\n%s", mail["To"], mail["Subject"], mail.get_content())


def append_email(mail: EmailMessage) -> None:
    """Append the mail as a JSON line to MAIL_FILE, which demos and tests read back."""
    record = {
        "to": mail["To"],
        "subject": mail["Subject"],
        "body": mail.get_content(),
        "reference": mail["X-Idempotency-Key"],
    }
    _append_line(current_app.config["MAIL_FILE"], record)


MAIL_BACKENDS: dict[str, Callable[[EmailMessage], None]] = {
    "smtp": send_smtp,
    "console": log_email,
    "file": append_email,
}


def mail_backend_name(config: Mapping[str, Any]) -> str:
    """The mail backend in use: MAIL_BACKEND, else "smtp" with a MAIL_SERVER, else "console"."""
    return config.get("MAIL_BACKEND") or ("smtp" if config.get("MAIL_SERVER") else "console")


def send_email(message: OutboxMessage) -> None:
    """Send one e-mail through the configured mail backend."""
    MAIL_BACKENDS[mail_backend_name(current_app.config)](build_email(message))


def _append_line(filename: str, record: dict[str, Any]) -> None:
    path = Path(current_app.instance_path) / filename
    line = json.dumps(record, ensure_ascii=False)
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


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
        record = {"to": number, "text": text, "reference": reference}
        _append_line(current_app.config["SMS_FILE"], record)


class AliyunGateway:
    """Alibaba Cloud SMS (dysmsapi SendSms, RPC signature v1, HMAC-SHA1 over the sorted query).

    The text goes in the one variable of an approved template (ALIYUN_SMS_TEMPLATE_CODE, e.g.
    "${content}") under ALIYUN_SMS_SIGN_NAME; the idempotency key is the OutId. A reply other
    than Code "OK" raises, so the outbox retries and, in the end, shows it to staff.
    """

    def send(self, number: str, text: str, reference: str) -> None:
        config = current_app.config
        params = {
            "AccessKeyId": config["ALIYUN_SMS_ACCESS_KEY_ID"],
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": config["ALIYUN_SMS_REGION"],
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": number,
            "SignName": config["ALIYUN_SMS_SIGN_NAME"],
            "TemplateCode": config["ALIYUN_SMS_TEMPLATE_CODE"],
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False),
            "OutId": reference[:64],
        }
        params["Signature"] = aliyun_signature(params, config["ALIYUN_SMS_ACCESS_KEY_SECRET"])
        url = f"{config['ALIYUN_SMS_ENDPOINT']}?{urlencode(params, quote_via=quote)}"
        with urlopen(url, timeout=config["SMS_TIMEOUT"]) as response:  # noqa: S310 (https URL)
            answer = json.load(response)
        if answer.get("Code") != "OK":
            raise RuntimeError(f"Aliyun SMS {answer.get('Code')}: {answer.get('Message')}")


def aliyun_signature(params: Mapping[str, str], secret: str) -> str:
    """Sign an Alibaba Cloud RPC request: HMAC-SHA1 of "GET&%2F&" + the encoded sorted query."""

    def encode(value: str) -> str:
        return quote(value, safe="~")

    query = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"GET&{encode('/')}&{encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


SMS_GATEWAYS: dict[str, type[SmsGateway]] = {
    "console": ConsoleGateway,
    "file": FileGateway,
    "aliyun": AliyunGateway,
}


def send_sms(message: OutboxMessage) -> None:
    """Send one SMS through the configured gateway."""
    gateway = SMS_GATEWAYS[current_app.config["SMS_BACKEND"]]()
    gateway.send(message.address, message.body, message.idempotency_key)


SENDERS = {Channel.email: send_email, Channel.sms: send_sms}
