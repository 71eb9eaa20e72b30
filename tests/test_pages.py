"""Each role's landing page shows that role's data, and only what that role may see."""

from __future__ import annotations

import re

import pytest

from disputes.cases.models import CaseStatus


def test_consumer_sees_own_case_numbers_and_not_others(
    client, login, consumer, make_user, make_case
):
    mine = make_case(consumer)
    theirs = make_case(make_user("consumer"))
    login(consumer)

    response = client.get("/cases/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>我的案件</h1>" in html
    assert mine.number in html
    assert theirs.number not in html
    assert "已提交" in html
    assert "示例品牌" in html


def test_consumer_without_cases_is_told_how_to_start(client, login, consumer):
    login(consumer)

    html = client.get("/cases/").get_data(as_text=True)

    assert "您还没有提交过案件" in html
    assert 'href="/self-check' in html or "自助评估" in html


def test_expert_sees_assigned_case_without_consumer_contact_data(
    client, login, consumer, expert, make_user, make_case, make_expert, make_assignment
):
    case = make_case(
        consumer,
        contact_name="王大明",
        contact_phone="13812345678",
        contact_id_number="110101199003071234",
        contact_address="示例市示例路1号",
    )
    other_expert = make_user("expert")
    not_mine = make_case(consumer)
    make_assignment(case, make_expert("E90", "transmission", user=expert, name=expert.name))
    make_assignment(
        not_mine, make_expert("E91", "transmission", user=other_expert, name=other_expert.name)
    )
    login(expert)

    response = client.get("/experts/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert case.number in html
    assert not_mine.number not in html
    assert "变速器" in html
    for personal in ("王大明", "13812345678", "110101199003071234", "示例市示例路1号"):
        assert personal not in html
    assert consumer.name not in html
    assert consumer.mobile not in html


def test_expert_without_profile_is_told_to_contact_staff(client, login, expert):
    login(expert)

    html = client.get("/experts/").get_data(as_text=True)

    assert "还没有关联专家档案" in html


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_dashboard_shows_counts_by_state_and_panel_load(
    request, client, login, consumer, expert, make_case, make_expert, make_assignment, role
):
    make_case(consumer)
    make_case(consumer)
    screening = make_case(consumer, status=CaseStatus.screening)
    routed = make_case(consumer, status=CaseStatus.routed, contact_name="李小红")
    make_assignment(
        routed, make_expert("E90", "transmission", user=expert, name=expert.name, capacity=4)
    )
    login(request.getfixturevalue(role))

    response = client.get("/staff/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200

    def count(status: str) -> str:
        found = re.search(rf'data-status="{status}">.*?stat__value">(\d+)<', html, re.S)
        assert found, status
        return found.group(1)

    assert count("submitted") == "2"
    assert count("screening") == "1"
    assert count("routed") == "1"
    assert count("closed") == "0"
    assert re.search(r'stat__label">全部案件</span><span class="stat__value">4<', html)
    assert screening.number in html
    assert "李**" in html  # the dashboard masks names (disputes/privacy/masking.py)
    assert "李小红" not in html
    assert "E90" in html
    assert "1 / 4" in html


NAV_ITEMS = {"consumer": "我的案件", "expert": "我的待办", "staff": "工作台", "admin": "工作台"}


@pytest.mark.parametrize("role", list(NAV_ITEMS))
def test_navigation_shows_only_what_the_role_may_use(request, client, login, role):
    login(request.getfixturevalue(role))

    nav = client.get("/").get_data(as_text=True).split('aria-label="主导航"')[1].split("</nav>")[0]

    assert NAV_ITEMS[role] in nav
    for other in set(NAV_ITEMS.values()) - {NAV_ITEMS[role]}:
        assert other not in nav
    assert "退出" in nav
    assert 'name="csrf_token"' in nav
    assert ">登录<" not in nav


def test_anonymous_navigation_offers_login_and_registration(client):
    nav = client.get("/").get_data(as_text=True).split('aria-label="主导航"')[1].split("</nav>")[0]

    assert ">登录<" in nav
    assert ">注册<" in nav
    assert "自助评估" in nav
    for item in set(NAV_ITEMS.values()):
        assert item not in nav
