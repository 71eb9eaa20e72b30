"""The Alibaba Cloud SMS adapter: its signature matches the provider's documented example, and a
delivery sends the signed SendSms request (against a local stand-in for the API) or, refused,
leaves the message to be retried."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from disputes.db import db
from disputes.notifications import delivery
from disputes.notifications.channels import aliyun_signature
from disputes.notifications.models import Channel, OutboxStatus
from tests.notifications.messages import outbox

SECRET = "testSecret"


def test_the_signature_matches_the_providers_documented_example():
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert aliyun_signature(params, SECRET) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


class FakeApi:
    """A local stand-in for dysmsapi: checks each request's signature, answers `code`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.code = "OK"


@pytest.fixture
def api() -> Iterator[tuple[FakeApi, str]]:
    fake = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            params = dict(parse_qsl(urlsplit(self.path).query))
            signature = params.pop("Signature", "")
            valid = signature == aliyun_signature(params, SECRET)
            fake.requests.append(params)
            code = fake.code if valid else "SignatureDoesNotMatch"
            body = json.dumps({"Code": code, "Message": code}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def app_config(api):
    _fake, url = api
    return {
        "SMS_BACKEND": "aliyun",
        "ALIYUN_SMS_ENDPOINT": url,
        "ALIYUN_SMS_ACCESS_KEY_ID": "testId",
        "ALIYUN_SMS_ACCESS_KEY_SECRET": SECRET,
        "ALIYUN_SMS_SIGN_NAME": "某市市场监管",
        "ALIYUN_SMS_TEMPLATE_CODE": "SMS_123456",
    }


@pytest.fixture
def sms(app_ctx, make_user, make_case):
    """The SMS receipt of a just filed case."""
    consumer = make_user("consumer", email=None, mobile="13700000009")
    make_case(consumer)
    [message] = [m for m in outbox() if m.channel == Channel.sms]
    return message


def test_a_text_is_sent_as_a_signed_send_sms_request(api, sms):
    fake, _url = api

    assert delivery.deliver(sms.id) is None

    db.session.refresh(sms)
    assert sms.status == OutboxStatus.sent
    [request] = fake.requests
    assert request["Action"] == "SendSms"
    assert request["PhoneNumbers"] == "13700000009"
    assert request["SignName"] == "某市市场监管"
    assert request["TemplateCode"] == "SMS_123456"
    assert json.loads(request["TemplateParam"])["content"] == sms.body
    assert request["OutId"] == sms.idempotency_key


def test_a_refusal_by_the_provider_is_retried(api, sms):
    fake, _url = api
    fake.code = "isv.BUSINESS_LIMIT_CONTROL"

    assert delivery.deliver(sms.id) == 30

    db.session.refresh(sms)
    assert sms.status == OutboxStatus.pending
    assert "isv.BUSINESS_LIMIT_CONTROL" in sms.last_error
