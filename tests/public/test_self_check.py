"""The public self-check page: anonymous, no JavaScript, values kept, errors next to fields."""

from __future__ import annotations

import re

import pytest

URL = "/self-check"


@pytest.fixture
def example_form(client, read_form):
    """The example page's form as a browser would post it back."""
    return read_form(client.get(f"{URL}?example=1"))


def field_error(html: str, field_id: str) -> str:
    """Return the error list rendered next to the field with `field_id` ("" when none)."""
    match = re.search(
        rf'<ul class="field__errors" id="{re.escape(field_id)}-error">(.*?)</ul>', html, re.S
    )
    return match.group(1) if match else ""


def value_of(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def test_anonymous_visitor_sees_the_empty_form(client):
    response = client.get(URL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="purchase-invoice_date"' in html
    assert 'name="problems-0-description"' in html
    assert 'name="events-0-start_date"' in html
    assert 'value="add_problem"' in html
    assert "添加问题" in html
    assert 'value="add_event"' in html
    assert "添加一次维修" in html
    assert "评估结果" not in html


def test_page_works_without_javascript(client):
    html = client.get(f"{URL}?example=1").get_data(as_text=True)
    assert "<script" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers either


def test_example_link_fills_the_form_and_shows_its_assessment(client):
    html = client.get(f"{URL}?example=1").get_data(as_text=True)
    assert value_of(html, "purchase-invoice_date") == "2024-03-15"
    assert "评估结果" in html
    assert "第二十一条" in html  # the backup car of the example, cited by article


def test_posting_a_valid_form_shows_remedies_with_article_citations(client, example_form):
    response = client.post(URL, data=example_form | {"action": "assess"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "评估结果" in html
    assert "免费修理" in html
    assert "第十九条第一款" in html
    assert "2022.19.1" in html
    assert 'class="field__errors"' not in html


def test_assessment_follows_the_language(client, example_form):
    html = client.post(f"{URL}?lang=en", data=example_form).get_data(as_text=True)
    assert "2022.19.1" in html
    assert re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", html.split("assessment-title")[1])


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        pytest.param(
            {"purchase-invoice_date": ""},
            "purchase-invoice_date",
            "请填写购车发票上的开票日期",
            id="missing-invoice-date",
        ),
        pytest.param(
            {"purchase-price_yuan": "-100"},
            "purchase-price_yuan",
            "车价款必须大于 0",
            id="negative-price",
        ),
        pytest.param(
            {"events-1-end_date": "2024-08-01"},
            "events-1-end_date",
            "取车日期不能早于送修日期",
            id="end-before-start",
        ),
    ],
)
def test_a_bad_form_keeps_every_value_and_names_the_problem_next_to_the_field(
    client, example_form, changes, field_id, message
):
    posted = example_form | changes
    html = client.post(URL, data=posted).get_data(as_text=True)
    assert message in field_error(html, field_id)
    assert "评估结果" not in html
    assert 'class="error-summary"' in html
    for name, value in posted.items():
        if name.endswith(("_date", "_km", "description", "part")) and value:
            assert value_of(html, name) == value, name


def test_every_problem_is_reported_at_once(client, example_form):
    posted = example_form | {"purchase-invoice_date": "", "purchase-price_yuan": "-1",
                             "events-1-end_date": "2024-08-01"}  # fmt: skip
    html = client.post(URL, data=posted).get_data(as_text=True)
    assert field_error(html, "purchase-invoice_date")
    assert field_error(html, "purchase-price_yuan")
    assert field_error(html, "events-1-end_date")


def test_a_rules_objection_lands_next_to_the_visit_it_is_about(client, example_form):
    # the 4th visit (latest) reads less than the 3rd: the odometer goes backwards in time
    html = client.post(URL, data=example_form | {"events-3-odometer_km": "9000"}).get_data(
        as_text=True
    )
    assert field_error(html, "events-3-odometer_km")
    assert value_of(html, "events-3-odometer_km") == "9000"
    assert "评估结果" not in html


@pytest.mark.parametrize(
    ("action", "name", "present"),
    [
        ("add_problem", "problems-2-description", True),
        ("remove_problem-1", "problems-1-description", False),
        ("add_event", "events-4-start_date", True),
        ("remove_event-3", "events-3-start_date", False),
        ("add_part-0", "events-0-replaced-0-part", True),
        ("remove_part-1-0", "events-1-replaced-0-part", False),
        ("add_wear_part", "warranty-wear_parts-1-name", True),
    ],
)
def test_add_and_remove_buttons_rerender_the_form_without_validating(
    client, example_form, action, name, present
):
    posted = example_form | {"action": action, "purchase-invoice_date": ""}
    html = client.post(URL, data=posted).get_data(as_text=True)
    assert (f'name="{name}"' in html) is present
    assert 'class="field__errors"' not in html  # nothing is judged while editing the lists
    assert value_of(html, "purchase-price_yuan") == example_form["purchase-price_yuan"]


def test_a_post_without_csrf_token_is_refused(app, client, example_form):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(URL, data=example_form | {"action": "assess"})
    assert response.status_code == 400


def test_a_post_with_the_page_token_is_accepted(app, client, read_form):
    app.config["WTF_CSRF_ENABLED"] = True
    form = read_form(client.get(f"{URL}?example=1"))
    assert form.get("csrf_token")
    response = client.post(URL, data=form)
    assert response.status_code == 200
    assert "评估结果" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("purchase-price_yuan", "1e26", "车价款不能超过 9999999999.99 元"),
        ("purchase-price_yuan", "1" + "0" * 40, "车价款不能超过 9999999999.99 元"),
        ("purchase-invoice_date", "9998-12-31", "请填写 1900 年到 2100 年之间的日期"),
        ("purchase-invoice_date", "0001-01-01", "请填写 1900 年到 2100 年之间的日期"),
        ("as_of-date", "9999-12-31", "请填写 1900 年到 2100 年之间的日期"),
        ("claim-written_request_date", "9999-12-31", "请填写 1900 年到 2100 年之间的日期"),
        ("as_of-odometer_km", "99999999999999999999", "里程不能超过 9999999 公里"),
    ],
)
def test_a_number_or_date_out_of_range_is_refused_next_to_its_field(
    client, example_form, field, value, message
):
    response = client.post(URL, data=example_form | {field: value, "action": "assess"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in field_error(html, field)
    assert value_of(html, field) == value


def test_an_engine_found_to_need_replacing_in_the_first_week_opens_return(client, example_form):
    needed = {
        "events-0-start_date": "2024-03-20",
        "events-0-end_date": "2024-03-21",
        "events-0-replaced-0-assembly": "engine",
        "events-0-replaced-0-part": "缸体",
        "events-0-replaced-0-main_part": "y",
        "events-0-replaced-0-status": "replacement_needed",
        "events-0-replaced-0-diagnosed_date": "2024-03-20",
        "events-0-replaced-0-diagnosed_by": "repairer",
    }
    day_8 = {"events-0-start_date": "2024-03-24", "events-0-end_date": "2024-03-25"}
    replaced_later = needed | day_8 | {"events-0-replaced-0-diagnosed_date": "2024-03-24"}

    html = client.post(URL, data=example_form | needed | {"action": "assess"}).get_data(
        as_text=True
    )
    later = client.post(URL, data=example_form | replaced_later | {"action": "assess"})

    assert "(2022.22)" in html or "（2022.22）" in html
    assert "2022.22" not in later.get_data(as_text=True).split("还差什么")[0]


def test_a_bad_diagnosis_date_is_shown_next_to_its_box(client, example_form):
    bad = {
        "events-1-replaced-0-status": "replacement_needed",
        "events-1-replaced-0-diagnosed_date": "2024-13-01",
    }
    response = client.post(URL, data=example_form | bad | {"action": "assess"})
    html = response.get_data(as_text=True)
    assert "年-月-日" in field_error(html, "events-1-replaced-0-diagnosed_date")
    assert value_of(html, "events-1-replaced-0-part") == "点火线圈"
    assert "评估结果" not in html
