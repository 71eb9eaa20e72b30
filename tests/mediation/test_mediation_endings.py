"""Order 20 Arts. 21–22 through the services: each termination reason sends one 终止调解告知书 to
both parties and closes the case; the agreement is confirmed by both, then its 调解书 is issued
and the case closes with the outcome of its terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from disputes.cases.models import Case, CaseOutcome, CaseStatus, ClockPause
from disputes.cases.uploads import path_of
from disputes.db import db
from disputes.mediation import agreements, queries, services, terminations
from disputes.mediation.models import (
    TERMINATION_REASONS,
    AgreementAction,
    MediationParty,
    TerminationReason,
)
from disputes.notices.models import CaseNotice, NoticeKind
from tests import pdf_checks

S = CaseStatus
C, B = MediationParty.consumer, MediationParty.business


def _case(case_id: int) -> Case:
    return db.session.get_one(Case, case_id)


def _actor(user):
    return db.session.get_one(type(user), user.id)


def _notices(case_id: int, kind: NoticeKind) -> list[CaseNotice]:
    stmt = select(CaseNotice).where(CaseNotice.case_id == case_id, CaseNotice.kind == kind)
    return list(db.session.scalars(stmt))


def _pdf_text(notice: CaseNotice) -> str:
    return pdf_checks.text(path_of(notice.stored_name).read_bytes())


# --- Art. 21: termination ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [pytest.param(r, id=f"Order20.{TERMINATION_REASONS[r][0]}") for r in TerminationReason],
)
def test_each_termination_reason_sends_one_notice_to_both_and_closes(app, walk, staff, reason):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        termination = terminations.terminate(case, reason, "当事人明确表示", _actor(staff))

        [notice] = _notices(case_id, NoticeKind.termination)
        assert (notice.to_consumer, notice.to_business) == (True, True)
        assert termination.notice_id == notice.id
        assert termination.decided_on <= termination.notified_on
        assert termination.notified_on <= terminations.notice_due_on(termination)
        assert (case.status, case.outcome) == (S.closed, CaseOutcome.referred)
        item, wording = TERMINATION_REASONS[reason]
        text = _pdf_text(notice)
        assert "终止调解告知书" in text
        assert wording in text
        assert f"第二十一条第（{item[3]}）项" in text


def test_a_second_termination_sends_no_second_notice(app, walk, staff):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        terminations.terminate(case, TerminationReason.time_limit, "", _actor(staff))
        with pytest.raises(services.MediationError, match="已经终止"):
            terminations.terminate(case, TerminationReason.time_limit, "", _actor(staff))
        assert len(_notices(case_id, NoticeKind.termination)) == 1


def test_the_business_refusing_mediation_ends_the_case_before_mediation(app, walk, staff, business):
    case_id = walk("opinion_received", consent=False)
    with app.app_context():
        case = _case(case_id)
        services.record_consent(case, B, False, "不同意调解", _actor(business))
        terminations.terminate(
            case, TerminationReason.absent_or_refused, "经营者拒绝", _actor(staff)
        )
        assert case.status == S.closed
        assert len(_notices(case_id, NoticeKind.termination)) == 1


def test_a_termination_ends_a_running_inspection_pause(app, walk, staff):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        data = services.InspectionData(
            "中心", "事项", Decimal("1"), services.CostPayer.shared, date(2026, 12, 7)
        )
        services.start_inspection(case, data, _actor(staff))
        terminations.terminate(case, TerminationReason.no_inspection_agreement, "", _actor(staff))
        assert not db.session.scalars(
            select(ClockPause).where(ClockPause.case_id == case_id, ClockPause.ended_at.is_(None))
        ).all()


# --- Art. 22: the agreement ----------------------------------------------------------------------

TERMS = agreements.TermsData(
    AgreementAction.compensation, Decimal("12000.50"), date(2026, 12, 31), "另赠送保养两次"
)


def test_the_agreement_is_issued_once_both_parties_confirmed(app, walk, staff, consumer, business):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        agreement = agreements.draft_agreement(case, TERMS, _actor(staff))
        assert agreement.opinion_id is not None

        agreements.confirm_agreement(agreement, C, _actor(consumer))
        assert _notices(case_id, NoticeKind.mediation_agreement) == []
        with pytest.raises(services.MediationError, match="不能再修改"):
            agreements.draft_agreement(case, TERMS, _actor(staff))
        with pytest.raises(services.MediationError, match="按调解结果结案"):
            agreements.close_with_agreement(case, _actor(staff))
        agreements.confirm_agreement(agreement, B, _actor(staff), on_paper=True)

        [notice] = _notices(case_id, NoticeKind.mediation_agreement)
        assert (notice.to_consumer, notice.to_business) == (True, True)
        assert agreement.business_on_paper
        assert not agreement.consumer_on_paper
        with pytest.raises(services.MediationError, match="已经确认"):
            agreements.confirm_agreement(agreement, B, _actor(business))
        assert len(_notices(case_id, NoticeKind.mediation_agreement)) == 1

        agreements.close_with_agreement(case, _actor(staff))
        assert (case.status, case.outcome) == (S.closed, CaseOutcome.compensated)


def test_the_agreement_pdf_names_the_remedies_their_articles_and_the_opinion(
    app, walk, staff, consumer
):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        agreement = agreements.draft_agreement(case, TERMS, _actor(staff))
        agreements.confirm_agreement(agreement, C, _actor(consumer))
        agreements.confirm_agreement(agreement, B, _actor(staff), on_paper=True)
        [notice] = _notices(case_id, NoticeKind.mediation_agreement)
        opinion = queries.get_released_opinion(case_id)

        text = _pdf_text(notice)
        assert agreement.remedies, "the test case's assessment grants a remedy"
        for remedy in agreement.remedies:
            assert remedy["label"] in text
            assert remedy["article"].replace(" ", "") in text
            assert remedy["basis"] in text
        assert f"{case.number}-E{opinion.id}" in text
        assert "12000.50元" in text
        assert "2026-12-31" in text
        assert "另赠送保养两次" in text
        assert "第二十二条" in text


@pytest.mark.parametrize(
    ("action", "outcome"),
    [
        (AgreementAction.repair, CaseOutcome.repaired),
        (AgreementAction.replace, CaseOutcome.replaced),
        (AgreementAction.return_, CaseOutcome.returned),
        (AgreementAction.compensation, CaseOutcome.compensated),
    ],
)
def test_an_agreement_performed_at_once_keeps_a_record_and_closes(
    app, walk, staff, action, outcome
):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        terms = agreements.TermsData(action, None, None, "")
        agreement = agreements.record_performed(case, terms, "当场更换并交付", _actor(staff))

        assert agreement.is_performed_at_once
        assert agreement.record == "当场更换并交付"
        assert _notices(case_id, NoticeKind.mediation_agreement) == []
        assert (case.status, case.outcome) == (S.closed, outcome)
