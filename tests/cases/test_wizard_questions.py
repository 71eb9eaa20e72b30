"""The wizard asserts nothing the consumer did not say: no preset declarations on step 4, no preset
vehicle system on step 3; and the smaller things a person reads on each step."""

from __future__ import annotations

import html
import re

import pytest

from disputes.cases.models import CaseDraft
from disputes.cases.wizard_state import invalid_steps
from disputes.db import db
from tests.cases.filing import VIN, post_step, start_draft, step_url


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_errors(text: str, field_id: str) -> str:
    """The error list rendered next to `field_id` ("" when there is none)."""
    match = re.search(
        rf'<ul class="field__errors" id="{re.escape(field_id)}-error">(.*?)</ul>', text, re.S
    )
    return match.group(1) if match else ""


@pytest.fixture
def draft_id(client, login, consumer):
    login(consumer)
    return start_draft(client)


@pytest.fixture
def draft_at_step_4(client, draft_id):
    for step in (1, 2, 3):
        post_step(client, draft_id, step)
    return draft_id


# --- step 4: the consumer's own declarations ----------------------------------------------------

QUESTIONS = ("commercial", "answers-0-disclosed", "answers-0-modified", "answers-0-accident",
             "answers-0-misuse")  # fmt: skip


def test_step_4_presets_no_answer(client, draft_at_step_4):
    text = page(client.get(step_url(draft_at_step_4, 4)))

    assert 'type="radio"' in text
    assert "checked" not in text


def test_step_4_unanswered_questions_are_named_next_to_each_with_the_answers_kept(
    client, draft_at_step_4
):
    response = post_step(
        client,
        draft_at_step_4,
        4,
        commercial=None,
        answers__0__disclosed="yes",
        answers__0__modified=None,
        answers__0__accident=None,
        answers__0__misuse=None,
    )

    assert response.status_code == 200
    text = page(response)
    for field_id in QUESTIONS:
        expected = "" if field_id == "answers-0-disclosed" else "请选择“是”或“否”"
        assert expected in field_errors(text, field_id), field_id
    assert not field_errors(text, "answers-0-disclosed")
    assert re.search(r'<input checked id="answers-0-disclosed-1"[^>]*value="yes"', text)


def test_step_4_answered_moves_on(client, draft_at_step_4):
    response = post_step(client, draft_at_step_4, 4)

    assert response.status_code == 302


def test_step_4_is_unfinished_until_answered(app, client, draft_at_step_4, consumer):
    with app.test_request_context():
        draft = db.session.get(CaseDraft, draft_at_step_4)
        assert 4 in invalid_steps(draft, consumer)


def test_a_draft_saved_with_the_old_preset_answers_still_passes(app, client, draft_at_step_4):
    post_step(client, draft_at_step_4, 4)  # what the old page posted: every answer "no"
    post_step(client, draft_at_step_4, 5)

    with app.test_request_context():
        draft = db.session.get(CaseDraft, draft_at_step_4)
        assert invalid_steps(draft, draft.owner) == []
    text = page(client.get(step_url(draft_at_step_4, 4)))
    assert re.search(r'<input checked id="answers-0-misuse-0"[^>]*value="no"', text)


def test_step_4_takes_commercial_use_from_step_1(client, draft_id):
    post_step(client, draft_id, 1, purchase__use="commercial")
    post_step(client, draft_id, 3)

    text = page(client.get(step_url(draft_id, 4)))

    assert re.search(r'<input checked id="commercial-1"[^>]*value="yes"', text)


def test_step_4_misuse_question_has_no_double_negative(client, draft_at_step_4):
    text = page(client.get(step_url(draft_at_step_4, 4)))

    assert "有没有没按" not in text
    assert "使用或保养不符合说明书的要求" in text


# --- step 3: vehicle systems are chosen, never preset -------------------------------------------


def test_step_3_systems_start_at_please_choose(client, draft_id):
    fresh = page(client.get(step_url(draft_id, 3)))
    with_part = page(post_step(client, draft_id, 3, action="add_part-0"))

    for text, field_id in (
        (fresh, "problems-0-system"),
        (with_part, "events-0-replaced-0-assembly"),
    ):
        select = re.search(rf'<select[^>]*id="{field_id}"[^>]*>(.*?)</select>', text, re.S)
        assert select, field_id
        assert '<option selected value="">请选择</option>' in select.group(1)
        assert 'selected value="engine"' not in select.group(1)


