"""/law and /law/<basis_id>: the text of every article the rules cite, and every basis id an
assessment shows links to it."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest
from flask import render_template_string

import rules
from disputes.cases.assessment_page import assessment_for_page
from tests.rules.contract_helpers import f13, f22, part, problem, visit, visits

BASIS = re.compile(r"20(?:13|22)(?:\.\d+)+")
URL = "/self-check"


class _Links(HTMLParser):
    """Collect every basis id in the page's text, and each one that sits inside a law link."""

    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None
        self.shown: list[str] = []
        self.linked: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag == "a":
            self.href = None

    def handle_data(self, data):
        for basis in BASIS.findall(data):
            self.shown.append(basis)
            if self.href is not None:
                self.linked.append((basis, self.href))


@pytest.fixture
def example_form(client, read_form):
    """The self-check example's form as a browser would post it back."""
    return read_form(client.get(f"{URL}?example=1"))


def links_in(html: str) -> _Links:
    reader = _Links()
    reader.feed(html)
    return reader


def test_the_law_page_lists_every_article_of_both_regimes(client):
    response = client.get("/law")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for basis, article in rules.ARTICLES.items():
        assert f'id="{basis}"' in page
        assert article.text.split("\n")[0][:30] in page
    assert "国家质量监督检验检疫总局令第150号" in page
    assert "国家市场监督管理总局令第43号" in page


@pytest.mark.parametrize("basis", sorted(rules.ARTICLES))
def test_each_article_has_its_page_with_text_gloss_and_source(client, basis):
    article = rules.ARTICLES[basis]
    response = client.get(f"/law/{basis}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert article.text.split("\n")[0] in page
    assert article.article in page
    assert article.gloss.replace("'", "&#39;") in page


def test_an_unknown_basis_is_a_404(client):
    assert client.get("/law/2013.99").status_code == 404
    assert client.get("/law/anything").status_code == 404


def test_english_ui_keeps_the_chinese_text_beside_the_gloss(client):
    page = client.get("/law/2022.24.1.4?lang=en").get_data(as_text=True)
    assert "累计修理时间超过30日" in page
    assert "more than 30 days of cumulative repair time" in page
    assert "SAMR Order No. 43, published 2021-07-22, in force 2022-01-01" in page
    assert "三包规定条文" not in page  # the page's own words are English


def rich_2013() -> dict:
    """Remedies, a paid one with compensation, exclusions, thresholds and a deadline."""
    return f13(
        *visits(6, 3, 4000),
        visit("2014-09-01", 11000, problem="P2"),
        visit("2014-09-05", 11500, problem="P3", replaced=[part("brakes", "制动主缸")]),
        problems={
            "P1": problem("electrical"),
            "P2": problem("body", exclusion="modification"),
            "P3": problem("brakes", serious_safety=True),
        },
        as_of=("2014-10-01", 12000),
        over={"written_request_date": "2014-10-08", "warranty_card.wear_parts": [
            {"name": "刹车片", "months": 12, "km": 10000}]},
    )  # fmt: skip


def rich_2022() -> dict:
    return f22(
        visit("2023-04-08", 300, replaced=[part("engine", "缸体")]),
        problems={"P1": problem("engine")},
        as_of=("2023-04-20", 900),
        over={"written_request_date": "2023-04-20"},
    )


def into_2022() -> dict:
    """A 2013 car whose repairs fall in 2022: the 2022 reading is shown beside (alternatives)."""
    return f13(
        *visits(5, 2, 9000, year=2022),
        problems={"P1": problem("electrical")},
        as_of=("2022-08-01", 16000),
        over={"purchase.invoice_date": "2021-06-01", "purchase.delivery_date": "2021-06-01"},
    )


@pytest.mark.parametrize(
    "facts", [rich_2013, rich_2022, into_2022], ids=["2013", "2022", "2013-into-2022"]
)
def test_every_basis_id_the_assessment_shows_links_to_its_article(app, facts):
    with app.test_request_context("/self-check"):
        shown = assessment_for_page(copy.deepcopy(facts()))
        html = render_template_string(
            '{% with assessment=a %}{% include "_assessment.html" %}{% endwith %}', a=shown
        )
    found = links_in(html)
    assert found.shown, "the assessment shows basis ids"
    assert sorted(b for b, _ in found.linked) == sorted(found.shown), "a basis id without a link"
    for basis, href in found.linked:
        assert href == f"/law/{basis}"
        assert basis in rules.ARTICLES
    # the remedies', thresholds', windows' and deadlines' bases are all on the page
    assert set(rules.cited(shown)) <= set(found.shown)
    for alt in shown.get("alternatives") or ():  # the 2022 reading beside a 2013 one
        assert {r["basis"] for r in alt["remedies"]} <= {b for b, _ in found.linked}


def test_the_self_check_page_links_its_bases(client, example_form):
    page = client.post(URL, data=example_form | {"action": "assess"}).get_data(as_text=True)
    found = links_in(page)
    assert found.linked
    assert sorted(b for b, _ in found.linked) == sorted(found.shown)


def test_the_expert_side_panel_links_its_bases(app):
    filed = assessment_for_page(copy.deepcopy(rich_2013()))
    with app.test_request_context("/"):
        html = render_template_string(
            '{% include "experts/_compare.html" %}', filed_assessment=filed, recomputed=filed
        )
    found = links_in(html)
    assert found.shown
    assert sorted(b for b, _ in found.linked) == sorted(found.shown)
