"""Flask-Babel set-up: Simplified Chinese by default, English on request (?lang=en)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, session
from flask.globals import _cv_app
from flask_babel import Babel, get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

babel = Babel()


def select_locale() -> str:
    """Pick the UI language: ?lang= (remembered in the session), else the session, else Chinese."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in languages:
        return remembered
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def catalog() -> Any:
    """This request's catalog, as Flask-Babel's get_translations() returns it, looked up once per
    request and locale instead of once per string (a page asks for dozens): a locale changed
    during the request (flask_babel.refresh, force_locale) is a new Locale, so a new look-up.
    The locale Flask-Babel has already chosen is read straight from its request namespace; until
    it has chosen one, get_locale() chooses it. The app context is read from Flask's context
    variable rather than through the `g` proxy (this runs a few hundred times a page)."""
    context = _cv_app.get(None)
    if context is None:
        return get_translations()
    here = context.g.__dict__
    cached = here.get("_ui_catalog")
    if cached is not None and cached[0] is getattr(here.get("_flask_babel"), "babel_locale", None):
        return cached[1]
    locale = get_locale()
    if cached is None or cached[0] is not locale:
        cached = here["_ui_catalog"] = (locale, get_translations())
    return cached[1]


def translate(string: str, **variables: Any) -> str:
    """Flask-Babel's gettext, through this request's catalog()."""
    text = catalog().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Flask-Babel's lazy_gettext, translated through catalog(): form labels and choices are
    read hundreds of times on the long fact forms, and Flask-Babel looks the catalog up anew
    each time."""
    return LazyString(translate, string, **variables)


#: Templates' _("...") without variables, formatted, by (catalog, message): a page asks for
#: dozens of the same few hundred messages.
_FORMATTED: dict[tuple[Any, str], Markup] = {}
_FORMATTED_KEPT = 4096


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    """The templates' _() and gettext(): what Jinja's newstyle gettext gives (the translation as
    markup when autoescaping, always %-formatted, so "%%" is "%") without its two calls through
    the template context, and formatted once per catalog when it has no variables."""
    translations = catalog()
    if variables or not eval_ctx.autoescape:
        text = translations.ugettext(string)
        return (Markup(text) if eval_ctx.autoescape else text) % variables
    key = (translations, string)
    kept = _FORMATTED.get(key)
    if kept is None:
        if len(_FORMATTED) >= _FORMATTED_KEPT:
            _FORMATTED.clear()
        kept = _FORMATTED[key] = Markup(translations.ugettext(string)) % {}
    return kept


def init_app(app: Flask) -> None:
    """Bind Babel with the translations shipped inside the package; templates translate through
    catalog()."""
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
