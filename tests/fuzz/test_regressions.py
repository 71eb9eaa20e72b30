"""The 500s fuzzing found, each pinned by a plain example so it stays fixed."""

from __future__ import annotations

import io

from flask import url_for

from disputes.cases.models import DraftFile
from disputes.db import db
from disputes.experts.models import CaseObjection, Expert, ExpertRelationship
from tests.cases.filing import PDF
from tests.fuzz.checks import pop_flashes, row_counts, stored_files
from tests.fuzz.world import client_as


def test_json_nested_deeper_than_the_parser_goes_is_a_400(client):
    response = client.post(
        "/api/v1/assessments", data=b"[" * 100_000 + b"]" * 100_000, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


def test_an_upload_of_a_kind_the_form_never_offers_is_refused_with_a_message(app, world):
    client = client_as(app, world, "consumer")
    with app.app_context():
        files_before = stored_files(app)

    response = client.post(
        f"/cases/drafts/{world.draft}/step/6",
        data={"kind": "31/12/2024", "action": "upload", "files": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    assert "请选择这是什么材料" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(DraftFile.id))) == 0
        assert stored_files(app) == files_before


def panel_form(world, **changes):
    consumer_login = world.users["consumer"].mobile
    form = {
        "code": "E01",
        "name": "专家甲",
        "capacity": "5",
        "specialties": ["transmission"],
        "relationships": f"{consumer_login}：邻居",
    }
    return form | changes


def test_saving_a_panel_record_unchanged_keeps_its_specialties_and_relationships(app, world):
    client = client_as(app, world, "staff")
    url = f"/experts/panel/{world.expert_profile}/edit"
    assert client.post(url, data=panel_form(world)).status_code == 302

    again = client.post(url, data=panel_form(world))

    assert again.status_code == 302
    with app.app_context():
        expert = db.session.get(Expert, world.expert_profile)
        assert [str(s.system) for s in expert.specialties] == ["transmission"]
        assert [r.note for r in expert.relationships] == ["邻居"]


def test_a_consumer_listed_twice_among_relationships_is_refused(app, world):
    client = client_as(app, world, "staff")
    login = world.users["consumer"].mobile
    twice = panel_form(world, relationships=f"{login}：邻居\n{login}：同事")

    response = client.post(f"/experts/panel/{world.expert_profile}/edit", data=twice)

    assert response.status_code == 200
    assert "填写了两次" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExpertRelationship.id))) == 0


def test_the_same_objection_recorded_twice_is_refused_the_second_time(app, world):
    client = client_as(app, world, "staff")
    with app.test_request_context():
        url = url_for("staff.routing_objection", case_id=world.accepted_case)
    form = {"expert_id": str(world.expert_profile), "party": "consumer", "reason": "有利害关系"}

    first = client.post(url, data=form)
    first_flashes = pop_flashes(client)
    second = client.post(url, data=form)

    assert (first.status_code, second.status_code) == (302, 302)
    assert [c for c, _m in first_flashes] == ["success"]
    assert [c for c, _m in pop_flashes(client)] == ["error"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CaseObjection.id))) == 1


def test_a_nul_character_in_a_form_value_is_a_400_and_stores_nothing(app, world):
    client = client_as(app, world, "staff")
    with app.app_context():
        before = row_counts()

    response = client.post(
        f"/staff/cases/{world.screening_case}/notes", data={"body": "a\x00b", "version": "1"}
    )

    assert response.status_code == 400
    with app.app_context():
        assert row_counts() == before


def test_an_upload_name_loses_nul_and_direction_characters(app, world):
    client = client_as(app, world, "consumer")

    response = client.post(
        f"/cases/drafts/{world.draft}/step/6",
        data={
            "kind": "invoice",
            "action": "upload",
            "files": (io.BytesIO(PDF), "a\x00\u202egnp.pdf"),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalars(db.select(DraftFile.original_name)).all() == ["agnp.pdf"]


def test_a_text_field_named_like_the_evidence_files_is_refused_with_a_message(app, world):
    client = client_as(app, world, "consumer")
    with app.app_context():
        before = row_counts()

    response = client.post(
        f"/cases/{world.open_case}/evidence",
        data={"kind": "other", "files": "不是文件"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert "请选择要上传的文件" in response.get_data(as_text=True)
    with app.app_context():
        assert row_counts() == before
