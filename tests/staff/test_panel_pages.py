"""The staff's expert panel and manual routing queue over HTTP (pages at /experts/panel and
/experts/routing): adding and retiring a member with its history, the panel form's checks, the
queue paged oldest first."""

from __future__ import annotations

import re

from disputes.cases.models import CaseStatus
from disputes.db import db
from disputes.experts.models import Expert
from disputes.staff import routing_views


def test_staff_manage_the_panel_with_history(client, staff, login, app_ctx):
    login(staff)

    created = client.post(
        "/experts/panel/new",
        data={
            "code": "E77",
            "name": "新专家",
            "capacity": "2",
            "specialties": ["brakes", "axle"],
            "affiliations": "品牌：示例品牌",
            "account": "none",
        },
    )
    expert = db.session.scalar(db.select(Expert).where(Expert.code == "E77"))
    client.post(f"/experts/panel/{expert.id}/active", data={"reason": "休假"})
    page = client.get(f"/experts/panel/{expert.id}")

    assert created.status_code == 302
    db.session.refresh(expert)
    assert [str(s.system) for s in expert.specialties] == ["brakes", "axle"]
    assert not expert.is_active
    assert "添加专家" in page.text
    assert "状态：在岗 → 停用/休假" in page.text
    assert client.get("/experts/panel").status_code == 200
    assert client.get("/experts/routing").status_code == 200


def test_panel_form_rejects_an_unknown_affiliation_kind(client, staff, login):
    login(staff)

    response = client.post(
        "/experts/panel/new",
        data={"code": "E78", "name": "甲", "capacity": "2", "affiliations": "朋友：某人"},
    )

    assert response.status_code == 200
    assert "不认识的关联类型" in response.text


def test_the_manual_routing_queue_is_paged_oldest_first(
    client, staff, login, make_case, consumer, monkeypatch
):
    monkeypatch.setattr(routing_views, "ROUTING_PAGE", 2)
    numbers = [make_case(consumer, status=CaseStatus.accepted).number for _ in range(3)]
    login(staff)

    first = client.get("/experts/routing").text
    assert [n in first for n in numbers] == [True, True, False]
    assert "共 3 件等待人工分派" in first
    link = re.search(r'href="(/experts/routing\?after=\d+)"', first)
    assert link
    second = client.get(link.group(1)).text
    assert [n in second for n in numbers] == [False, False, True]
    assert 'rel="next"' not in second
