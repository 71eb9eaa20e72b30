"""What an expert learns of the consumer through the case: nothing. Free text is screened, the VIN
names the model only, files come under neutral names without metadata, and the files staff
withhold are neither listed nor served."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.cases import uploads
from disputes.cases.models import Attachment, Case
from disputes.db import db
from disputes.experts import opinions, services
from disputes.staff import services as staff_services
from tests.experts.personal_data import PERSONAL
from tests.support.data import VIN

CLAIM = (
    "我是欧阳秘密，电话13912345678，邮箱ouyang@example.com，"
    "身份证110101199003071234，车架号LFV2A21K6N3123458，要求换车。"
)
DESCRIPTION = "变速器顿挫，欧阳先生多次送修，可打 021-61234567"


def authored_pdf() -> bytes:
    """An invoice PDF whose information dictionary names the consumer."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setAuthor("Ouyang Mimi 13912345678")
    page.setTitle("Ouyang invoice")
    page.drawString(100, 700, "invoice 2024-05-18")
    page.save()
    return buffer.getvalue()


def gps_photo() -> bytes:
    """A JPEG with the owner's name and a GPS position in EXIF."""
    exif = Image.Exif()
    exif[0x013B] = "Ouyang Mimi"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "blue").save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def routed(app, make_expert, accepted_case, staff, consumer, make_user, login):
    """A routed case whose text and files carry the consumer's identity; its expert logged in.
    Returns (case id, [invoice id, photo id], expert user)."""
    user = make_user("expert")
    make_expert("E01", "transmission", user=user)
    case = accepted_case(
        claim_text=CLAIM, **{"problems.P1.description": DESCRIPTION, "vehicle.vin": VIN}
    )
    owner = db.session.get(User, consumer.id)
    loaded = db.session.get(Case, case.id)
    with app.test_request_context():
        files = [
            (authored_pdf(), "欧阳秘密的购车发票.pdf", "invoice"),
            (gps_photo(), "欧阳秘密家门口.jpg", "photo"),
        ]
        ids = [
            uploads.store_upload(loaded, FileStorage(io.BytesIO(d), filename=n), k, owner).id
            for d, n, k in files
        ]
    assignment = services.route_case(loaded, staff)
    db.session.commit()
    login(user)
    return case.id, ids, user, assignment


def test_the_expert_page_screens_free_text_and_shows_the_vin_as_far_as_the_model(client, routed):
    case_id, _ids, _user, _assignment = routed

    page = client.get(f"/experts/cases/{case_id}").text

    for secret in (
        "欧阳秘密",
        "欧阳先生",
        "13912345678",
        "ouyang@example.com",
        "110101199003071234",
        "021-61234567",
        VIN,
        "3123458",
    ):
        assert secret not in page, secret
    for masked in ("我是消费者", "139****5678", "o***@example.com", "110101********1234"):
        assert masked in page, masked
    assert "消费者多次送修" in page
    assert "LFV2A21K*N*******" in page


def test_the_expert_gets_files_under_neutral_names_without_metadata(client, routed):
    case_id, (invoice, photo), _user, _assignment = routed

    page = client.get(f"/experts/cases/{case_id}").text
    pdf = client.get(f"/cases/{case_id}/attachments/{invoice}")
    jpeg = client.get(f"/cases/{case_id}/attachments/{photo}")

    assert "欧阳秘密的购车发票" not in page
    assert "证据 1 · 购车发票.pdf" in page
    assert "证据 2 · 照片.jpg" in page
    assert pdf.status_code == jpeg.status_code == 200
    assert unquote(pdf.headers["Content-Disposition"]).endswith("证据 1 · 购车发票.pdf")
    assert unquote(jpeg.headers["Content-Disposition"]).endswith("证据 2 · 照片.jpg")
    assert "欧阳" not in unquote(pdf.headers["Content-Disposition"])
    reader = PdfReader(io.BytesIO(pdf.data))
    assert b"Ouyang" not in pdf.data
    assert not reader.metadata
    assert "invoice 2024-05-18" in reader.pages[0].extract_text()
    assert b"Ouyang" not in jpeg.data
    with Image.open(io.BytesIO(jpeg.data)) as image:
        assert not image.getexif()
        assert image.size == (32, 24)