def test_step_3_a_problem_or_part_without_its_system_is_named_with_values_kept(client, draft_id):
    response = post_step(
        client,
        draft_id,
        3,
        problems__0__system="",
        events__0__replaced__0__assembly="",
        events__0__replaced__0__part="阀体",
    )

    text = page(response)
    assert "请选择出问题的部位" in field_errors(text, "problems-0-system")
    assert "请选择这个零件属于哪个总成或系统" in field_errors(text, "events-0-replaced-0-assembly")
    assert 'value="阀体"' in text
    assert 'value="变速器低速顿挫、换挡冲击"' in text


# --- polish -------------------------------------------------------------------------------------


def test_step_1_error_summary_follows_the_page_order(client, draft_id):
    text = page(
        post_step(
            client,
            draft_id,
            1,
            purchase__model="",
            purchase__vin="LFV2A21K2N312345",
            purchase__delivery_date="2024-05-01",
        )
    )

    summary = text.split('class="error-summary"')[1].split("</ul>")[0]
    links = re.findall(r'href="#([\w-]+)"', summary)
    assert links == ["purchase-model", "purchase-vin", "purchase-delivery_date"]


def test_a_saved_vin_failing_the_check_digit_shows_the_confirmation_box_on_return(client, draft_id):
    wrong = VIN[:8] + "6" + VIN[9:]
    post_step(client, draft_id, 1, action="save", purchase__vin=wrong)

    text = page(client.get(step_url(draft_id, 1)))

    assert 'id="vin_confirmed"' in text


def test_a_valid_saved_vin_asks_no_confirmation(client, draft_id):
    post_step(client, draft_id, 1, action="save")

    assert 'id="vin_confirmed"' not in page(client.get(step_url(draft_id, 1)))


def test_step_2_wear_part_row_is_not_marked_required_and_rate_has_no_value_like_placeholder(
    client, draft_id
):
    text = page(client.get(step_url(draft_id, 2)))

    wear_parts = text.split('id="wear-parts"')[1].split("</fieldset>")[0]
    assert "field__required" not in wear_parts
    assert "aria-required" not in wear_parts
    rate = re.search(r'<input[^>]*id="warranty-compensation_rate_percent"[^>]*>', text).group(0)
    assert "placeholder" not in rate


def test_step_2_a_wear_part_named_without_months_is_still_refused(client, draft_id):
    text = page(post_step(client, draft_id, 2, warranty__wear_parts__0__name="刹车片"))

    assert "请填写月数" in field_errors(text, "warranty-wear_parts-0-months")


@pytest.mark.parametrize(
    ("step", "action", "field_id"),
    [
        (3, "add_problem", "problems-1-system"),
        (3, "add_event", "events-2-problem"),
        (3, "add_part-1", "events-1-replaced-0-assembly"),
        (2, "add_wear_part", "warranty-wear_parts-1-name"),
    ],
)
def test_the_first_field_of_an_added_row_gets_the_focus(client, draft_id, step, action, field_id):
    text = page(post_step(client, draft_id, step, action=action))

    assert re.search(rf'<(input|select)[^>]* autofocus [^>]*id="{field_id}"', text), field_id
    assert text.count("autofocus") == 1


def test_the_wizard_says_nin_throughout(client, draft_at_step_4):
    post_step(client, draft_at_step_4, 4)
    for step in range(1, 7):
        text = page(client.get(step_url(draft_at_step_4, step)))
        main = text.split("<main")[1].split("</main>")[0]
        assert "你" not in main, step


def test_my_drafts_name_the_vehicle(client, draft_id):
    post_step(client, draft_id, 1, action="save")
    other = start_draft(client)

    for url in ("/cases/", "/cases/new"):
        text = page(client.get(url))
        assert f"示例品牌 示例 1.5T 自动豪华型（车辆识别代号尾号 {VIN[-6:]}）" in text, url
        assert "车辆还没有填写" in text, url
    assert other != draft_id


def test_the_start_page_does_not_promise_ten_minutes(client, draft_id):
    text = page(client.get("/cases/new"))

    assert "10 分钟" not in text
    assert "每一步都会自动保存" in text
