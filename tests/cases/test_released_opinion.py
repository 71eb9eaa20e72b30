"""The consumer reads the released opinion's findings and signature on the case page and downloads
it as PDF; nobody else's consumer, and no unreleased version, can be downloaded."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader

from disputes.auth.models import User
from disputes.cases import states
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.experts import opinions
from disputes.experts.models import Opinion

S = CaseStatus
FINDINGS = {
    "problems": {"P1": {"quality": "yes", "system": "transmission", "serious_safety": False}},
    "visits": {"0": "P1"},
    "records_support": "partly",
    "inspection_needed": True,
    "remedy": "assembly_replacement",
}


@pytest.fixture
def opinion_on(app, make_user, make_expert, make_assignment, staff):
    """opinion_on(case_id, release=True): an expert signs the FINDINGS on the case (staff release
    them unless told not to); returns the opinion's id."""

    def write(case_id: int, *, release: bool = True) -> int:
        user = make_user("expert", name="王工程师")
        with app.app_context():
            actor = db.session.get(User, staff.id)
            case = db.session.get(Case, case_id)
            for to in (S.screening, S.accepted, S.routed):
                states.transition(case, to, actor)
            assignment = make_assignment(case, make_expert(user=user), reason="专业对口")
            opinion = opinions.save_draft(assignment, FINDINGS, "阀体磨损，属产品质量问题。", user)
            opinions.sign(opinion, user)
            if release:
                opinions.release(opinion, actor)
            db.session.commit()
            return opinion.id

    return write


def _section(response) -> str:
    text = html.unescape(response.get_data(as_text=True))
    return text.split('id="opinions"', 1)[1].split("</section>", 1)[0]


def test_the_case_page_shows_findings_signature_and_the_pdf_link(
    app, client, login, consumer, make_case, opinion_on
):
    case = make_case(consumer)
    opinion_id = opinion_on(case.id)
    login(consumer)

    section = _section(client.get(f"/cases/{case.id}"))

    row = section.split('data-problem="P1"', 1)[1].split("</tr>", 1)[0]
    assert "是产品质量问题" in row
    assert "变速器" in row
    assert "第 1 次" in row
    assert "部分支持" in section
    assert re.search(r'class="finding-inspection">需要<', section)
    assert "更换总成或其主要零件" in section
    with app.app_context():
        opinion = db.session.get(Opinion, opinion_id)
        signature, signed_name = opinion.signature, opinion.signed_name
    assert signature in section
    assert signed_name in section
    assert f"/experts/opinions/{opinion_id}.pdf" in section


def test_the_consumer_downloads_the_released_opinion_as_pdf(
    app, client, login, consumer, make_case, opinion_on
):
    case = make_case(consumer)
    opinion_id = opinion_on(case.id)
    login(consumer)

    response = client.get(f"/experts/opinions/{opinion_id}.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    flat = "".join(text.split())
    assert case.number in flat
    assert "更换总成或其主要零件" in flat


def test_no_other_consumer_and_no_unreleased_version_is_served(
    app, client, login, consumer, make_user, make_case, opinion_on
):
    released = opinion_on(make_case(consumer).id)
    unreleased = opinion_on(make_case(consumer).id, release=False)
    stranger = make_user("consumer")

    login(consumer)
    assert client.get(f"/experts/opinions/{unreleased}.pdf").status_code == 404
    assert client.get(f"/experts/opinions/{released}").status_code == 403  # the staff letter page
    login(stranger)
    assert client.get(f"/experts/opinions/{released}.pdf").status_code == 404
