"""The message templates: one subject and body (msgids, Chinese first; the English catalog
translates them) per kind, rendered in the reader's language when shown and in both languages
when mailed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, gettext

from disputes.formatting import N_

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    """A kind of message: its subject and body with %(name)s placeholders."""

    subject: str
    body: str
    #: A notice the law requires (a refusal, a request for material): sent whatever the
    #: recipient's channel choices.
    legal: bool = False


MESSAGES: dict[str, MessageTemplate] = {
    "case_received": MessageTemplate(
        N_("案件已收到：%(number)s"), N_("您提交的案件 %(number)s 已收到，工作人员将尽快审查。")
    ),
    "case_accepted": MessageTemplate(
        N_("案件已受理：%(number)s"), N_("您的案件 %(number)s 已受理，将分派技术咨询专家。")
    ),
    "case_not_accepted": MessageTemplate(
        N_("案件不予受理：%(number)s"),
        N_("您的案件 %(number)s 不予受理。理由：%(reason)s"),
        legal=True,
    ),
    "info_requested": MessageTemplate(
        N_("请补充材料：%(number)s"),
        N_("您的案件 %(number)s 需要补充材料：%(reason)s 请于 %(due)s 前登录系统提交。"),
        legal=True,
    ),
    "case_routed": MessageTemplate(
        N_("案件已分派专家：%(number)s"), N_("您的案件 %(number)s 已分派技术咨询专家。")
    ),
    "opinion_released": MessageTemplate(
        N_("专家意见已发布：%(number)s"), N_("您的案件 %(number)s 的专家意见已发布，请登录查看。")
    ),
    "business_answered": MessageTemplate(
        N_("经营者已答复：%(number)s"), N_("经营者对您的案件 %(number)s 的答复已登记。")
    ),
    "case_mediation": MessageTemplate(
        N_("案件进入调解：%(number)s"), N_("您的案件 %(number)s 已进入调解阶段。")
    ),
    "outcome_recorded": MessageTemplate(
        N_("处理结果已登记：%(number)s"), N_("您的案件 %(number)s 的处理结果已登记。")
    ),
    "notice_issued": MessageTemplate(
        N_("%(title_label)s：%(number)s"),
        N_("案件 %(number)s 的%(title_label)s（文号 %(notice)s）已送达，请登录系统查看和下载。"),
        legal=True,
    ),
    "case_closed": MessageTemplate(
        N_("案件已结案：%(number)s"), N_("您的案件 %(number)s 已结案。")
    ),
    "case_withdrawn": MessageTemplate(N_("案件已撤回：%(number)s"), N_("案件 %(number)s 已撤回。")),
    "mediation_session_set": MessageTemplate(
        N_("调解安排：%(number)s"),
        N_("案件 %(number)s 的调解定于 %(starts_at)s 进行（%(mode_label)s），地点：%(place)s。"),
    ),
    "mediation_agreement_drafted": MessageTemplate(
        N_("调解协议待确认：%(number)s"),
        N_("案件 %(number)s 的调解协议已拟定，请登录系统阅读并确认。"),
    ),
    "business_new_complaint": MessageTemplate(
        N_("新投诉待答复：%(number)s"),
        N_("针对贵单位的投诉 %(number)s 已受理，请于 %(due)s 前登录系统答复。"),
    ),
    "business_answer_due_soon": MessageTemplate(
        N_("答复期限将至：%(number)s"),
        N_("投诉 %(number)s 的答复应于 %(due)s 前提交，请登录系统答复。"),
    ),
    "business_answer_overdue": MessageTemplate(
        N_("答复已超期：%(number)s"),
        N_("投诉 %(number)s 的答复期限（%(due)s）已过，逾期未答复视为拒绝，请尽快答复。"),
    ),
    "expert_assigned": MessageTemplate(
        N_("新分派案件：%(number)s"), N_("案件 %(number)s 已分派给您，请在期限内出具意见。")
    ),
    "expert_revision_requested": MessageTemplate(
        N_("请修改专家意见：%(number)s"),
        N_("工作人员要求修改案件 %(number)s 的专家意见：%(reason)s"),
    ),
    "staff_new_case": MessageTemplate(
        N_("新案件待审查：%(number)s"), N_("新提交的案件 %(number)s 等待审查。")
    ),
    "staff_info_received": MessageTemplate(
        N_("消费者已补充材料：%(number)s"), N_("案件 %(number)s 的消费者已补充材料，请恢复审查。")
    ),
    "clock_due_soon": MessageTemplate(
        N_("期限将至：%(number)s"), N_("案件 %(number)s 的%(stage_label)s阶段将于 %(due)s 到期。")
    ),
    "clock_overdue": MessageTemplate(
        N_("已超期：%(number)s"),
        N_("案件 %(number)s 的%(stage_label)s阶段已于 %(due)s 到期，请尽快处理。"),
    ),
    "expert_opinion_due_soon": MessageTemplate(
        N_("专家意见期限将至：%(number)s"), N_("案件 %(number)s 的专家意见应于 %(due)s 前出具。")
    ),
    "expert_opinion_overdue": MessageTemplate(
        N_("专家意见已超期：%(number)s"),
        N_("案件 %(number)s 的专家意见已于 %(due)s 到期，请尽快出具。"),
    ),
    "info_reply_due_soon": MessageTemplate(
        N_("补充材料期限将至：%(number)s"),
        N_("请于 %(due)s 前为案件 %(number)s 补充材料，请登录系统提交。"),
    ),
    "info_reply_overdue": MessageTemplate(
        N_("补充材料已超期：%(number)s"),
        N_("案件 %(number)s 补充材料的期限（%(due)s）已过，请尽快提交或联系我们。"),
    ),
    "password_reset_link": MessageTemplate(
        N_("重设密码"),
        N_(
            "有人为您的账户申请了重设密码。请在 %(minutes)s 分钟内打开以下链接"
            "设置新密码（只能使用一次）：\n%(link)s\n如非本人操作，请忽略本邮件，您的密码不会改变。"
        ),
        legal=True,
    ),
    "password_reset_code": MessageTemplate(
        N_("重设密码验证码"),
        N_("您的重设密码验证码为 %(code)s，%(minutes)s 分钟内有效。如非本人操作，请忽略。"),
        legal=True,
    ),
    "registration_code": MessageTemplate(
        N_("注册验证码"),
        N_("您的注册验证码为 %(code)s，%(minutes)s 分钟内有效。如非本人操作，请忽略。"),
        legal=True,
    ),
    "registration_taken": MessageTemplate(
        N_("该手机号已注册"),
        N_(
            "有人用您的手机号申请注册，但该手机号已有账户：请直接登录，忘记密码可找回。如非本人操作，请忽略。"
        ),
        legal=True,
    ),
}

#: The page a recipient of each role opens for a case.
CASE_PAGES: dict[str, str] = {
    "consumer": "cases.detail",
    "expert": "experts.case_detail",
    "staff": "staff.case_detail",
    "admin": "staff.case_detail",
    "business": "business.detail",
}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message's words in one language."""

    subject: str
    body: str


