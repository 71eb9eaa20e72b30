"""The expert selects of the routing page, each expert marked with what stands against them.

Both start with an empty "请选择专家" choice. In the override select an expert without a usable
login cannot be chosen (they would never see the case); a conflict, an earlier recusal or a full
load is marked but may still be overridden on purpose.
"""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from disputes.experts.routing import Ranked, Routing
from disputes.formatting import N_
from disputes.staff.routing_forms import NO_EXPERT

#: Exclusion code → the mark its expert's choice carries.
MARKS = {
    "excluded.no_account": N_("（无登录账号）"),
    "excluded.full": N_("（已满）"),
    "excluded.tie": N_("（有利害关系）"),
    "excluded.consumer": N_("（有利害关系）"),
    "excluded.same_org": N_("（有利害关系）"),
    "excluded.recused": N_("（已回避）"),
    "excluded.objected": N_("（已回避）"),
}


def _by_code(ranking: Routing) -> list[Ranked]:
    return sorted(ranking.ranking, key=lambda r: r.expert.code)


def _first() -> SelectChoice:
    return SelectChoice(NO_EXPERT[0], str(NO_EXPERT[1]))


def override_choices(ranking: Routing) -> list[SelectChoice]:
    """The experts on duty by code, with their load and marks; no-login experts disabled."""
    out = [_first()]
    for r in _by_code(ranking):
        e = r.expert
        if not e.active:
            continue
        marks = dict.fromkeys(_(MARKS[x.code]) for x in r.reasons if x.code in MARKS)
        label = f"{e.code} {e.name}（{_('在办')} {e.open_count}/{e.capacity}）" + "".join(marks)
        render_kw = {} if e.has_account else {"disabled": True}
        out.append(SelectChoice(e.id, label, render_kw))
    return out


def objection_choices(ranking: Routing) -> list[SelectChoice]:
    """Every panel member by code (a party may object to anyone)."""
    return [_first()] + [
        SelectChoice(r.expert.id, f"{r.expert.code} {r.expert.name}") for r in _by_code(ranking)
    ]
