"""Views of the staff room: dashboard, case list, case page and its actions, exports, statistics."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from disputes import spreadsheets
from disputes.access import role_required
from disputes.business import answers
from disputes.cases import clocks, states
from disputes.cases import queries as case_queries
from disputes.cases.assessment_page import current_assessment_for_page, seller_answer_due
from disputes.cases.models import Case, CaseOutcome, CaseStatus
from disputes.cases.outcomes import OUTCOME_LABELS
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db, own_transaction
from disputes.experts import opinions
from disputes.experts import queries as expert_queries
from disputes.experts.models import Opinion
from disputes.formatting import system_label
from disputes.mediation import queries as mediation_queries
from disputes.params import cursor_arg, day_arg, int_arg
from disputes.privacy import access_log
from disputes.staff import (
    archive_pdf,
    bp,
    business_stats,
    charts,
    consent_views,
    exports,
    queries,
    rollup,
    search,
    services,
    stats,
)
from disputes.staff.earlier_complaints import earlier_box, has_open_duplicate
from disputes.staff.forms import (
    BusinessResponseForm,
    NoteForm,
    OutcomeForm,
    RevisionRequestForm,
    StatsPeriodForm,
    TransitionForm,
    WithholdFromExpertsForm,
)


def load_case_with_facts(case_id: int) -> Case:
    """Return the case with its facts, consumer and files loaded, or 404 (staff see every case)."""
    case = queries.get_case(case_id)
    if case is None:
        abort(404)
    return case


def load_bare_case(case_id: int) -> Case:
    """Return the case with nothing loaded beside it, or 404 (staff see every case)."""
    case = case_queries.get_case(case_id)
    if case is None:
        abort(404)
    return case


def load_opinion_on_case(case: Case, opinion_id: int) -> Opinion:
    """Return the opinion `opinion_id` on `case`; 404 for another case's or a missing one."""
    opinion = expert_queries.get_opinion(opinion_id)
    if opinion is None or opinion.case_id != case.id:
        abort(404)
    return opinion


def _refresh_tallies() -> None:
    """Recount the statistics changed since the last look, in a transaction of their own, before
    a page reads the tallies: they are kept lazily, so the first page to read them after a change
    is what writes them. Up to date, this only reads."""
    if rollup.tallies_behind():
        with own_transaction():
            rollup.refresh_tallies()


@bp.route("/")
@role_required("staff")
def index():
    """Show my queues (screening, manual routing, opinions to review, overdue), counts, alerts."""
    _refresh_tallies()
    return render_template(
        "staff/index.html", dashboard=queries.get_dashboard(), stage_labels=clocks.STAGE_LABELS
    )


def _case_filter() -> search.CaseFilter:
    """Read the list's filters from the query string (unknown values are ignored)."""
    args = request.args
    status = args.get("status", "")
    outcome = args.get("outcome", "")
    return search.CaseFilter(
        status=CaseStatus(status) if status in CaseStatus.__members__ else None,
        brand=args.get("brand") or None,
        system=args.get("system") if args.get("system") in VehicleSystem.__members__ else None,
        expert_id=int_arg("expert"),
        date_from=day_arg("from"),
        date_to=day_arg("to"),
        overdue=args.get("overdue") == "1",
        due_soon=args.get("due_soon") == "1",
        outcome=CaseOutcome(outcome) if outcome in CaseOutcome.__members__ else None,
        q=(args.get("q") or "").strip() or None,
        sort=args.get("sort") if args.get("sort") in search.SORTS else "submitted",
        descending=args.get("dir", "desc") != "asc",
        after=cursor_arg("after"),
        before=cursor_arg("before"),
        page=max(int_arg("page", 1) or 1, 1),
        last=args.get("last") == "1",
    )


@bp.route("/cases")
@role_required("staff")
def cases():
    """List cases with server-side filters, search, sorting and keyset pagination."""
    f = _case_filter()
    page = search.search_cases(f)
    args = {k: v for k, v in request.args.items() if k not in ("after", "before", "page", "last")}
    return render_template(
        "staff/cases.html",
        page=page,
        f=f,
        args=args,
        brands=queries.list_brands(),
        experts=queries.list_experts(),
        outcome_labels=OUTCOME_LABELS,
    )


