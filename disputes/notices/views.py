"""The notices room's pages: a notice's PDF for the parties it is addressed to, and the
case_notices() list the case pages of every room include (templates/notices/_list.html)."""

from __future__ import annotations

from io import BytesIO

from flask import abort, send_file
from flask_login import current_user

from disputes.access import role_required
from disputes.auth.models import Role
from disputes.auth.organisations import acts_for
from disputes.cases.uploads import path_of
from disputes.notices import bp, queries
from disputes.notices.models import CaseNotice


def may_read(user, notice: CaseNotice) -> bool:
    """Tell whether `user` may read `notice`: staff always, the consumer and the business only
    when it is addressed to them."""
    if user.has_role("staff"):
        return True
    if user.role == Role.consumer:
        return notice.to_consumer and notice.case.consumer_id == user.id
    if user.role == Role.business:
        return notice.to_business and acts_for(user, notice.case.organisation_id)
    return False


def load_notice(notice_id: int) -> CaseNotice:
    """Return the notice if the signed-in user may read it; 404 otherwise (never leak it)."""
    notice = queries.get_notice(notice_id)
    if notice is None or not may_read(current_user, notice):
        abort(404)
    return notice


@bp.route("/<int:notice_id>.pdf")
@role_required("consumer", "expert", "staff", "business")
def download(notice_id: int):
    """Send a notice's PDF to a party it is addressed to, or to staff."""
    notice = load_notice(notice_id)
    path = path_of(notice.stored_name)
    if not path.is_file():
        abort(404)
    # Read whole (a notice is a few kB): no file handle is left for the server to close.
    return send_file(
        BytesIO(path.read_bytes()),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{notice.title}-{notice.number}.pdf",
    )


@bp.app_template_global("case_notices")
def case_notices(case) -> list[CaseNotice]:
    """Return the notices of `case` the signed-in user may read (for notices/_list.html)."""
    if case is None or not current_user.is_authenticated:
        return []
    return [n for n in queries.list_case_notices(case.id) if may_read(current_user, n)]
