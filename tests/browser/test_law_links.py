"""The law beside every conclusion: on the self-check page a reader clicks a remedy's basis id and
reads that article's text, in Chinese with its English gloss; with the English UI too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BASIS = re.compile(r"^20(13|22)(\.\d+)+$")


def test_a_basis_on_the_self_check_opens_its_article(page, live_server):
    page.goto(f"{live_server}/self-check?example=1&lang=zh")
    page.get_by_role("heading", name="评估结果").wait_for()

    links = page.locator(".assessment a.law-link")
    assert links.count() > 0
    for text in links.all_inner_texts():
        assert BASIS.match(text), text

    remedy = page.locator(".assessment__remedies .cite a.law-link").first
    basis = remedy.inner_text()
    remedy.click()
    page.wait_for_url(f"**/law/{basis}")

    article = page.locator(f"article.law-article[id='{basis}']")
    expect(article).to_be_visible()
    assert article.locator(".law-article__text").inner_text().strip()
    assert "英文释义" in article.inner_text()
    assert "出处" in article.inner_text()

    page.get_by_role("link", name="查看全部条文").click()
    page.wait_for_url("**/law#*")
    assert page.locator("article.law-article").count() > 40


def test_the_article_page_in_english_keeps_the_chinese_text(page, live_server):
    page.goto(f"{live_server}/law/2022.22?lang=en")
    article = page.locator("article.law-article")
    assert "需要更换发动机" in article.locator(".law-article__text").inner_text()
    assert "In English" in article.inner_text()
    assert "SAMR Order No. 43" in article.inner_text()
