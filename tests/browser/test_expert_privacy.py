"""What the routed expert sees of a consumer who wrote their name and phone into the claim and
uploaded an ID card and an invoice whose PDF names its author: staff withhold the ID card on the
case page; the expert reads the claim masked, the VIN as far as the model, and gets the invoice
as "证据 1 · 购车发票.pdf" without its metadata, and no trace of the ID card."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from werkzeug.datastructures import FileStorage

from tests.browser.live import log_in, serve, site_app
from tests.support.data import CASE_FACTS, VIN

pytestmark = pytest.mark.browser

CLAIM = "我是欧阳秘密，电话13912345678，要求修好变速器。"


def invoice_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setAuthor("Ouyang Mimi 13912345678")
    page.drawString(100, 700, "invoice")
    page.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class Site:
    url: str
    case_id: int
    expert_login: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A live server over the demo data plus one accepted case with those files, routed."""
    from disputes import demo
    from disputes.auth.models import Role, User
    from disputes.cases import services, uploads
    from disputes.cases.models import CaseStatus
    from disputes.db import db
    from disputes.experts import services as routing

    app = site_app(tmp_path_factory.mktemp("privacy-live"), "live.sqlite")
    with app.test_request_context():
        db.create_all()
        demo.load()
        consumer = db.session.scalar(db.select(User).where(User.role == Role.consumer))
        staff = db.session.scalar(db.select(User).where(User.role == Role.staff))
        details = {"contact_name": "欧阳秘密", "contact_phone": "13912345678", "claim_text": CLAIM}
        case = services.create_case(consumer, dict(CASE_FACTS, case=details))
        for data, name, kind in (
            (invoice_pdf(), "欧阳秘密发票.pdf", "invoice"),
            (invoice_pdf(), "欧阳秘密身份证.pdf", "other"),
        ):
            uploads.store_upload(case, FileStorage(io.BytesIO(data), filename=name), kind, consumer)
        case.status = CaseStatus.accepted
        assignment = routing.route_case(case, staff)
        db.session.commit()
        found = Site("", case.id, assignment.expert.user.email)
    url, stop = serve(app, "privacy-live")
    try:
        yield Site(url, found.case_id, found.expert_login)
    finally:
        stop()


def test_staff_withhold_the_id_card_and_the_expert_sees_no_identity(
    browser, site, demo_logins, tmp_path
):
    staff = browser.new_context(locale="zh-CN")
    page = staff.new_page()
    log_in(page, site.url, *demo_logins["staff"])
    page.goto(f"{site.url}/staff/cases/{site.case_id}")
    id_card = page.locator("li", has_text="欧阳秘密身份证.pdf")
    id_card.get_by_role("button", name="含消费者身份信息，不向专家提供").click()
    expect(page.locator("main")).to_contain_text("专家将看不到这份文件。")
    id_card = page.locator("li", has_text="欧阳秘密身份证.pdf")
    expect(id_card.locator(".badge")).to_have_text("不向专家提供")
    expect(id_card.get_by_role("button", name="恢复向专家提供")).to_be_visible()
    staff.close()

    expert = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = expert.new_page()
    log_in(page, site.url, site.expert_login, "demo12345")
    page.goto(f"{site.url}/experts/cases/{site.case_id}")
    files = page.locator("section[aria-labelledby=files-title] li")
    expect(files).to_have_count(1)
    expect(files.first).to_contain_text("证据 1 · 购车发票.pdf")
    claim = page.locator("section[aria-labelledby=claim-title]")
    expect(claim).to_have_text("消费者的诉求 我是消费者，电话139****5678，要求修好变速器。")
    main = page.locator("main").inner_text()
    for secret in ("欧阳", "13912345678", "身份证.pdf", VIN):
        assert secret not in main, secret
    assert "LFV2A21K*N*******" in main

    with page.expect_download() as download:
        files.first.get_by_role("link").click()
    assert download.value.suggested_filename == "证据 1 · 购车发票.pdf"
    saved = tmp_path / "invoice.pdf"
    download.value.save_as(saved)
    assert not PdfReader(saved).metadata
    expert.close()
