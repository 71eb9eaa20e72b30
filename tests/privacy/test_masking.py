"""The masking policy's pure functions and their Jinja filters."""

from __future__ import annotations

import pytest

from disputes.privacy.masking import (
    mask_email,
    mask_id,
    mask_name,
    mask_phone,
    mask_vin,
    mask_vin_model,
    screen_text,
)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("13900000001", "139****0001", id="mobile"),
        pytest.param("02161234567", "021****4567", id="landline"),
        pytest.param("1234567", "*******", id="short-all-hidden"),
        pytest.param("", "", id="empty"),
        pytest.param(None, "", id="none"),
    ],
)
def test_mask_phone_keeps_first_three_and_last_four(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("陈小明", "陈**", id="three-characters"),
        pytest.param("欧阳秘密", "欧***", id="four-characters"),
        pytest.param("王芳", "王*", id="two-characters"),
        pytest.param("陈", "*", id="one-character-all-hidden"),
        pytest.param(" 陈小明 ", "陈**", id="spaces-trimmed"),
        pytest.param(None, "", id="none"),
    ],
)
def test_mask_name_keeps_the_first_character(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("110101199003071234", "110101********1234", id="18-digits-birth-hidden"),
        pytest.param("11010119900307123X", "110101********123X", id="check-letter"),
        pytest.param("1234567890", "**********", id="short-all-hidden"),
        pytest.param(None, "", id="none"),
    ],
)
def test_mask_id_hides_the_date_of_birth(value, masked):
    assert mask_id(value) == masked
    assert "19900307" not in mask_id(value)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("LFV2A21K6N3123458", "***********123458", id="17-characters"),
        pytest.param("123456", "******", id="six-all-hidden"),
        pytest.param("", "", id="empty"),
    ],
)
def test_mask_vin_keeps_the_last_six(value, masked):
    assert mask_vin(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("chen.xiaoming@example.com", "c***@example.com", id="address"),
        pytest.param("@example.com", "****@example.com", id="empty-local-part"),
        pytest.param("not-an-address", "n*************", id="no-at-sign"),
        pytest.param(None, "", id="none"),
    ],
)
def test_mask_email_keeps_first_character_and_domain(value, masked):
    assert mask_email(value) == masked


def test_filters_are_registered_for_templates(app):
    with app.app_context():
        render = app.jinja_env.from_string(
            "{{ p | mask_phone }} {{ n | mask_name }} {{ i | mask_id }} {{ v | mask_vin }} "
            "{{ e | mask_email }}"
        ).render

        text = render(
            p="13712345678", n="陈小明", i="110101199003071234", v="LFV2A21K6N3123458", e="a@b.cn"
        )

    assert text == "137****5678 陈** 110101********1234 ***********123458 a***@b.cn"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("LFV2A21K6N3123458", "LFV2A21K*N*******", id="model-and-year-kept"),
        pytest.param("LFV2A21K6N31", "************", id="not-a-vin-all-hidden"),
        pytest.param(None, "", id="none"),
    ],
)
def test_mask_vin_model_keeps_what_describes_the_model_not_the_car(value, masked):
    assert mask_vin_model(value) == masked


@pytest.mark.parametrize(
    ("text", "screened"),
    [
        pytest.param(
            "我是张三，电话13812345678", "我是消费者，电话138****5678", id="name-and-mobile"
        ),
        pytest.param("请找张先生 +86 138-1234-5678", "请找消费者 138****5678", id="addressed"),
        pytest.param("座机021-61234567", "座机021****4567", id="landline"),
        pytest.param("身份证11010119900307123X", "身份证110101********123X", id="id-number"),
        pytest.param("邮箱zhang.san@example.com", "邮箱z***@example.com", id="e-mail"),
        pytest.param("车架号LFV2A21K6N3123458", "车架号LFV2A21K*N*******", id="vin"),
        pytest.param(
            "零件号8E0-907-115，阀体 0AM325025D",
            "零件号8E0-907-115，阀体 0AM325025D",
            id="parts-kept",
        ),
        pytest.param("里程12345678 km", "里程12345678 km", id="numbers-kept"),
    ],
)
def test_screen_text_masks_who_the_consumer_is(text, screened):
    assert screen_text(text, ["张三"]) == screened
