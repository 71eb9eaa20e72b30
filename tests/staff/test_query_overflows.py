"""Query parameters no database or calendar can hold (huge numbers, the year 9999 or 1) on the
staff list, its export and the statistics: a 400 saying which parameter, or the error next to
the field, never a 500."""

from __future__ import annotations

import html

import pytest

HUGE = "99999999999999999999999"


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "query",
    [
        f"after=2026-01-01T00:00:00~{HUGE}",
        f"before=2026-01-01T00:00:00~-{HUGE}",
        f"expert={HUGE}",
        f"page={HUGE}",
        "to=9999-12-31",
        "from=0001-01-01",
        "from=9999-12-31&to=9999-12-31",
    ],
)
@pytest.mark.parametrize("path", ["/staff/cases", "/staff/cases/export"])
def test_an_overflowing_list_parameter_is_a_400_naming_it(client, login, staff, path, query):
    login(staff)

    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    name = query.split("=")[0].split("&")[0]
    assert f"“{name}”" in page(response)


def test_the_list_still_ignores_a_malformed_date(client, login, staff):
    login(staff)

    assert client.get("/staff/cases?from=abc&to=2026-13-01").status_code == 200


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "from=9999-12-31"])
@pytest.mark.parametrize("path", ["/staff/stats", "/staff/stats/export"])
def test_a_statistics_day_out_of_range_is_refused_next_to_its_field(
    client, login, staff, path, query
):
    login(staff)

    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    assert "请填写 2000 年到 2100 年之间的日期" in page(response)


def test_a_format_parameter_on_the_statistics_page_keeps_the_download_links(client, login, staff):
    login(staff)

    response = client.get("/staff/stats?format=pdf&from=2026-01-01")

    assert response.status_code == 200
    assert "format=csv&amp;from=2026-01-01" in response.get_data(as_text=True)
