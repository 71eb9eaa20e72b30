"""How to reach the bureau (footer, /contact, from the 403 page and the login page) and the
privacy notice the registration's consent links to, in Chinese and English."""

from __future__ import annotations

import html

import pytest


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def bureau(app):
    app.config.update(
        BUREAU_NAME="石家庄市市场监督管理局",
        BUREAU_PHONE="0311-12345678",
        BUREAU_ADDRESS="石家庄市长安区示例路 9 号",
        BUREAU_HOURS="工作日 9:00–17:00",
        BUREAU_CONTACT_IS_DEMO=False,
    )


def test_contact_page_and_footer_show_the_configured_details(client, bureau):
    contact = text(client.get("/contact"))
    footer = text(client.get("/"))

    for page in (contact, footer):
        assert "0311-12345678" in page
        assert "石家庄市长安区示例路 9 号" in page
        assert "工作日 9:00–17:00" in page
        assert "示例联系方式" not in page
    assert 'href="tel:0311-12345678"' in contact
    assert 'href="/contact"' in footer
    assert 'href="/privacy"' in footer


def test_demo_contact_details_are_labelled_as_samples(client):
    assert "示例联系方式" in text(client.get("/contact"))
    assert "（示例联系方式）" in text(client.get("/"))


def test_forbidden_page_links_to_the_contact_page(client, login, consumer):
    login(consumer)

    response = client.get("/staff/")

    assert response.status_code == 403
    assert '<a href="/contact">如需帮助，请联系工作人员。</a>' in text(response)


def test_login_page_sends_forgotten_passwords_to_the_contact_page(client):
    page = text(client.get("/auth/login"))

    assert "忘记密码或登录遇到困难？" in page
    assert 'href="/contact"' in page


def test_registration_consent_links_to_the_privacy_notice(client):
    page = text(client.get("/auth/register"))

    assert '<a href="/privacy"' in page
    assert page.index('href="/privacy"') < page.index('id="consent"')


def test_privacy_notice_says_what_why_who_how_long_and_the_rights(app, client):
    app.config["RETENTION_YEARS"] = 5
    page = text(client.get("/privacy"))

    for heading in ("我们收集哪些信息", "为什么收集", "谁能看到", "保存多久", "您的权利"):
        assert heading in page
    assert "办结（结案、撤回或不予受理）满 5 年后" in page


def test_privacy_notice_reads_in_english(client):
    page = text(client.get("/privacy?lang=en"))

    assert "What we collect" in page
    assert "Who sees it" in page
    assert "Your rights" in page
