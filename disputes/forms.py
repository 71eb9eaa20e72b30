"""BaseForm for every form of the app; CSRF protection comes from Flask-WTF."""

from __future__ import annotations

from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


class BaseForm(FlaskForm):
    """Every form subclasses this, so CSRF is on everywhere."""


def init_app(app: Flask) -> None:
    """Protect every POST of the app, including those not built from a form."""
    csrf.init_app(app)
