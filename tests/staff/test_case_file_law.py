"""The case-file PDF cites the law: an appendix with the text of every article its assessment
rests on."""

from __future__ import annotations

from disputes.cases.models import CaseStatus
from tests.pdf_checks import text


def test_the_case_file_appends_the_text_of_every_cited_article(client, login, staff, case_in):
    case_id = case_in(CaseStatus.opinion_received)
    login(staff)

    flat = text(client.get(f"/staff/cases/{case_id}/case-file.pdf").data)

    appendix = flat.split("附：引用的条文", 1)
    assert len(appendix) == 2, "the case file has its appendix of cited articles"
    cited = appendix[1]
    # the free repair the assessment lists, and the periods it rests on, with their text
    assert "第十九条第一款（2022.19.1）" in cited
    assert "免费修理" in cited
    assert "出处：" in cited
