"""The page parts rendered once per process (disputes/fragments.py): the site's links, the head's
links and the footer are kept per language, role, page and configuration, and never show one
reader's, page's or language's version to another."""

from __future__ import annotations

import html
import re

from flask import render_template_string

from disputes import fragments


def nav(page: str) -> str:
    """The main navigation of `page`, unescaped."""
    body = html.unescape(page)
    start, end = body.index('<nav class="site-nav"'), body.index("</nav>")
    return body[start:end]


def current(page: str) -> list[str]:
    """The texts of the navigation links marked as the current page."""
    return re.findall(r'aria-current="page">([^<]+)<', nav(page))


def test_each_page_marks_its_own_link_after_another_page_was_kept(client, login, staff):
    login(staff)

    cases = client.get("/staff/cases").get_data(as_text=True)
    stats = client.get("/staff/stats").get_data(as_text=True)
    again = client.get("/staff/cases").get_data(as_text=True)

    assert current(cases) == ["案件"]
    assert current(stats) == ["统计"]
    assert current(again) == ["案件"]


def test_each_role_gets_its_own_links_on_the_same_page(client, login, staff, consumer):
    login(staff)
    staff_home = client.get("/").get_data(as_text=True)
    client.post("/auth/logout")
    visitor_home = client.get("/").get_data(as_text=True)
    login(consumer)
    consumer_home = client.get("/").get_data(as_text=True)

    assert "统计" in nav(staff_home)
    assert "我的案件" not in nav(staff_home)
    assert "我的案件" in nav(consumer_home)
    assert "统计" not in nav(consumer_home)
    assert "统计" not in nav(visitor_home)
    assert "我的案件" not in nav(visitor_home)
    assert "登录" in nav(visitor_home)
    # The signed-in part of the bar is the reader's own, never kept.
    assert staff.name in nav(staff_home)
    assert consumer.name in nav(consumer_home)
    assert staff.name not in nav(consumer_home)


def test_the_kept_parts_follow_the_language(client):
    chinese = html.unescape(client.get("/").get_data(as_text=True))
    english = html.unescape(client.get("/?lang=en").get_data(as_text=True))
    chinese_again = html.unescape(client.get("/?lang=zh").get_data(as_text=True))

    assert "自助评估" in nav(chinese)
    assert "自助评估" in nav(chinese_again)
    assert "自助评估" not in nav(english)
    assert "本系统提供的评估仅供参考" in chinese_again
    assert "本系统提供的评估仅供参考" not in english


def test_the_footer_follows_the_bureau_configuration(app, client):
    before = html.unescape(client.get("/").get_data(as_text=True))
    app.config["BUREAU_PHONE"] = "0311-87654321"

    after = html.unescape(client.get("/").get_data(as_text=True))

    assert "0311-87654321" not in before
    assert "0311-87654321" in after


def test_a_fragment_is_kept_per_key(app):
    template = '{% call fragment("n", k) %}{{ n }}{% endcall %}'
    with app.test_request_context("/"):
        first = render_template_string(template, k="a", n=1)
        kept = render_template_string(template, k="a", n=2)
        other = render_template_string(template, k="b", n=3)
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/sanbao"}):
        other_root = render_template_string(template, k="a", n=4)

    assert (first, kept, other) == ("1", "1", "3")
    assert other_root == "4"  # URLs under another script root are other URLs


def test_the_store_starts_afresh_when_full(app, monkeypatch):
    monkeypatch.setattr(fragments, "KEPT", 2)
    app.extensions["disputes.fragments"].clear()
    template = '{% call fragment("full", k) %}{{ n }}{% endcall %}'
    with app.test_request_context("/"):
        for k in ("a", "b", "c"):  # "c" finds the store full (a, b): it starts afresh
            render_template_string(template, k=k, n=1)
        # "a" was dropped with the rest, so it is rendered again; "c" is still kept.
        assert render_template_string(template, k="a", n=2) == "2"
        assert render_template_string(template, k="c", n=2) == "1"
