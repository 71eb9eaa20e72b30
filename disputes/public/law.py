"""The law beside every conclusion: the text of each article the rules cite, in public pages.

``/law`` lists both regimes' cited articles; ``/law/<basis_id>`` shows one. Every basis id a page
shows links here (the ``law_bases`` global gives the ids a window, count or deadline rests on).
The text is the rules' own data (rules/articles_2013.py, rules/articles_2022.py).
"""

from __future__ import annotations

from flask import abort, current_app, get_template_attribute, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

import rules
from disputes.access import public
from disputes.public import bp

#: the two regimes, in the order the page lists them
REGIMES = ("2013", "2022")


@bp.app_template_global("law_bases")
def law_bases(regime: str | None, what: str) -> tuple[str, ...]:
    """Return the basis ids a window, count or deadline (``what``) rests on under ``regime``."""
    return rules.basis_for(regime, what)


#: app.extensions key: cited_law's fragments by (locale, script root, regime, what).
CITED_LAW = "public.cited_law"


@bp.app_template_global("cited_law")
def cited_law(regime: str | None, what: str) -> Markup:
    """The linked articles ``what`` rests on under ``regime`` (_law.html's law_links): the same
    for every reader in a language, so rendered once per language and kept for the life of the
    process instead of once per row of every assessment."""
    key = (str(get_locale()), request.script_root, regime, what)
    kept = current_app.extensions.setdefault(CITED_LAW, {})
    if key not in kept:
        kept[key] = Markup(get_template_attribute("_law.html", "law_links")(regime, what))
    return kept[key]


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
