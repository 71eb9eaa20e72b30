"""A business user sees its own organisation's accepted cases and nothing else."""

from __future__ import annotations

import pytest

from disputes.auth.organisations import Organisation, OrganisationStatus
from disputes.cases.models import Attachment, CaseStatus
from disputes.db import db

CONTACT = {
    "contact_name": "陈小明",
    "contact_phone": "13912345678",
    "contact_id_number": "110101199001011234",
    "contact_address": "北京市东城区示例路 1 号",
}


@pytest.fixture
def business(make_user):
    return make_user("business", name="经销商员工")


@pytest.fixture
def accepted_case(app, consumer, business, make_case):
    return make_case(
        consumer, status=CaseStatus.accepted, organisation_id=business.organisation_id, **CONTACT
    )


#: A file name holding the consumer's name, which the business must never be shown.
FILE_NAME = "陈小明的发票.pdf"


def _set(app, model, id_: int, **values) -> None:
    with app.app_context():
        obj = db.session.get_one(model, id_)
        for key, value in values.items():
            setattr(obj, key, value)
        db.session.commit()


def test_business_user_lands_on_its_case_list(app, client, login, business, accepted_case):
    login(business)

    page = client.get("/business/")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert accepted_case.number in text
    assert f"/business/cases/{accepted_case.id}" in text


def test_business_user_sees_its_accepted_case(app, client, login, business, accepted_case):
    login(business)

    page = client.get(f"/business/cases/{accepted_case.id}")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert accepted_case.number in text
    assert "变速器低速顿挫" in text  # the problem as filed
    assert "LFV2A21K6N3123458" in text  # the VIN in full: the business's own car


def test_case_list_leaves_out_other_organisations_and_unaccepted_cases(
    app, client, login, business, consumer, make_user, make_case, accepted_case
):
    other = make_user("business")
    theirs = make_case(consumer, status=CaseStatus.accepted, organisation_id=other.organisation_id)
    early = make_case(
        consumer, status=CaseStatus.screening, organisation_id=business.organisation_id
    )
    login(business)

    text = client.get("/business/").get_data(as_text=True)

    assert accepted_case.number in text
    assert theirs.number not in text
    assert early.number not in text


def test_another_organisations_case_is_404(
    app, client, login, business, consumer, make_user, make_case
):
    other = make_user("business")
    theirs = make_case(consumer, status=CaseStatus.accepted, organisation_id=other.organisation_id)
    login(business)

    assert client.get(f"/business/cases/{theirs.id}").status_code == 404


def test_a_case_without_organisation_is_404(app, client, login, business, consumer, make_case):
    unlinked = make_case(consumer, status=CaseStatus.accepted)
    login(business)

    assert client.get(f"/business/cases/{unlinked.id}").status_code == 404


@pytest.mark.parametrize(
    "status", [CaseStatus.submitted, CaseStatus.screening, CaseStatus.info_requested,
               CaseStatus.not_accepted]
)  # fmt: skip
def test_a_case_not_yet_accepted_is_404(app, client, login, business, consumer, make_case, status):
    case = make_case(consumer, status=status, organisation_id=business.organisation_id)
    login(business)

    assert client.get(f"/business/cases/{case.id}").status_code == 404


@pytest.mark.parametrize(
    "status", [CaseStatus.routed, CaseStatus.opinion_received, CaseStatus.mediation,
               CaseStatus.closed]
)  # fmt: skip
def test_a_case_from_acceptance_on_is_shown(
    app, client, login, business, consumer, make_case, status
):
    case = make_case(consumer, status=status, organisation_id=business.organisation_id)
    login(business)

    assert client.get(f"/business/cases/{case.id}").status_code == 200


def test_a_second_user_of_the_organisation_sees_the_same_cases(
    app, client, login, business, make_user, accepted_case
):
    colleague = make_user("business", organisation_id=business.organisation_id)
    login(colleague)

    assert client.get(f"/business/cases/{accepted_case.id}").status_code == 200
    assert accepted_case.number in client.get("/business/").get_data(as_text=True)


