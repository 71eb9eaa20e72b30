"""Flask-Babel set-up: Simplified Chinese by default, English on request (?lang=en)."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import Babel

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


def init_app(app: Flask) -> None:
    """Bind Babel with the translations shipped inside the package."""
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
