"""Who may see what: Flask-Login set-up, role gates and the @public marker."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager

login_manager = LoginManager()


def init_app(app: Flask) -> None:
    """Bind Flask-Login (to be completed: user loader, role_required, public)."""
    login_manager.init_app(app)
