"""Complaints staff register (Order 20 Arts. 9-10): the complainant's account found by mobile or
created, a filing draft owned by it that staff fill in through the wizard's steps, and the
submission that records the channel, the day received and the agent (flush and audit; the view
commits)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from werkzeug.datastructures import FileStorage

from disputes import audit
from disputes.auth import queries as auth_queries
from disputes.auth.models import Role, User
from disputes.auth.services import UserData, create_user
from disputes.cases import services as case_services
from disputes.cases import uploads
from disputes.cases.models import INTAKE_KEY, Case, CaseDraft, IntakeChannel
from disputes.cases.vocabulary import AttachmentKind
from disputes.db import db
from disputes.formatting import N_
from disputes.privacy.masking import mask_id, mask_name


class IntakeError(Exception):
    """The intake cannot go on as asked; `field` names the input to correct (msgid message)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class IntakeData:
    """What staff registered about a complaint, besides its facts."""

    channel: IntakeChannel
    received_on: date
    mobile: str
    name: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    agent_relation: str = ""


def complainant_for(data: IntakeData, actor: User) -> User:
    """Return the consumer account with the mobile number, or create one (its owner claims it
    through "forgot password", which texts a code to the number)."""
    user = auth_queries.get_user_by_mobile(data.mobile)
    if user is not None:
        if user.role != Role.consumer:
            raise IntakeError(
                "mobile", N_("这个手机号属于工作人员、专家或经营者的账号，不能作为投诉人。")
            )
        return user
    if not data.name.strip():
        raise IntakeError(
            "name", N_("这个手机号还没有账号：请填写投诉人姓名，系统将为其建立账号。")
        )
    # The password is never told to anyone: the consumer sets their own through "forgot password".
    account = UserData(
        name=data.name.strip(), password=secrets.token_urlsafe(32), mobile=data.mobile
    )
    return create_user(account, actor, enforce_policy=False)


def start_intake(data: IntakeData, attorney: FileStorage | None, actor: User) -> CaseDraft:
    """Open the filing draft of a registered complaint, owned by the complainant's account, with
    the power of attorney among its files; audit case.intake_started."""
    consumer = complainant_for(data, actor)
    try:
        draft = case_services.create_draft(consumer)
    except case_services.TooManyDrafts:
        raise IntakeError(
            "mobile", N_("这个投诉人未提交的草稿太多了：请先处理或删除其草稿。")
        ) from None
    draft.data = {INTAKE_KEY: {**_stored(data), "registered_by": actor.id}}
    if data.agent_name and attorney is not None:
        try:
            uploads.store_draft_upload(draft, attorney, AttachmentKind.power_of_attorney)
        except uploads.UploadError as error:
            raise IntakeError("power_of_attorney", error.message) from None
    db.session.flush()
    audit.record(
        actor,
        "case.intake_started",
        draft,
        after={"draft_id": draft.id, "consumer_id": consumer.id, "channel": data.channel},
    )
    return draft


def _stored(data: IntakeData) -> dict[str, Any]:
    return audit.jsonable(asdict(data))


def intake_of(draft: CaseDraft) -> dict[str, Any] | None:
    """Return the intake details of a draft staff opened, or None for a consumer's own draft."""
    return (draft.data or {}).get(INTAKE_KEY)


def submit_intake(
    draft: CaseDraft,
    facts: dict[str, Any],
    details: dict[str, Any],
    assessment: dict[str, Any],
    actor: User,
    *,
    key: str | None = None,
) -> Case:
    """File the registered complaint once (cases.services.submit_draft, for its owner) and record
    how and when it came in and through whom; audit case.intake_registered."""
    intake = intake_of(draft) or {}
    case = case_services.submit_draft(draft, facts, details, assessment, draft.owner, key=key)
    if case.received_on is not None:  # a repeated submission: recorded already
        return case
    case.intake_channel = IntakeChannel(intake["channel"])
    case.received_on = date.fromisoformat(intake["received_on"])
    case.agent_name = (intake.get("agent_name") or "").strip() or None
    case.agent_id_number = (intake.get("agent_id_number") or "").strip().upper() or None
    case.agent_relation = (intake.get("agent_relation") or "").strip() or None
    db.session.flush()
    audit.record(
        actor,
        "case.intake_registered",
        case,
        after={
            "channel": case.intake_channel,
            "received_on": case.received_on,
            "agent_name": case.agent_name,
            "agent_relation": case.agent_relation,
        },
    )
    return case


#: How a complaint came in, as the case file prints it (always in Chinese).
CHANNEL_NAMES = {
    IntakeChannel.online: "在线申请",
    IntakeChannel.phone: "电话",
    IntakeChannel.letter: "信函",
    IntakeChannel.in_person: "当面",
}


def intake_rows(case: Case, *, full: bool) -> list[list[str]]:
    """Return the case file's rows on the intake: channel, day received, agent (masked unless
    `full`, as the complainant's own details are)."""
    rows = [["投诉渠道", CHANNEL_NAMES.get(case.intake_channel, str(case.intake_channel))]]
    if case.received_on is not None:
        rows.append(["收到投诉日期", case.received_on.isoformat()])
    if case.agent_name:
        name = case.agent_name if full else mask_name(case.agent_name)
        id_number = case.agent_id_number if full else mask_id(case.agent_id_number)
        relation = case.agent_relation or "—"
        rows.append(["委托代理人", f"{name}（{relation}），身份证号 {id_number or '—'}"])
    return rows
