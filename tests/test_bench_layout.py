"""`python -m bench.layout` draws the frame each reader really sees, and reports both ways of
drawing it for every reader."""

from __future__ import annotations

from flask import render_template

from bench import layout


def test_each_reader_is_drawn_signed_in_as_themselves(app):
    pages = {}
    for reader, path, role in layout.READERS:
        with layout._reader_request(app, path, role):
            pages[reader] = render_template("base.html")

    assert "测试用户" not in pages["visitor"]
    assert "登录" in pages["visitor"]
    assert "测试用户" in pages["consumer"]
    assert "我的案件" in pages["consumer"]
    assert "测试用户" in pages["staff"]
    assert "统计" in pages["staff"]


def test_the_table_has_both_timings_of_every_reader(app):
    timings = layout.measure(app, rounds=1, number=1)
    text = layout.table(timings)

    assert [t.reader for t in timings] == ["visitor", "consumer", "staff"]
    assert all(t.kept_us > 0 and t.drawn_us > 0 for t in timings)
    for reader in ("visitor", "consumer", "staff"):
        assert f"| {reader} |" in text
