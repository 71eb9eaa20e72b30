"""Request bodies are bounded before any hook reads them: a large form body to any URL is refused
at once (413) and the site keeps answering; only multipart posts to upload views may be large."""

from __future__ import annotations

import http.client
import io
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.cases.filing import PDF, start_draft, step_url

#: The body the attacker announces: 30 MB of tiny urlencoded fields.
HUGE = 30 * 1024 * 1024


@pytest.fixture
def server_port(app: Flask) -> Iterator[int]:
    """Serve `app` from one thread, as one sync worker does: a request holds it until answered."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.port
    server.shutdown()
    thread.join(5)


def start_slow_post(port: int, path: str, content_type: str) -> socket.socket:
    """Announce a 30 MB form body and send only its first kilobyte (the rest would dribble)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=2)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {HUGE}\r\n\r\n"
    ).encode()
    sock.sendall(head + b"a=1&" * 256)
    return sock


def status_of(sock: socket.socket) -> int:
    """Read the status code the server answered on `sock` (a timeout if it does not)."""
    with sock.makefile("rb") as answer:
        return int(answer.readline().split()[1])


def get_home(port: int) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/")
        status = conn.getresponse().status
    finally:
        conn.close()
    return status, time.monotonic() - started


@pytest.mark.parametrize(
    "path", ["/no-such-page", "/auth/login", "/self-check", "/cases/drafts/1/step/6"]
)
def test_a_30_mb_form_body_is_refused_at_once_and_the_home_page_still_answers(server_port, path):
    sock = start_slow_post(server_port, path, "application/x-www-form-urlencoded")
    try:
        status, took = get_home(server_port)
        assert status_of(sock) == 413
    finally:
        sock.close()

    assert status == 200
    assert took < 1


def test_a_30_mb_multipart_body_to_a_page_without_uploads_is_refused_at_once(server_port):
    sock = start_slow_post(server_port, "/self-check", "multipart/form-data; boundary=x")
    try:
        status, took = get_home(server_port)
        assert status_of(sock) == 413
    finally:
        sock.close()

    assert (status, took < 1) == (200, True)


def test_a_form_of_more_fields_than_max_form_parts_is_refused(app, client):
    body = "&".join(f"f{i}=1" for i in range(app.config["MAX_FORM_PARTS"] + 1))

    response = client.post(
        "/self-check", data=body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413


def test_a_urlencoded_body_to_the_upload_step_keeps_the_general_limit(app, client, login, consumer):
    login(consumer)
    draft_id = start_draft(client)
    body = "kind=photo&note=" + "x" * app.config["MAX_CONTENT_LENGTH"]

    response = client.post(
        step_url(draft_id, 6), data=body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413


def test_files_larger_than_the_general_limit_are_taken_on_the_upload_step(
    app, client, login, consumer
):
    app.config.update(MAX_CONTENT_LENGTH=4096, UPLOAD_MAX_FILE_BYTES=8192)
    login(consumer)
    draft_id = start_draft(client)
    files = [(io.BytesIO(PDF + b"0" * 3000), f"p{i}.pdf") for i in range(3)]

    response = client.post(
        step_url(draft_id, 6),
        data={"kind": "photo", "action": "upload", "files": files},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    assert "p2.pdf" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("status", "endpoint"),
    [("submitted", "evidence"), ("info_requested", "respond")],
)
def test_files_larger_than_the_general_limit_are_taken_on_the_case_page(
    app, client, login, consumer, make_case, status, endpoint
):
    app.config.update(MAX_CONTENT_LENGTH=4096, UPLOAD_MAX_FILE_BYTES=8192)
    case = make_case(consumer, status=status)
    login(consumer)
    files = [(io.BytesIO(PDF + b"0" * 3000), f"p{i}.pdf") for i in range(3)]

    response = client.post(
        f"/cases/{case.id}/{endpoint}",
        data={"kind": "invoice", "note": "说明", "text": "说明", "files": files},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
