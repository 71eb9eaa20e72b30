"""The opinion letter cites the law: after the legal consequences, the text of every article the
re-computed assessment rests on."""

from __future__ import annotations

import re

from disputes.db import db
from disputes.experts import opinions, services
from tests.pdf_checks import text


def test_the_letter_appends_the_text_of_every_cited_article(
    client, make_expert, accepted_case, staff, login
):
    expert = make_expert("E01", "transmission")
    case = accepted_case()
    assignment = services.route_case(case, staff)
    opinion = opinions.sign(
        opinions.save_draft(assignment, {}, "属产品质量问题。", expert.user), expert.user
    )
    db.session.commit()
    login(staff)

    flat = text(client.get(f"/experts/opinions/{opinion.id}.pdf").data)

    consequences, _, cited = flat.partition("附：引用的条文")
    assert cited, "the letter has its appendix of cited articles"
    named = set(re.findall(r"（(20(?:13|22)(?:\.\d+)+)）", consequences))
    assert "2022.19.1" in named  # the free repair of this 2022 case
    for basis in named | {"2022.18"}:  # each consequence's basis, and the periods' article
        assert f"（{basis}）" in cited, basis
    assert "消费者可以凭三包凭证选择修理者免费修理" in cited
    assert "国家市场监督管理总局令第43号" in cited
