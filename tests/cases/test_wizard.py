"""The filing wizard: each step's checks (message shown, other values kept), saving on every
post, list editing without JavaScript, resuming, and input kept across an ended session."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest

from disputes import calendar
from disputes.cases.models import Case, CaseDraft, DraftFile
from disputes.cases.wizard import vin_check_digit
from disputes.db import db
from tests.cases.filing import (
    JPEG,
    PDF,
    PNG,
    STEP_POSTS,
    VIN,
    post_step,
    start_draft,
    step_url,
    upload,
)


def is_selected(text: str, value: str) -> bool:
    """True when the option `value` is the selected one."""
    pattern = rf'<option (?:selected value="{value}"|value="{value}" selected)'
    return re.search(pattern, text) is not None


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def saved(app, draft_id: int) -> CaseDraft:
    with app.app_context():
        draft = db.session.get(CaseDraft, draft_id)
        db.session.expunge(draft)
        return draft


@pytest.fixture
def draft_id(client, login, consumer):
    login(consumer)
    return start_draft(client)


# --- VIN check digit (ISO 3779) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("vin", "digit"),
    [
        pytest.param("1M8GDM9AXKP042788", "X", id="remainder-10-is-X"),
        pytest.param("11111111111111111", "1", id="all-ones"),
        pytest.param(VIN, "2", id="filing-example-corrected"),
        pytest.param("LFV2A21K6N3123458", "2", id="filing-example-as-shared"),
        pytest.param("1M8GDM9AXKP04278", None, id="16-characters"),
        pytest.param("1M8GDM9AXKP04278I", None, id="letter-I"),
    ],
)
def test_vin_check_digit_follows_iso_3779(vin, digit):
    assert vin_check_digit(vin) == digit


# --- step 1 -------------------------------------------------------------------------------------


def test_step_1_missing_invoice_date_is_named_and_other_values_kept(client, draft_id):
    response = post_step(client, draft_id, 1, purchase__invoice_date="")

    text = page(response)
    assert response.status_code == 200
    assert "请填写购车发票上的开票日期" in text
    assert 'value="示例品牌"' in text
    assert f'value="{VIN}"' in text
    assert 'value="168800"' in text


def test_step_1_delivery_before_invoice_is_refused_with_values_kept(client, draft_id):
    response = post_step(client, draft_id, 1, purchase__delivery_date="2024-05-01")

    text = page(response)
    assert "交车日期不能早于发票日期" in text
    assert 'value="2024-05-01"' in text
    assert 'value="2024-05-18"' in text


@pytest.mark.parametrize(
    ("invoice", "refused"),
    [
        pytest.param("2024-05-19", False, id="the-bureau-s-today-is-past-midnight-utc-s-is-not"),
        pytest.param("2024-05-20", True, id="the-bureau-s-tomorrow"),
    ],
)
def test_step_1_a_future_invoice_is_one_after_the_bureau_s_today(
    monkeypatch, client, draft_id, invoice, refused
):
    # 2024-05-18 17:00 UTC is 2024-05-19 01:00 in the bureau (UTC+8).
    monkeypatch.setattr(calendar, "utcnow", lambda: datetime(2024, 5, 18, 17, 0))

    text = page(
        post_step(
            client, draft_id, 1, purchase__invoice_date=invoice, purchase__delivery_date=invoice
        )
    )

    assert ("发票日期不能晚于今天" in text) is refused


def test_step_1_wrong_vin_check_digit_is_refused_with_values_kept(client, draft_id):
    response = post_step(client, draft_id, 1, purchase__vin="LFV2A21K6N3123458")

    text = page(response)
    assert "第 9 位校验位不对" in text
    assert 'value="LFV2A21K6N3123458"' in text
    assert 'value="示例 1.5T 自动豪华型"' in text
    assert 'name="vin_confirmed"' in text


def test_step_1_a_confirmed_vin_with_a_wrong_check_digit_is_accepted(client, draft_id):
    response = post_step(client, draft_id, 1, purchase__vin="LFV2A21K6N3123458", vin_confirmed="y")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/drafts/{draft_id}/step/2")


def test_step_1_confirmation_does_not_excuse_a_malformed_vin(client, draft_id):
    text = page(post_step(client, draft_id, 1, purchase__vin="LFV2A21K6N312345", vin_confirmed="y"))
    assert "17 位" in text


def test_step_1_a_valid_vin_needs_no_confirmation(client, draft_id):
    assert 'name="vin_confirmed"' not in page(client.get(step_url(draft_id, 1)))


@pytest.mark.parametrize(
    ("vin", "message"),
    [
        pytest.param("LFV2A21K2N312345", "车辆识别代号是 17 位，您填了 16 位", id="too-short"),
        pytest.param("LFV2A21K2N312345O", "没有字母 I、O、Q", id="letter-O"),
    ],
)
def test_step_1_vin_shape_is_explained(client, draft_id, vin, message):
    text = page(post_step(client, draft_id, 1, purchase__vin=vin))

    assert message in text
    assert f'value="{vin}"' in text


def test_step_1_price_zero_is_refused_with_values_kept(client, draft_id):
    text = page(post_step(client, draft_id, 1, purchase__price_yuan="0"))

    assert "车价款必须大于 0" in text
    assert 'value="0"' in text
    assert f'value="{VIN}"' in text


def test_a_valid_step_moves_on_and_saves(app, client, draft_id):
    response = post_step(client, draft_id, 1)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(step_url(draft_id, 2))
    draft = saved(app, draft_id)
    assert draft.step == 2
    assert draft.data["1"]["purchase-vin"] == [VIN]


def test_an_invalid_step_is_saved_too(app, client, draft_id):
    post_step(client, draft_id, 1, purchase__price_yuan="0", purchase__invoice_date="")

    draft = saved(app, draft_id)
    assert draft.step == 1
    assert draft.data["1"]["purchase-price_yuan"] == ["0"]
    assert draft.data["1"]["purchase-brand"] == ["示例品牌"]


# --- step 2 -------------------------------------------------------------------------------------


def test_step_2_starts_with_the_legal_minimums(client, draft_id):
    text = page(client.get(step_url(draft_id, 2)))

    assert 'value="60000"' in text
    assert 'value="50000"' in text
    assert "包修期 3 年或 6 万公里" in text


def test_step_2_rate_out_of_range_is_refused_with_values_kept(client, draft_id):
    text = page(post_step(client, draft_id, 2, warranty__compensation_rate_percent="50"))

    assert "请填写百分数，例如 0.5" in text
    assert 'value="50"' in text
    assert 'value="60000"' in text


# --- step 3 -------------------------------------------------------------------------------------


def test_step_3_odometer_going_backwards_is_refused_with_values_kept(client, draft_id):
    text = page(post_step(client, draft_id, 3, events__1__odometer_km="3000"))

    assert "里程不能倒退：2024-07-02 那次维修时已经是 4200 公里" in text
    assert 'value="3000"' in text
    assert "变速器低速顿挫、换挡冲击" in text


def test_step_3_pickup_before_dropoff_is_refused(client, draft_id):
    text = page(post_step(client, draft_id, 3, events__1__end_date="2024-08-01"))

    assert "取车日期不能早于送修日期" in text
    assert 'value="2024-08-01"' in text
    assert 'value="7600"' in text


def test_step_3_needs_one_problem(client, draft_id):
    text = page(post_step(client, draft_id, 3, problems__0__description=""))

    assert "请用一句话描述这个问题" in text


def test_step_3_adds_and_removes_rows_without_javascript(app, client, draft_id):
    text = page(post_step(client, draft_id, 3, action="add_event"))
    assert "第 3 次维修" in text
    assert saved(app, draft_id).data["3"]["events-1-odometer_km"] == ["7600"]

    text = page(post_step(client, draft_id, 3, action="remove_event-0"))
    assert "第 2 次维修" not in text
    data = saved(app, draft_id).data["3"]
    assert data["events-0-odometer_km"] == ["7600"]  # the rows are renumbered
    assert "events-1-odometer_km" not in data


# --- step 4 -------------------------------------------------------------------------------------


def test_step_4_asks_per_problem_and_maps_answers_to_facts(app, client, draft_id):
    for step in (1, 2, 3):
        post_step(client, draft_id, step)
    text = page(client.get(step_url(draft_id, 4)))
    assert "问题 P1：变速器低速顿挫、换挡冲击" in text
    assert "营运" in text

    post_step(client, draft_id, 4, commercial="yes", answers__0__modified="yes")

    from disputes.cases.facts import facts_dict_from_form
    from disputes.cases.wizard_state import facts_form

    with app.test_request_context():
        facts = facts_dict_from_form(facts_form(saved(app, draft_id).data))
    assert facts["vehicle"]["use"] == "commercial"
    assert facts["problems"]["P1"]["exclusion"] == "modification"
    assert facts["problems"]["P1"]["quality_problem"] is True


def test_step_4_accident_means_not_a_quality_problem(app, client, draft_id):
    for step in (1, 2, 3):
        post_step(client, draft_id, step)
    post_step(client, draft_id, 4, answers__0__accident="yes")

    from disputes.cases.facts import facts_dict_from_form
    from disputes.cases.wizard_state import facts_form

    with app.test_request_context():
        facts = facts_dict_from_form(facts_form(saved(app, draft_id).data))
    assert facts["problems"]["P1"]["quality_problem"] is False
    assert facts["problems"]["P1"]["exclusion"] is None
    assert facts["vehicle"]["use"] == "household"


# --- step 5 -------------------------------------------------------------------------------------


def test_step_5_defaults_to_today_and_the_last_odometer(client, draft_id, consumer):
    post_step(client, draft_id, 3)
    text = page(client.get(step_url(draft_id, 5)))

    # The bureau's day (China), which is the machine's next day from 16:00 UTC.
    assert f'value="{calendar.local_day().isoformat()}"' in text
    assert 'value="7600"' in text
    assert f'value="{consumer.name}"' in text


def test_step_5_odometer_below_last_visit_is_refused_with_values_kept(client, draft_id):
    post_step(client, draft_id, 3)

    text = page(post_step(client, draft_id, 5, as_of__odometer_km="5000"))

    assert "里程不能倒退：最后一次维修时已经是 7600 公里" in text
    assert 'value="某某汽车销售服务有限公司"' in text
    assert 'value="13912345678"' in text


def test_step_5_missing_business_and_bad_phone_are_named(client, draft_id):
    text = page(
        post_step(client, draft_id, 5, details__business_name="", details__contact_phone="123")
    )

    assert "请填写您要投诉的商家名称" in text
    assert "请填写 11 位手机号" in text
    assert 'value="张三"' in text


# --- step 6: uploads ----------------------------------------------------------------------------


def test_step_6_stores_a_pdf_under_a_random_name(app, client, draft_id, tmp_path):
    text = page(upload(client, draft_id, PDF, "发票.pdf"))

    assert "发票.pdf" in text
    with app.app_context():
        stored = db.session.scalars(db.select(DraftFile)).one()
        assert stored.content_type == "application/pdf"
        assert "发票" not in stored.stored_name
        from disputes.cases.uploads import path_of

        assert path_of(stored.stored_name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(PNG, "维修单.pdf", "扩展名和内容不一致：内容是 PNG", id="png-renamed-pdf"),
        pytest.param(
            b"#!/bin/sh\nrm -rf /\n", "照片.jpg", "不是 PDF、JPEG 或 PNG 文件", id="script-as-jpg"
        ),
        pytest.param(JPEG, "照片.png", "扩展名和内容不一致：内容是 JPEG", id="jpeg-renamed-png"),
        pytest.param(b"", "空.pdf", "是空的", id="empty"),
    ],
)
def test_step_6_refuses_files_whose_content_is_not_what_they_claim(
    app, client, draft_id, content, name, message
):
    text = page(upload(client, draft_id, content, name, kind="photo"))

    assert message in text
    assert is_selected(text, "photo")  # the chosen kind is kept
    with app.app_context():
        assert db.session.scalars(db.select(DraftFile)).all() == []


def test_step_6_refuses_a_file_over_the_size_limit(app, client, draft_id):
    app.config["UPLOAD_MAX_FILE_BYTES"] = 1024

    text = page(upload(client, draft_id, PDF + b"0" * 2048, "大文件.pdf", kind="repair_order"))

    assert "太大了：每个文件不能超过" in text
    assert is_selected(text, "repair_order")


def test_step_6_refuses_more_files_than_the_limit(app, client, draft_id):
    app.config["UPLOAD_MAX_FILES"] = 1
    upload(client, draft_id, PDF, "a.pdf")

    text = page(upload(client, draft_id, PDF, "b.pdf"))

    assert "最多上传 1 个文件" in text


def test_step_6_removing_a_file_deletes_it_from_disk(app, client, draft_id):
    upload(client, draft_id, PDF, "a.pdf")
    with app.app_context():
        stored = db.session.scalars(db.select(DraftFile)).one()
        from disputes.cases.uploads import path_of

        path = path_of(stored.stored_name)
    assert path.exists()

    client.post(
        step_url(draft_id, 6), data={"kind": "invoice", "action": f"remove_file-{stored.id}"}
    )

    assert not path.exists()
    with app.app_context():
        assert db.session.scalars(db.select(DraftFile)).all() == []


# --- step 7 -------------------------------------------------------------------------------------


def test_review_shows_the_assessment_and_requires_consent(client, filled_draft):
    text = page(client.get(step_url(filled_draft, 7)))
    assert "免费修理" in text
    assert "经争议双方同意，可以选择技术咨询人员参与争议处理" in text

    response = post_step(client, filled_draft, 7, action="submit", consent=None)

    assert response.status_code == 200
    assert "提交前请勾选同意专家参与" in page(response)


def test_review_lists_steps_still_missing(client, draft_id):
    post_step(client, draft_id, 1)

    text = page(client.get(step_url(draft_id, 7)))

    assert "第 2 步" in text
    assert "第 5 步" in text
    assert "提交申请" in text
    assert "disabled" in text


# --- drafts: resume, list, session end ----------------------------------------------------------


def test_leaving_and_returning_resumes_at_the_saved_step_with_values(client, draft_id):
    post_step(client, draft_id, 1)
    post_step(client, draft_id, 2, action="next")
    post_step(client, draft_id, 3, action="save", events__1__odometer_km="7700")

    index = page(client.get("/cases/"))
    assert "我的草稿" in index
    assert step_url(draft_id, 3) in index

    text = page(client.get(step_url(draft_id, 3)))
    assert "第 3 步，共 7 步" in text
    assert 'value="7700"' in text


def test_back_saves_the_step_without_checking_it(app, client, draft_id):
    response = post_step(client, draft_id, 2, action="back", warranty__repair_warranty_km="abc")

    assert response.headers["Location"].endswith(step_url(draft_id, 1))
    assert saved(app, draft_id).data["2"]["warranty-repair_warranty_km"] == ["abc"]


def test_a_post_after_the_session_ended_is_kept_through_the_login(app, client, consumer):
    from disputes.auth.models import User

    with client.session_transaction() as session:
        session.clear()
    with app.app_context():
        owner = db.session.get(User, consumer.id)
        from disputes.cases import services

        draft = services.create_draft(owner)
        db.session.commit()
        draft_id = draft.id

    response = post_step(client, draft_id, 1, purchase__brand="登录前输入的品牌")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"]

    login = client.post(
        "/auth/login",
        data={
            "identifier": consumer.mobile,
            "password": "secret123",
            "next": step_url(draft_id, 1),
        },
    )
    assert login.headers["Location"].endswith(step_url(draft_id, 1))

    text = page(client.get(step_url(draft_id, 1)))
    assert 'value="登录前输入的品牌"' in text
    assert "已恢复您登录前填写的内容" in text
    assert saved(app, draft_id).data["1"]["purchase-brand"] == ["登录前输入的品牌"]


def csrf_token_in(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page(response)).group(1)


def login_with_form(client, consumer, next_url: str) -> None:
    token = csrf_token_in(client.get("/auth/login"))
    form = {"identifier": consumer.mobile, "password": "secret123", "next": next_url}
    assert client.post("/auth/login", data={**form, "csrf_token": token}).status_code == 302


@pytest.mark.parametrize("token", [None, "forged", "another-session"])
def test_a_cross_site_post_without_this_sessions_token_is_not_kept_through_the_login(
    app, client, login, consumer, token
):
    login(consumer)
    draft_id = start_draft(client)
    post_step(client, draft_id, 1)
    app.config["WTF_CSRF_ENABLED"] = True
    if token == "another-session":
        token = csrf_token_in(app.test_client().get("/auth/login"))
    client.post("/auth/logout", data={"csrf_token": csrf_token_in(client.get("/cases/"))})
    with client.session_transaction() as session:
        session.clear()  # the victim's cookie is not sent with a cross-site post
    evil = {"purchase-brand": "ATTACKER", **({"csrf_token": token} if token else {})}

    response = client.post(step_url(draft_id, 1), data=evil)
    login_with_form(client, consumer, step_url(draft_id, 1))
    text = page(client.get(step_url(draft_id, 1)))

    assert response.status_code == 302
    assert "ATTACKER" not in text
    assert "已恢复您登录前填写的内容" not in text
    assert saved(app, draft_id).data["1"]["purchase-brand"] == ["示例品牌"]


def test_a_post_with_this_sessions_token_is_kept_through_the_login(app, client, consumer):
    from disputes.cases import services

    with app.app_context():
        draft = services.create_draft(db.session.get(type(consumer), consumer.id))
        db.session.commit()
        draft_id = draft.id
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token_in(client.get("/auth/login"))  # the page was open when the session ended

    client.post(step_url(draft_id, 1), data={"purchase-brand": "我的品牌", "csrf_token": token})
    login_with_form(client, consumer, step_url(draft_id, 1))
    text = page(client.get(step_url(draft_id, 1)))

    assert "已恢复您登录前填写的内容" in text
    assert saved(app, draft_id).data["1"]["purchase-brand"] == ["我的品牌"]


def test_a_stash_is_not_restored_into_someone_elses_draft(app, client, login, make_user):
    owner, other = make_user("consumer"), make_user("consumer")
    login(owner)
    draft_id = start_draft(client)
    with client.session_transaction() as session:
        session["wizard_stash"] = {"draft_id": draft_id, "step": 1, "raw": {"x": ["y"]}}
    login(other)

    assert client.get(step_url(draft_id, 1)).status_code == 404
    assert "1" not in saved(app, draft_id).data


def test_invalid_csrf_keeps_the_input_on_the_page(app, client, draft_id):
    app.config["WTF_CSRF_ENABLED"] = True

    response = post_step(client, draft_id, 1, purchase__brand="未保存的品牌")

    assert response.status_code == 400
    text = page(response)
    assert "页面已过期" in text
    assert 'value="未保存的品牌"' in text
    assert "1" not in saved(app, draft_id).data


@pytest.mark.parametrize("token", [None, "forged", "another-session"])
def test_an_expired_token_on_a_list_step_shows_every_typed_value_again_and_saves_nothing(
    app, client, draft_id, token
):
    post_step(client, draft_id, 3)
    before = saved(app, draft_id).data["3"]
    app.config["WTF_CSRF_ENABLED"] = True
    if token == "another-session":  # the page was opened in a session that has since ended
        token = csrf_token_in(app.test_client().get("/auth/login"))

    response = post_step(
        client,
        draft_id,
        3,
        action="add_event",
        events__1__odometer_km="7654",
        problems__0__description="刚输入、还没保存的描述",
        **({"csrf_token": token} if token else {}),
    )

    assert response.status_code == 400
    text = page(response)
    assert "页面已过期，您填写的内容还在" in text
    assert "刚输入、还没保存的描述" in text
    assert 'value="7654"' in text
    assert 'id="events-2-start_date"' not in text  # the button was not acted on
    assert saved(app, draft_id).data["3"] == before


@pytest.mark.parametrize(
    ("step", "action"),
    [(1, "next"), (1, "autosave"), (1, "go_to-3"), (3, "add_problem"), (7, "submit")],
)
def test_a_cross_site_post_with_the_signed_in_cookie_but_no_token_changes_nothing(
    app, client, filled_draft, step, action
):
    before = saved(app, filled_draft)
    app.config["WTF_CSRF_ENABLED"] = True

    response = post_step(client, filled_draft, step, action=action, purchase__brand="ATTACKER")

    assert response.status_code == 400
    after = saved(app, filled_draft)
    assert (after.data, after.step, after.submitted_case_id) == (before.data, before.step, None)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0
    with client.session_transaction() as session:
        assert "wizard_stash" not in session


def test_every_step_shows_the_progress_indicator(client, draft_id):
    for step in range(1, 8):
        text = page(client.get(step_url(draft_id, step)))
        assert f"第 {step} 步，共 7 步" in text
        assert "保存草稿" in text


def test_unknown_step_is_404(client, draft_id):
    assert client.get(step_url(draft_id, 8)).status_code == 404
    assert client.get(step_url(draft_id, 0)).status_code == 404


def test_deleting_a_draft_removes_its_files(app, client, draft_id):
    upload(client, draft_id, PDF, "a.pdf")
    with app.app_context():
        from disputes.cases.uploads import path_of

        path = path_of(db.session.scalars(db.select(DraftFile)).one().stored_name)

    response = client.post(f"/cases/drafts/{draft_id}/delete")

    assert response.status_code == 302
    assert not path.exists()
    with app.app_context():
        assert db.session.get(CaseDraft, draft_id) is None


def test_step_posts_cover_every_step():
    assert sorted(STEP_POSTS) == list(range(1, 8))


def test_step_2_adds_a_wear_part_row_and_keeps_the_others(app, client, draft_id):
    text = page(
        post_step(
            client, draft_id, 2, action="add_wear_part", warranty__wear_parts__0__name="刹车片"
        )
    )

    assert "warranty-wear_parts-1-name" in text
    assert 'value="刹车片"' in text
    assert saved(app, draft_id).data["2"]["warranty-wear_parts-0-name"] == ["刹车片"]


@pytest.mark.parametrize(
    ("step", "field", "value", "message"),
    [
        (1, "purchase-price_yuan", "1e26", "车价款不能超过 9999999999.99 元"),
        (1, "purchase-invoice_date", "9998-12-31", "请填写 1900 年到 2100 年之间的日期"),
        (5, "claim-written_request_date", "9999-12-31", "请填写 1900 年到 2100 年之间的日期"),
    ],
)
def test_a_number_or_date_out_of_range_is_refused_next_to_its_field(
    app, client, draft_id, step, field, value, message
):
    response = post_step(client, draft_id, step, **{field.replace("-", "__"): value})

    text = page(response)
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error">\s*<li>{re.escape(message)}</li>', text)
    assert saved(app, draft_id).data[str(step)][field] == [value]


def test_a_draft_saved_with_the_year_9999_is_reviewed_and_submitted_without_a_500(
    app, client, draft_id
):
    for step in range(1, 5):
        post_step(client, draft_id, step)
    post_step(client, draft_id, 5, claim__written_request_date="9999-12-31")

    review = client.get(step_url(draft_id, 7))
    submit = post_step(client, draft_id, 7, action="submit", consent="y")

    assert review.status_code == 200
    assert submit.status_code == 200
    assert "下面几步还有需要补充或修改的地方" in page(submit)
    assert f'href="{step_url(draft_id, 5)}"' in page(submit)
    assert saved(app, draft_id).submitted_case_id is None


def test_steps_5_and_6_tell_what_the_expert_will_not_see(client, draft_id):
    claim = page(client.get(step_url(draft_id, 5)))
    files = page(client.get(step_url(draft_id, 6)))

    assert "技术专家会读到这段话，其中的电话、证件号和您的姓名会被遮盖" in claim
    assert 'id="evidence-privacy"' in files
    assert "技术专家看不到文件名" in files
    assert "身份证等只用于核实身份的材料，工作人员不会提供给专家" in files