@pytest.mark.parametrize("who", ["staff", "consumer"])
def test_staff_and_the_consumer_still_get_the_files_as_filed(
    client, routed, login, staff, consumer, who
):
    case_id, (invoice, _photo), _user, _assignment = routed
    login(staff if who == "staff" else consumer)

    response = client.get(f"/cases/{case_id}/attachments/{invoice}")

    assert b"Ouyang" in response.data
    assert "%E7%A7%98%E5%AF%86" in response.headers["Content-Disposition"]  # 秘密
    response.close()


def test_staff_withhold_a_file_from_experts_and_show_it_again(client, routed, login, staff):
    case_id, (invoice, _photo), _user, _assignment = routed
    login(staff)
    url = f"/staff/cases/{case_id}/attachments/{invoice}/experts"
    assert f'action="{url}"' in client.get(f"/staff/cases/{case_id}").text

    response = client.post(url, data={"withheld": "1"})

    assert response.status_code == 303
    assert "不向专家提供</span>" in client.get(response.headers["Location"]).text
    assert db.session.get(Attachment, invoice).is_withheld_from_experts
    download = client.get(f"/cases/{case_id}/attachments/{invoice}")
    assert download.status_code == 200
    download.close()

    client.post(url, data={"withheld": "0"})

    db.session.expire_all()
    assert not db.session.get(Attachment, invoice).is_withheld_from_experts
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.like("attachment.%_experts"))
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id, e.case_id) for e in events] == [
        ("attachment.withheld_from_experts", staff.id, case_id),
        ("attachment.shown_to_experts", staff.id, case_id),
    ]


def test_a_withheld_file_is_neither_listed_nor_served_to_experts(client, routed, staff):
    case_id, (invoice, photo), _user, _assignment = routed
    staff_services.withhold_from_experts(
        db.session.get(Attachment, invoice), True, db.session.get(User, staff.id)
    )
    db.session.commit()

    page = client.get(f"/experts/cases/{case_id}").text

    assert f"/attachments/{invoice}" not in page
    assert "证据 2" not in page
    assert "证据 1 · 照片.jpg" in page
    assert client.get(f"/cases/{case_id}/attachments/{invoice}").status_code == 404
    assert client.get(f"/cases/{case_id}/attachments/{photo}").status_code == 200


def test_a_tampered_withhold_request_changes_nothing_and_says_why(client, routed, login, staff):
    case_id, (invoice, _photo), _user, _assignment = routed
    login(staff)

    response = client.post(
        f"/staff/cases/{case_id}/attachments/{invoice}/experts",
        data={"withheld": "maybe"},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "请选择是否向专家提供该文件" in response.text
    db.session.expire_all()
    assert not db.session.get(Attachment, invoice).is_withheld_from_experts


def test_a_file_that_cannot_be_cleaned_is_refused_to_experts_with_a_message(client, routed, attach):
    case_id, _ids, _user, _assignment = routed
    file_id = attach(case_id, "scan.pdf", "other", b"%PDF-1.4\n%%EOF\n")

    response = client.get(f"/cases/{case_id}/attachments/{file_id}")

    assert response.status_code == 400
    assert "请联系工作人员" in response.text


def test_the_opinion_letter_shows_the_vin_as_far_as_the_model_and_screened_text(client, routed):
    case_id, _ids, expert_user, assignment = routed
    opinion = opinions.sign(
        opinions.save_draft(assignment, {}, "属产品质量问题。", expert_user), expert_user
    )
    db.session.commit()

    html = client.get(f"/experts/opinions/{opinion.id}").text
    pdf = client.get(f"/experts/opinions/{opinion.id}.pdf").data
    flat = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)

    for text in (html, flat):
        assert VIN not in text
        assert "LFV2A21K*N*******" in text
        assert "021-61234567" not in text
        assert "欧阳" not in text
        for value in PERSONAL.values():
            assert value not in text
