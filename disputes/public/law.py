"""The law beside every conclusion: the text of each article the rules cite, in public pages.

``/law`` lists both regimes' cited articles; ``/law/<basis_id>`` shows one. Every basis id a page
shows links here (the ``law_bases`` global gives the ids a window, count or deadline rests on).
The text is the rules' own data (rules/articles_2013.py, rules/articles_2022.py).
"""

from __future__ import annotations

from flask import abort, render_template

import rules
from disputes.access import public
from disputes.public import bp

#: the two regimes, in the order the page lists them
REGIMES = ("2013", "2022")


@bp.app_template_global("law_bases")
def law_bases(regime: str | None, what: str) -> tuple[str, ...]:
    """Return the basis ids a window, count or deadline (``what``) rests on under ``regime``."""
    return rules.basis_for(regime, what)


@bp.route("/law")
@public
def law():
    """Every article the rules cite, by regime, with its English gloss and source."""
    by_regime = {r: [a for a in rules.ARTICLES.values() if a.regime == r] for r in REGIMES}
    return render_template("public/law.html", by_regime=by_regime)


@bp.route("/law/<basis_id>")
@public
def law_article(basis_id: str):
    """One article's text; 404 for an id no regime has."""
    article = rules.article_text(basis_id)
    if article is None:
        abort(404)
    return render_template("public/law_article.html", article=article)
