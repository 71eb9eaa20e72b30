"""The home page (what the service is, who may use it, the main numbers of both regimes), the
bureau's contact page and the privacy notice.

The self-check page lives in self_check.py; exact legal assessments come only from rules/.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_login import current_user

from disputes.access import landing_endpoint, public
from disputes.public import bp


def _landing_url() -> str | None:
    """Return the logged-in user's own landing page, if any."""
    if not current_user.is_authenticated:
        return None
    return url_for(landing_endpoint(current_user))


def _filing_url() -> str | None:
    """Return where a logged-in consumer files a new case."""
    if not current_user.is_authenticated or current_user.role != "consumer":
        return None
    return url_for("cases.new")


@bp.route("/")
@public
def home():
    """Explain the service and the three-guarantee rules in plain words."""
    return render_template("public/home.html", landing_url=_landing_url(), filing_url=_filing_url())


@bp.route("/contact")
@public
def contact():
    """How to reach the bureau: phone, address, opening hours (from the bureau's config)."""
    return render_template("public/contact.html")


@bp.route("/privacy")
@public
def privacy():
    """The privacy notice: what is collected, why, who sees it, how long, and the user's rights."""
    return render_template(
        "public/privacy.html", retention_years=current_app.config["RETENTION_YEARS"]
    )