@bp.route("/cases/export")
@role_required("staff")
def cases_export():
    """Download the filtered list as CSV or XLSX (masked unless full data is asked for)."""
    f = _case_filter()
    full = request.args.get("full") == "1"
    if full:
        with own_transaction():
            services.log_personal_data_export(current_user, "case_list", search.count_export(f))
    rows = exports.case_rows(search.iter_cases(f), full=full)
    return _spreadsheet("cases", exports.CASE_COLUMNS, rows)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _spreadsheet(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """Send the rows as `name`.xlsx (built in a temporary file, then sent from it) or as
    `name`.csv (sent while it is written), as the `format` argument asks."""
    if request.args.get("format") == "xlsx":
        file = spreadsheets.xlsx_file({_SHEETS[name]: (header, rows)})
        response = Response(
            spreadsheets.file_chunks(file),
            mimetype=XLSX,
            headers={
                "Content-Disposition": f"attachment; filename={name}.xlsx",
                "Content-Length": str(os.fstat(file.fileno()).st_size),
            },
        )
        response.call_on_close(file.close)
        return response
    return Response(
        stream_with_context(spreadsheets.csv_chunks(header, rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}.csv"},
    )


#: The sheet each XLSX download holds.
_SHEETS = {"cases": "案件", "stats": "统计"}


def _download(body: bytes, name: str, mimetype: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@bp.route("/cases/<int:case_id>")
@role_required("staff")
def case_detail(case_id: int):
    """Show everything about one case and the actions its current state allows."""
    return _case_page(load_case_with_facts(case_id))


def _case_page(
    case: Case,
    refused: TransitionForm | None = None,
    revision: tuple[int, RevisionRequestForm] | None = None,
    response: BusinessResponseForm | None = None,
) -> str:
    """Render the case page; `refused` is a move's form shown again with its errors, `revision`
    an opinion's id and its revision request shown again with the errors, `response` the
    business's response as typed, with its errors."""
    file = queries.get_case_file(case)
    assessment, assessment_error = current_assessment_for_page(case)
    clock = file.open_clock
    targets = states.allowed_targets(case, current_user)
    page = render_template(
        "staff/case_detail.html",
        case=case,
        file=file,
        assessment=assessment,
        assessment_error=assessment_error,
        moves=[(t, states.move_for(case, t)) for t in targets],
        clock=clock and clocks.view_clock(clock, case.status),
        stage_due=clock and clocks.view_due(clock.due_on),
        seller_due=clocks.view_due(seller_answer_due(case)),
        outcome_labels=OUTCOME_LABELS,
        can_record_outcome=case.status in services.OUTCOME_STATES and file.outcome is None,
        transition_form=TransitionForm(),
        refused=refused,
        revision=revision,
        note_form=NoteForm(),
        response_form=response or BusinessResponseForm(),
        answer=answers.answer_status_of(case, file.answer_clock, file.current_answer),
        expert_consent=consent_views.consent_section(case, file.assignments),
        outcome_form=OutcomeForm(),
        earlier=earlier_box(case),
        mediation=mediation_queries.get_mediation_for_page(
            case, file.clocks, file.pauses, file.opinions
        ),
    )
    # Audited once the page is drawn: the audit's transaction ends the request's, expiring the case.
    if not access_log.viewed_today_in(file.timeline, current_user):
        access_log.record_view(case, current_user)
    return page


def _save(
    case: Case, form: Any, write: Callable[[], Any], done: str | Callable[[Any], str]
) -> Response:
    """Validate, write, commit; refuse stale saves and illegal moves with a clear message."""
    if not form.validate_on_submit():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        flash(_("请检查填写的内容：") + "；".join(map(str, errors)), "error")
        return redirect(url_for("staff.case_detail", case_id=case.id))
    try:
        result = write()
        db.session.commit()
    except (services.StaleCase, StaleDataError):
        db.session.rollback()
        return _stale(case)
    except (states.IllegalTransition, services.OutcomeNotAllowed) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("staff.case_detail", case_id=case.id), code=303)
    flash(done if not callable(done) else done(result), "success")
    return redirect(url_for("staff.case_detail", case_id=case.id), code=303)


def _stale(case: Case) -> Response:
    """Send staff back to the case page: someone else changed it since the form was shown."""
    flash(_("该案件已被其他工作人员修改，请刷新后重试"), "error")
    return redirect(url_for("staff.case_detail", case_id=case.id), code=303)


def _moved_message(moved: services.Moved) -> str:
    if moved.status == CaseStatus.accepted and moved.routed is False:
        return _("已受理；暂无符合条件的专家，已进入人工分派队列。")
    return _("案件状态已更新。")


@bp.route("/cases/<int:case_id>/transition", methods=["POST"])
@role_required("staff")
def case_transition(case_id: int):
    """Move the case to another state (only the moves its state allows)."""
    case = load_case_with_facts(case_id)
    form = TransitionForm()
    to = form.to.data if form.to.data in CaseStatus.__members__ else None
    if to is None and form.is_submitted():
        abort(400)
    posted = form.version_number()
    if form.is_submitted() and posted is not None and posted != case.version:
        # Checked first: the fields asked for depend on the case's state, which has moved on.
        return _stale(case)
    duplicate = to == CaseStatus.accepted and has_open_duplicate(case)
    if not form.validate_for(states.move_for(case, CaseStatus(to)), duplicate=duplicate) and (
        form.reason.errors or form.confirm.errors or form.ground.errors
        or form.duplicate_confirm.errors
    ):  # fmt: skip
        return _case_page(case, refused=form), 400
    return _save(
        case,
        form,
        lambda: services.move_case(
            case,
            CaseStatus(to),
            current_user,
            form.reason.data or "",
            form.version_number(),
            ground=form.ground.data,
            duplicate_confirmed=form.duplicate_confirm.data,
        ),
        _moved_message,
    )


@bp.route("/cases/<int:case_id>/opinions/<int:opinion_id>/revision", methods=["POST"])
@role_required("staff")
def case_revision(case_id: int, opinion_id: int):
    """Ask the expert for a new version of a signed opinion; without a reason the page comes back
    with the error next to the reason box and what was typed kept."""
    case = load_case_with_facts(case_id)
    opinion = load_opinion_on_case(case, opinion_id)
    form = RevisionRequestForm()
    if not form.validate_on_submit():
        return _case_page(case, revision=(opinion.id, form)), 400
    try:
        opinions.request_revision(opinion, current_user, form.reason.data)
        db.session.commit()
        flash(_("已要求专家修改，专家将出具新版本。"), "success")
    except opinions.OpinionError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("staff.case_detail", case_id=case.id), code=303)


@bp.route("/cases/<int:case_id>/notes", methods=["POST"])
@role_required("staff")
def case_note(case_id: int):
    """Add an internal note."""
    case = load_case_with_facts(case_id)
    form = NoteForm()
    return _save(
        case,
        form,
        lambda: services.add_note(case, form.body.data, current_user, form.version_number()),
        _("备注已添加。"),
    )


@bp.route("/cases/<int:case_id>/responses", methods=["POST"])
@role_required("staff")
def case_response(case_id: int):
    """Record the business's response; bad input comes back in the form, next to its field."""
    case = load_case_with_facts(case_id)
    form = BusinessResponseForm()
    if not form.validate_on_submit():
        return _case_page(case, response=form), 400
    return _save(
        case,
        form,
        lambda: services.record_business_response(
            case,
            form.responded_on.data,
            form.channel.data,
            form.summary.data,
            current_user,
            form.version_number(),
            kind=(answer := form.answer_data()).kind,
            offer_remedy=answer.offer_remedy,
            offer_yuan=answer.offer_yuan,
        ),
        _("经营者答复已记录。"),
    )


@bp.route("/cases/<int:case_id>/attachments/<int:attachment_id>/experts", methods=["POST"])
@role_required("staff")
def attachment_experts(case_id: int, attachment_id: int):
    """Withhold a file from the case's experts, or show it to them again (audited)."""
    case = load_case_with_facts(case_id)
    attachment = next((a for a in case.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    form = WithholdFromExpertsForm()
    withheld = form.withheld.data == "1"
    return _save(
        case,
        form,
        lambda: services.withhold_from_experts(attachment, withheld, current_user),
        _("专家将看不到这份文件。") if withheld else _("这份文件已恢复向专家提供。"),
    )


@bp.route("/cases/<int:case_id>/outcome", methods=["POST"])
@role_required("staff")
def case_outcome(case_id: int):
    """Record the outcome (what the consumer got, compensation paid) and close the case."""
    case = load_case_with_facts(case_id)
    form = OutcomeForm()
    return _save(
        case,
        form,
        lambda: services.close_case(
            case,
            services.OutcomeData(
                form.outcome_value(),
                form.remedy_text.data or "",
                form.compensation_yuan.data,
            ),
            current_user,
            form.version_number(),
        ),
        _("处理结果已登记，案件已结案。"),
    )


@bp.route("/cases/<int:case_id>/case-file.pdf")
@role_required("staff")
def case_pdf(case_id: int):
    """Download the case file as PDF for the archive (masked unless full data is asked for)."""
    case = load_case_with_facts(case_id)
    full = request.args.get("full") == "1"
    body = archive_pdf.render_case_pdf(
        case, queries.get_case_file(case), current_assessment_for_page(case)[0], full=full
    )
    if full:
        with own_transaction():
            services.log_personal_data_export(current_user, "case_pdf", 1, case)
    name = f"{case.number}-{'full' if full else 'masked'}.pdf"
    return _download(body, name, "application/pdf")


def _period_form() -> StatsPeriodForm:
    return StatsPeriodForm(formdata=request.args)


def _refuse_period(form: StatsPeriodForm) -> tuple[str, int]:
    """The statistics page with the date errors next to the fields and no figures (400)."""
    return render_template("staff/stats.html", form=form, stats=None, args={}), 400


@bp.route("/stats", endpoint="stats")
@role_required("staff")
def stats_page():
    """Show the director's statistics with server-rendered charts."""
    form = _period_form()
    if not form.validate():
        return _refuse_period(form)
    _refresh_tallies()
    figures = stats.get_statistics(stats.Period.or_this_year(form.start.data, form.end.data))
    form.start.data = figures.period.start
    labels = {o.value: _(label) for o, label in OUTCOME_LABELS.items()}
    statuses = list(CaseStatus)
    # One row of plain numbers per month: over all time the table has thousands of cells, and
    # looking each count up in the template was most of the page's time.
    month_rows = [
        (month, [counts.get(s.value, 0) for s in statuses], sum(counts.values()))
        for month, counts in figures.months.items()
    ]
    return render_template(
        "staff/stats.html",
        form=form,
        stats=figures,
        bar_chart=charts.bar_chart,
        column_chart=charts.column_chart,
        month_rows=month_rows,
        month_totals=[(month, total) for month, _cells, total in month_rows],
        brand_rows=[(b, n) for b, n, _closed in figures.brands[:12]],
        system_rows=[(system_label(s), n) for s, n in figures.systems],
        outcome_rows=[(labels.get(o, o), n) for o, n, _paid, _mean in figures.outcomes],
        outcome_labels={o.value: label for o, label in OUTCOME_LABELS.items()},
        statuses=statuses,
        business=business_stats.get_business_view(figures.period, top=BUSINESS_ROWS),
        business_top=BUSINESS_ROWS,
        args={k: v for k, v in request.args.items() if k in ("from", "to")},  # the period only
    )


#: How many businesses the statistics page lists (the download has them all).
BUSINESS_ROWS = 20


@bp.route("/stats/export")
@role_required("staff")
def stats_export():
    """Download the statistics' figures as CSV or XLSX."""
    form = _period_form()
    if not form.validate():
        return _refuse_period(form)
    period = stats.Period.or_this_year(form.start.data, form.end.data)
    _refresh_tallies()
    rows = exports.stats_rows(stats.get_statistics(period))
    rows += exports.business_rows(business_stats.get_business_view(period))
    return _spreadsheet("stats", exports.STATS_HEADER, rows)