def render(kind: str, params: dict[str, Any]) -> Rendered:
    """Render `kind` in the current language (an unknown kind shows its key). Parameters named
    *_label hold msgids (a stage's name) and are translated too."""
    template = MESSAGES.get(kind)
    if template is None:
        return Rendered(kind, "")
    values = _Known({k: gettext(v) if k.endswith("_label") else v for k, v in params.items()})
    return Rendered(gettext(template.subject) % values, gettext(template.body) % values)


class _Known(dict):
    """A message's parameters: one a template gained after the message was written (the reply
    date of a request for material) shows as a dash instead of failing the inbox page."""

    def __missing__(self, key: str) -> str:
        return "—"


def render_in(kind: str, params: dict[str, Any], locale: str) -> Rendered:
    """Render `kind` in `locale` (e-mails and SMS are written outside the reader's request)."""
    with force_locale(locale):
        return render(kind, params)


def render_all_in(wanted: Mapping[K, tuple[str, dict[str, Any]]], locale: str) -> dict[K, Rendered]:
    """Render each (kind, params) of `wanted` in `locale`, switching the language once."""
    with force_locale(locale):
        return {key: render(kind, params) for key, (kind, params) in wanted.items()}


def external_case_link(role: str, case_id: int | None) -> str | None:
    """Return the absolute URL (under PUBLIC_BASE_URL) of the case page for a recipient of
    `role`: mails are written outside any request, so url_for cannot build it."""
    endpoint = CASE_PAGES.get(role)
    if endpoint is None or case_id is None:
        return None
    return external_url(endpoint, case_id=case_id)


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of `endpoint` under PUBLIC_BASE_URL (outside any request)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)
