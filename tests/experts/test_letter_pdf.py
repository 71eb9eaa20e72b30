"""The opinion letter's PDF embeds its Chinese font, so "·" and every character render alike in
any reader."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from disputes.db import db
from disputes.experts import opinions, services
from tests.pdf_checks import fonts, text


def test_the_opinion_pdf_embeds_its_font_and_renders_the_middle_dot(
    client, make_expert, accepted_case, staff, login
):
    expert = make_expert("E01", "transmission")
    case = accepted_case()
    assignment = services.route_case(case, staff)
    opinion = opinions.sign(
        opinions.save_draft(assignment, {}, "属产品质量问题。", expert.user), expert.user
    )
    db.session.commit()
    login(staff)

    data = client.get(f"/experts/opinions/{opinion.id}.pdf").data

    used = fonts(data)
    assert used
    assert all(used.values()), used
    assert f"·{case.number}·v1" in text(data)  # the footer: bureau · case · version


def test_the_opinion_pdf_lays_the_longest_reasoning_and_descriptions_over_pages(
    client, make_expert, accepted_case, staff, login
):
    expert = make_expert("E01", "engine")
    problems = {
        f"P{n}": {"system": "engine", "description": "述" * 499 + f"{n}"} for n in range(1, 21)
    }
    case = accepted_case(problems=problems, events=[])
    assignment = services.route_case(case, staff)
    reasoning = "析" * 9999 + "终"
    opinion = opinions.sign(
        opinions.save_draft(assignment, {}, reasoning, expert.user), expert.user
    )
    db.session.commit()
    login(staff)

    response = client.get(f"/experts/opinions/{opinion.id}.pdf")

    assert response.status_code == 200
    assert len(PdfReader(BytesIO(response.data)).pages) > 1
    flat = text(response.data)
    assert "析终" in flat
    assert "述20" in flat
