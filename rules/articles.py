"""The law beside every conclusion: each basis id's article text, from ``articles_2013`` and
``articles_2022`` (one data module per regime).

``article_text(basis)`` answers for every id the engine can emit (tests/rules enumerates them);
``cited(assessment)`` lists every basis an assessment dict rests on, so a reader (the JSON under
``--article-text``, a page, a PDF) can put each article's text beside it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType, ModuleType
from typing import Any

from rules import articles_2013, articles_2022
from rules.explain import article as article_number


@dataclass(frozen=True, slots=True)
class Article:
    """One cited article (or paragraph, or item) with the act it belongs to."""

    basis: str
    regime: str
    article: str
    text: str
    gloss: str
    #: confidence of the wording: V verbatim, Q quoted, P partial, R reconstructed
    mark: str
    act: str
    act_en: str
    order: str
    order_en: str
    published: str
    in_force: str

    def source(self, lang: str = "zh") -> str:
        """Return where the text comes from: the order, its publication and entry into force."""
        if lang == "en":
            return f"{self.order_en}, published {self.published}, in force {self.in_force}"
        return f"{self.order}，{self.published} 公布，{self.in_force} 施行"

    def to_dict(self) -> dict[str, str]:
        """Return the article as the JSON under ``article_text`` carries it."""
        return {
            "article": self.article,
            "act": self.act,
            "text": self.text,
            "en": self.gloss,
            "source": self.source(),
            "mark": self.mark,
        }


def _load(regime: str, module: ModuleType) -> dict[str, Article]:
    return {
        basis: Article(
            basis,
            regime,
            article_number(basis),
            text,
            gloss,
            mark,
            module.ACT,
            module.ACT_EN,
            module.ORDER,
            module.ORDER_EN,
            module.PUBLISHED,
            module.IN_FORCE,
        )  # fmt: skip
        for basis, text, gloss, mark in module.ARTICLES
    }


#: every article either regime cites, by basis id, in the order of the acts
ARTICLES: Mapping[str, Article] = MappingProxyType(
    _load("2013", articles_2013) | _load("2022", articles_2022)
)
_CITED_FOR = MappingProxyType(
    {"2013": dict(articles_2013.CITED_FOR), "2022": dict(articles_2022.CITED_FOR)}
)
#: the windows, counts and deadlines a regime's conclusions rest on, in the order pages show them
_SHOWN = ("repair_warranty", "three_guarantee", "early", "first_week", "wear_parts")


def article_text(basis: str | None) -> Article | None:
    """Return the article a basis id cites; None for None or an id no regime has."""
    return None if basis is None else ARTICLES.get(basis)


def basis_for(regime: str | None, what: str) -> tuple[str, ...]:
    """Return the basis ids a window, count or deadline (``what``) rests on under ``regime``."""
    if regime is None:
        return ()
    return _CITED_FOR.get(regime, {}).get(what, ())


def cited(assessment: Mapping[str, Any]) -> tuple[str, ...]:
    """Return every basis an assessment dict (the contract's JSON) rests on, each once."""
    regime = assessment.get("regime")
    found: dict[str, None] = {}
    for key in ("remedies", "excluded", "next_thresholds"):
        for item in assessment.get(key) or ():
            if item.get("basis"):
                found[item["basis"]] = None
    periods = assessment.get("periods") or {}
    whats = [w for w in _SHOWN if periods.get(w)]
    if regime is not None:
        whats += ["repair_days_total", "repairs_by_problem"]
    if assessment.get("compensation"):
        whats.append("compensation")
    deadlines = assessment.get("deadlines") or {}
    whats += [k for k in ("written_answer_due", "completion_due") if deadlines.get(k)]
    for what in whats:
        for basis in basis_for(regime, what):
            found[basis] = None
    return tuple(found)


def article_texts(assessment: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Return ``{basis: article}`` for every basis the assessment rests on."""
    return {b: ARTICLES[b].to_dict() for b in cited(assessment) if b in ARTICLES}
