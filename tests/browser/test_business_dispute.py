"""Two walks through the browser: the business joins the case and the case follows the
complaint procedure of SAMR Order No. 20, from filing to a confirmed 调解书, or to a lawful
termination with its notice.

Setup only (not presented as steps): the demo data, and an approved business organisation with
one business user, named as the consumer names the business in the filing wizard.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.live import load_demo, log_in, serve, site_app
from tests.browser.steps import (
    business_answers_online,
    expect_heading,
    expect_said,
    expect_status,
    log_out,
    main_text,
    section,
    staff_open,
)
from tests.browser.wizard import BUSINESS, consumer_files

pytestmark = pytest.mark.browser

CREDIT_CODE = "91130100MA0EXAMP0T"
BUSINESS_LOGIN, BUSINESS_PASSWORD = "dealer@business.example.test", "jingying2026"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """A live site over demo data of its own plus the business's organisation and user."""
    app = site_app(tmp_path_factory.mktemp("business-dispute"), "live.sqlite")
    load_demo(app)
    _add_business(app)
    url, stop = serve(app, "business-dispute")
    try:
        yield url, app
    finally:
        stop()


def _add_business(app) -> None:
    """Set-up data: an approved organisation and its business user."""
    from disputes.auth.models import Role, User
    from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus
    from disputes.db import db

    with app.app_context():
        org = Organisation(
            name=BUSINESS,
            credit_code=CREDIT_CODE,
            role=OrganisationRole.seller,
            contact_name="赵经理",
            contact_phone="0311-88886666",
            status=OrganisationStatus.approved,
        )
        db.session.add(org)
        db.session.flush()
        user = User(role=Role.business, name="赵经理", email=BUSINESS_LOGIN, organisation_id=org.id)
        user.set_password(BUSINESS_PASSWORD, "pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()


# --- steps ----------------------------------------------------------------------------------------


def routed_expert(page) -> tuple[str, str]:
    """The code and login of the expert the staff case page says the case is routed to."""
    from disputes import demo

    routing = section(page, "routing-title").inner_text()
    code = re.search(r"分派给 (E\d\d)", routing).group(1)
    return code, demo.expert_email(int(code[1:]))


def expert_signs(page, url: str, login: str, number: str, reasoning: str) -> None:
    """The routed expert writes the opinion and signs it."""
    from disputes import demo

    log_in(page, url, login, demo.DEMO_PASSWORD)
    expect_heading(page, "我的待办")
    page.locator("tr", has_text=number).get_by_role("link", name=number).click()
    page.get_by_role("link", name="撰写技术意见").click()
    expect_heading(page, f"技术意见 {number}")
    page.get_by_label("是产品质量问题", exact=True).check()
    page.get_by_label("支持", exact=True).check()
    page.get_by_label("不需要", exact=True).check()
    page.get_by_label("建议的处理方式").select_option(label="退车")
    page.get_by_label("分析意见和理由").fill(reasoning)
    page.get_by_label(re.compile("我确认以上意见是本人")).check()
    page.get_by_label("登录密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="签署提交").click()
    expect_said(page, "意见已签署并锁定")
    log_out(page)


def staff_releases(page, url: str, staff: tuple[str, str], number: str) -> None:
    log_in(page, url, *staff)
    staff_open(page, url, number)
    page.get_by_role("button", name="审核通过并发布意见").click()
    expect_status(page, "已出具专家意见")


def pdf_text(page, href: str) -> str:
    """Download a PDF the page links to and return its text without whitespace."""
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200, href
    assert response.headers["content-type"].startswith("application/pdf")
    reader = PdfReader(io.BytesIO(response.body()))
    return "".join("".join(p.extract_text().split()) for p in reader.pages)


def notice_link(page, title: str):
    """The link to the case's notice called `title` in its 文书 list."""
    return page.locator("#notices").get_by_role("link", name=title, exact=True)


def read_notice(page, title: str) -> str:
    """The text of the notice called `title`, downloaded from the page's 文书 list."""
    link = notice_link(page, title)
    expect(link).to_have_count(1)
    return pdf_text(page, link.get_attribute("href"))


def staff_links_the_business(page, url: str, case_id: int) -> None:
    """From the staff case page, find the business's organisation and link it to the case."""
    page.goto(f"{url}/staff/cases/{case_id}")
    page.get_by_role("link", name="关联、解除或邀请经营者").click()
    page.locator("#org-q").fill(CREDIT_CODE)
    page.get_by_role("button", name="查找").click()
    page.get_by_role("button", name="关联本案").click()
    page.goto(f"{url}/staff/cases/{case_id}")
    expect(page.locator("#organisation")).to_contain_text("本案已关联经营者")


def staff_screens_links_and_accepts(page, url: str, staff, number: str) -> int:
    """Staff screen the filed case, link the business's organisation and accept: the 受理通知书
    goes to the consumer and the 投诉告知书 to the business. Return the case id."""
    log_in(page, url, *staff)
    staff_open(page, url, number)
    case_id = int(re.search(r"/staff/cases/(\d+)", page.url).group(1))
    expect_status(page, "已提交")
    page.get_by_role("button", name="开始审查").click()
    expect_status(page, "审查中")
    staff_links_the_business(page, url, case_id)
    page.get_by_role("button", name="受理", exact=True).click()
    expect_status(page, "专家处理中")
    notices = page.locator("#notices").inner_text()
    assert "受理通知书" in notices
    assert "投诉告知书" in notices
    return case_id


def consumer_opens_case(page, url: str, mobile: str, password: str, number: str) -> None:
    log_in(page, url, mobile, password)
    expect_heading(page, "我的案件")
    page.locator("tr", has_text=number).get_by_role("link", name=number).click()
    expect_heading(page, f"案件 {number}")


def business_opens_case(page, url: str, number: str) -> None:
    log_in(page, url, BUSINESS_LOGIN, BUSINESS_PASSWORD)
    expect_heading(page, "本单位的投诉案件")
    page.locator("tr", has_text=number).get_by_role("link", name=number).click()
    expect_heading(page, f"案件 {number}")


def consumer_reads_acceptance_and_consents(page, url, mobile, password, number, code) -> None:
    """The consumer reads the 受理通知书 and consents to the routed expert."""
    consumer_opens_case(page, url, mobile, password, number)
    text = read_notice(page, "受理通知书")
    assert number in text
    assert "受理" in text
    consent = page.locator("#expert-consent")
    assert code in consent.inner_text()
    consent.get_by_label("同意", exact=True).check()
    consent.get_by_role("button", name="提交决定").click()
    expect(page.locator("#consumer-decision")).to_contain_text("同意")
    log_out(page)


#: A visit the consumer did not list: the business's own work order (P1, valve body inspected).
RECORD = {"start": "2024-12-16", "end": "2024-12-20", "km": "16500",
          "work": "检查变速器阀体，清洗油路，更换变速器油", "order": "WO-20241216-07"}  # fmt: skip


def business_uploads_records(page, number: str) -> None:
    """The business uploads one repair visit from its work orders."""
    page.locator("#records").get_by_role("link", name="提交维修记录").click()
    form = page.locator("#records-form")
    form.locator("#events-0-problem").select_option("P1")
    form.locator("#events-0-start_date").fill(RECORD["start"])
    form.locator("#events-0-end_date").fill(RECORD["end"])
    form.locator("#events-0-odometer_km").fill(RECORD["km"])
    form.locator("#events-0-resolved").uncheck()
    form.get_by_label("维修作业内容").fill(RECORD["work"])
    form.get_by_label("派工单或结算单号").fill(RECORD["order"])
    form.get_by_role("button", name="提交维修记录").click()
    expect_heading(page, f"案件 {number}")
    expect(page.locator("#records")).to_contain_text("1 次维修")


def business_consents_to_expert(page, code: str) -> None:
    consent = page.locator("#expert-consent")
    assert code in consent.inner_text()
    consent.get_by_label("同意", exact=True).check()
    consent.get_by_role("button", name="提交决定").click()
    expect(page.locator("#business-decision")).to_contain_text("同意")


def staff_merges_records(page, url: str, case_id: int) -> None:
    """Staff review the business's records: the rules re-run, the difference shown, then merge."""
    page.goto(f"{url}/staff/cases/{case_id}")
    records = page.locator("#records")
    assert "1 次维修" in records.inner_text()
    records.get_by_role("link", name=re.compile("1 次维修")).click()
    expect_heading(page, "核对经营者维修记录")
    assert RECORD["order"] in page.locator("#record-lines").inner_text()
    difference = page.locator("#difference")
    assert "新增 1 次维修" in difference.inner_text()
    counts = page.locator("#repair-counts tbody tr").first.locator("td").all_inner_texts()
    assert counts[1:3] == ["4", "5"], counts  # repairs of P1: the consumer's 4, then 5
    for side in ("#remedies-before", "#remedies-after"):  # the rules run on both, with articles
        assert re.search(r"第\S+条", page.locator(side).inner_text()), side
    page.get_by_role("button", name="并入案件事实并重新评估").click()
    page.goto(f"{url}/staff/cases/{case_id}")
    expect(page.locator("#records")).to_contain_text("已并入")


def party_answers_mediation(page, agree: bool, reason: str = "") -> None:
    """On a party's mediation page: agree or refuse to mediate (Order 20 Art. 16)."""
    page.locator("#mediation-party").click()
    form = page.locator("#consent-form")
    form.get_by_label("同意调解" if agree else "不同意调解", exact=True).check()
    if reason:
        form.get_by_label("说明（选填）").fill(reason)
    form.get_by_role("button", name="提交").click()


def staff_starts_mediation(page, url: str, case_id: int) -> None:
    """Both parties agreed: staff move the case into mediation and open the mediation page."""
    page.goto(f"{url}/staff/cases/{case_id}")
    assert "同意" in page.locator("#consent-consumer").inner_text()
    assert "同意" in page.locator("#consent-business").inner_text()
    page.get_by_role("button", name="进入调解").click()
    expect_status(page, "调解中")
    page.locator("#mediation-manage").click()


def staff_holds_a_session(page, day: date) -> None:
    """An on-site session (its 调解通知书 goes to both parties), then its record."""
    form = page.locator("#session-form")
    form.get_by_label("调解方式").select_option(label="现场调解")
    form.get_by_label("调解地点（现场调解必填）").fill("市市场监管局三楼调解室")
    form.get_by_label("调解时间").fill(f"{day.isoformat()}T09:30")
    form.get_by_label("调解人员").fill("周晓梅")
    form.get_by_role("button", name="安排调解").click()
    expect(page.locator("#mediation-sessions")).to_contain_text("市市场监管局三楼调解室")
    record = page.locator("form[id^=record-]")
    record.get_by_label("参加人员").fill("投诉人王五；经营者代表赵经理；调解人员周晓梅")
    record.locator("input[name$=consumer_attended][value=yes]").check()
    record.locator("input[name$=business_attended][value=yes]").check()
    record.get_by_label("调解记录").fill("双方同意先由检测机构检测变速器阀体，再商定处理方案。")
    record.get_by_role("button", name="保存调解记录").click()
    expect(page.locator("#mediation-sessions")).to_contain_text("双方同意先由检测机构检测")


def mediation_clock(page) -> str:
    return page.locator("#mediation-clock").inner_text()


def staff_runs_an_inspection(page, started: date, finished: date) -> str:
    """An inspection by the agreed institution: the clock stands still while it runs, and its
    working days are added to the 45 afterwards. Return the clock as it reads after."""
    before = mediation_clock(page)
    form = page.locator("#inspection-form")
    form.get_by_label("检测鉴定机构").fill("示例省机动车质量检验中心")
    form.get_by_label("检测鉴定事项").fill("变速器阀体是否存在制造缺陷")
    form.get_by_label("费用（元）").fill("2400.00")
    form.get_by_label("费用承担").select_option(label="经营者承担")
    form.get_by_label("开始日期").fill(started.isoformat())
    form.get_by_role("button", name="登记检测鉴定").click()
    expect(page.locator("#mediation-clock")).to_contain_text("暂停计算中")
    result = page.locator("form[id^=result-]")
    result.get_by_label("结束日期").fill(finished.isoformat())
    result.get_by_label("检测鉴定结论").fill("阀体铸造砂眼，属制造缺陷。")
    result.get_by_role("button", name="登记结果").click()
    expect(page.locator("#mediation-inspections")).to_contain_text("属制造缺陷")
    after = mediation_clock(page)
    assert "暂停计算中" not in after
    assert after != before
    return after


def staff_drafts_the_agreement(page, perform_by: date) -> None:
    form = page.locator("#agreement-form")
    form.get_by_label("经营者的义务").select_option(label="退货")
    form.get_by_label("金额（元）").fill("3000.00")
    form.get_by_label("履行期限").fill(perform_by.isoformat())
    form.get_by_label("其他约定").fill("经营者退还车价款，扣除合理使用补偿后另付 3000 元。")
    form.get_by_role("button", name="保存调解书内容").click()
    expect(page.locator("#mediation-agreement")).to_contain_text("退货")
    assert "尚未确认" in page.locator("#confirmed-consumer").inner_text()


def party_confirms_the_agreement(page) -> None:
    page.locator("#mediation-party").click()
    assert "退货" in page.locator("#mediation-agreement").inner_text()
    page.locator("#confirm-form").get_by_role("button", name="确认调解书").click()
    expect(page.locator("#confirm-form")).to_have_count(0)


# --- the walks ------------------------------------------------------------------------------------

REASONING = "阀体两次更换后低速顿挫依旧，同一故障反复出现，维修未能排除。"


def test_a_business_dispute_ends_in_a_mediation_agreement_confirmed_by_both(
    page, site, demo_logins, tmp_path
):
    from disputes.calendar import local_day, working_days_between

    url, _app = site
    staff = demo_logins["staff"]
    today = local_day()

    # The consumer files; staff accept with a notice to both parties.
    mobile, password, number = consumer_files(page, url, tmp_path)
    case_id = staff_screens_links_and_accepts(page, url, staff, number)
    code, expert_login = routed_expert(page)
    log_out(page)
    consumer_reads_acceptance_and_consents(page, url, mobile, password, number, code)

    # The business reads the complaint and its notice, answers online, uploads its records and
    # consents to the expert.
    business_opens_case(page, url, number)
    notice = read_notice(page, "投诉告知书")
    assert number in notice
    assert BUSINESS in notice
    business_answers_online(page, "提出处理方案", "同意为消费者更换变速器总成。", remedy="修理")
    business_uploads_records(page, number)
    business_consents_to_expert(page, code)
    log_out(page)

    # Staff see the online answer, merge the records (the rules re-run, the difference shown).
    log_in(page, url, *staff)
    page.goto(f"{url}/staff/cases/{case_id}")
    assert "同意为消费者更换变速器总成" in main_text(page)
    staff_merges_records(page, url, case_id)
    log_out(page)

    # The expert both parties consented to gives the opinion; staff release it.
    expert_signs(page, url, expert_login, number, REASONING)
    staff_releases(page, url, staff, number)
    log_out(page)

    # Both parties agree to mediate.
    consumer_opens_case(page, url, mobile, password, number)
    party_answers_mediation(page, agree=True)
    log_out(page)
    business_opens_case(page, url, number)
    party_answers_mediation(page, agree=True)
    log_out(page)

    # Mediation: a session recorded, an inspection pausing the 45 working days.
    log_in(page, url, *staff)
    staff_starts_mediation(page, url, case_id)
    staff_holds_a_session(page, today)
    finished = today + timedelta(days=14)
    paused = working_days_between(today, finished)
    clock = staff_runs_an_inspection(page, today, finished)
    assert f"暂停 {paused} 个工作日" in clock
    staff_drafts_the_agreement(page, today + timedelta(days=30))
    log_out(page)

    # Both confirm; the 调解书 goes to both and reads back.
    consumer_opens_case(page, url, mobile, password, number)
    party_confirms_the_agreement(page)
    log_out(page)
    business_opens_case(page, url, number)
    party_confirms_the_agreement(page)
    log_out(page)
    consumer_opens_case(page, url, mobile, password, number)
    agreement = read_notice(page, "调解书")
    assert number in agreement
    assert "经营者同意退货，支付人民币3000.00元" in agreement
    assert "依法可主张" in agreement
    assert re.search(r"第\S*条", agreement), "the remedies name their articles"
    assert f"专家技术咨询意见{number}-E" in agreement
    assert "网上确认" in agreement
    log_out(page)
    business_opens_case(page, url, number)
    assert read_notice(page, "调解书") == agreement  # the same document to both parties
    log_out(page)

    # Staff close the case with the agreement's outcome.
    log_in(page, url, *staff)
    page.goto(f"{url}/staff/cases/{case_id}")
    page.locator("#mediation-manage").click()
    page.locator("#close-form").get_by_role("button", name="按调解结果结案").click()
    page.goto(f"{url}/staff/cases/{case_id}")
    expect_status(page, "已结案")


def test_a_business_dispute_ends_in_a_lawful_termination_with_its_notice(
    page, site, demo_logins, tmp_path
):
    url, _app = site
    staff = demo_logins["staff"]

    mobile, password, number = consumer_files(page, url, tmp_path)
    case_id = staff_screens_links_and_accepts(page, url, staff, number)
    _code, expert_login = routed_expert(page)
    log_out(page)

    business_opens_case(page, url, number)
    business_answers_online(page, "拒绝", "车辆故障系用户使用不当所致，不同意退车。")
    log_out(page)
    expert_signs(page, url, expert_login, number, REASONING)
    staff_releases(page, url, staff, number)
    log_out(page)

    # The business clearly refuses to mediate (Order 20 Art. 21(3)).
    business_opens_case(page, url, number)
    party_answers_mediation(page, agree=False, reason="本单位不同意调解，请消费者通过诉讼解决。")
    log_out(page)

    log_in(page, url, *staff)
    page.goto(f"{url}/staff/cases/{case_id}")
    assert "不同意" in page.locator("#consent-business").inner_text()
    page.locator("#mediation-manage").click()
    form = page.locator("#termination-form")
    form.get_by_label("终止调解的情形").select_option("absent_or_refused")
    form.get_by_label("具体情况").fill("经营者明确拒绝调解。")
    form.get_by_role("button", name="终止调解").click()
    expect(page.locator("#mediation-terminated")).to_contain_text("调解已终止")
    page.goto(f"{url}/staff/cases/{case_id}")
    expect_status(page, "已结案")
    assert "终止调解告知书" in page.locator("#notices").inner_text()
    log_out(page)

    # The notice reaches both parties.
    consumer_opens_case(page, url, mobile, password, number)
    text = read_notice(page, "终止调解告知书")
    assert number in text
    assert "被投诉人明确拒绝调解" in text
    assert "第二十一条第（3）项" in text
    log_out(page)
    business_opens_case(page, url, number)
    assert "终止调解告知书" in read_notice(page, "终止调解告知书")
