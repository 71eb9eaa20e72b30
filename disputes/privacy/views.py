"""The consumer's "my data" page and the download of everything the bureau holds about them."""

from __future__ import annotations

from flask import current_app, render_template, send_file
from flask_login import current_user

from disputes.access import role_required
from disputes.db import db
from disputes.privacy import bp, export
from disputes.privacy.forms import DataExportForm


@bp.route("/data")
@role_required("consumer")
def data():
    """Explain what the download holds and offer it."""
    return _page(DataExportForm())


@bp.route("/data", methods=["POST"])
@role_required("consumer")
def data_download():
    """Send the ZIP of the consumer's own data (audited as personal_data.exported)."""
    form = DataExportForm()
    if not form.validate_on_submit():
        return _page(form), 400
    result = export.build_export(current_user._get_current_object())
    db.session.commit()
    response = send_file(
        result.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"my-data-{current_user.id}.zip",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(form: DataExportForm) -> str:
    return render_template(
        "privacy/data.html", form=form, retention_years=current_app.config["RETENTION_YEARS"]
    )