@pytest.mark.parametrize(
    "status",
    [OrganisationStatus.suspended, OrganisationStatus.pending, OrganisationStatus.rejected],
)
def test_an_organisation_not_approved_sees_its_status_and_no_case(
    app, client, login, business, accepted_case, attach, status
):
    _set(app, Organisation, business.organisation_id, status=status, decision_note="资质待核实")
    attachment_id = attach(accepted_case.id, FILE_NAME)
    login(business)

    landing = client.get("/business/")
    case_page = client.get(f"/business/cases/{accepted_case.id}")
    file = client.get(f"/business/cases/{accepted_case.id}/attachments/{attachment_id}")

    assert landing.status_code == 200
    assert accepted_case.number not in landing.get_data(as_text=True)
    assert "资质待核实" in landing.get_data(as_text=True)
    assert case_page.status_code == 403
    assert accepted_case.number not in case_page.get_data(as_text=True)
    assert file.status_code == 403


def test_evidence_file_downloads_under_a_neutral_name(
    client, login, business, accepted_case, attach
):
    attachment_id = attach(accepted_case.id, FILE_NAME)
    login(business)

    page = client.get(f"/business/cases/{accepted_case.id}").get_data(as_text=True)
    file = client.get(f"/business/cases/{accepted_case.id}/attachments/{attachment_id}")

    assert f"/business/cases/{accepted_case.id}/attachments/{attachment_id}" in page
    assert file.status_code == 200
    assert file.data.startswith(b"%PDF")
    assert "陈小明" not in file.headers["Content-Disposition"]


def test_a_file_staff_withheld_is_neither_listed_nor_served(
    app, client, login, business, accepted_case, attach
):
    attachment_id = attach(accepted_case.id, FILE_NAME)
    _set(app, Attachment, attachment_id, is_withheld_from_experts=True)
    login(business)

    page = client.get(f"/business/cases/{accepted_case.id}").get_data(as_text=True)
    file = client.get(f"/business/cases/{accepted_case.id}/attachments/{attachment_id}")

    assert f"attachments/{attachment_id}" not in page
    assert file.status_code == 404


def test_evidence_of_another_organisations_case_is_404(
    client, login, business, consumer, make_user, make_case, accepted_case, attach
):
    other = make_user("business")
    theirs = make_case(consumer, status=CaseStatus.accepted, organisation_id=other.organisation_id)
    their_file = attach(theirs.id, FILE_NAME)
    login(business)

    assert client.get(f"/business/cases/{theirs.id}/attachments/{their_file}").status_code == 404
    # Nor under the URL of the business's own case.
    assert (
        client.get(f"/business/cases/{accepted_case.id}/attachments/{their_file}").status_code
        == 404
    )


def test_evidence_of_a_case_not_yet_accepted_is_404(
    client, login, business, consumer, make_case, attach
):
    case = make_case(
        consumer, status=CaseStatus.screening, organisation_id=business.organisation_id
    )
    attachment_id = attach(case.id, FILE_NAME)
    login(business)

    assert client.get(f"/business/cases/{case.id}/attachments/{attachment_id}").status_code == 404


def test_a_refused_case_is_recorded_as_denied(app, client, login, business, consumer, make_case):
    from disputes.audit import AuditEvent

    unlinked = make_case(consumer, status=CaseStatus.accepted)
    login(business)
    client.get(f"/business/cases/{unlinked.id}")

    with app.app_context():
        denied = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "access.denied")
        ).all()
    assert [(e.actor_id, e.case_id) for e in denied] == [(business.id, unlinked.id)]


def test_other_roles_cannot_open_the_business_case_page(
    app, client, login, consumer, accepted_case
):
    login(consumer)

    assert client.get(f"/business/cases/{accepted_case.id}").status_code == 403


def test_the_case_page_reads_the_organisation_with_the_signed_in_user(
    app, client, login, business, accepted_case
):
    """Every business page checks the user's organisation; it comes in the statement that loads
    the user, so no page reads the organisation on its own."""
    from sqlalchemy import event

    login(business)
    url = f"/business/cases/{accepted_case.id}"
    assert client.get(url).status_code == 200
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ARG001
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert page.status_code == 200
    reads = [s for s in statements if "FROM organisations" in s or "JOIN organisations" in s]
    assert len(reads) == 1, reads
    assert "FROM users" in reads[0]
