"""Views of the experts room for the expert: the queue, the case (no personal data), the opinion
form with the live re-assessment, signing, declining, and the opinion letter (HTML and PDF).

The staff pages of the panel and routing live in the staff room (staff/panel_views.py and
staff/routing_views.py).
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes import calendar, ratelimit
from disputes.access import deny, role_required
from disputes.auth.models import Role
from disputes.calendar import bureau_holidays
from disputes.cases import expert_evidence
from disputes.cases import queries as case_queries
from disputes.cases.assessment_page import assessment_for_page, filed_assessment_for_page
from disputes.cases.models import Case
from disputes.db import db
from disputes.experts import bp, findings, letter, opinions, queries, redaction, services
from disputes.experts.forms import (
    ReasonForm,
    findings_from_form,
    form_data_from_findings,
    opinion_form_for,
)
from disputes.experts.models import Assignment, AssignmentStatus, Opinion, OpinionStatus


def bureau_name() -> str:
    """Return the bureau's name for letter headings (config BUREAU_NAME)."""
    return current_app.config["BUREAU_NAME"]


def _own_expert():
    expert = queries.get_expert_for_user(current_user.id)
    if expert is None:
        abort(404)
    return expert


def load_expert_case(case_id: int) -> tuple[Case, Assignment]:
    """Return the case and this expert's active (or completed) assignment; 404 otherwise."""
    assignment = queries.get_expert_assignment(case_id, _own_expert().id)
    if assignment is None:
        unassigned = case_queries.get_case(case_id)
        if unassigned is None:
            abort(404)
        deny(unassigned)
    return case_queries.get_case_with_details(case_id), assignment


def load_opinion(opinion_id: int) -> Opinion:
    """Return the opinion for staff, for its expert while assigned, or, once released, for the
    case's own consumer; 404 otherwise."""
    opinion = queries.get_opinion(opinion_id)
    if opinion is None:
        abort(404)
    if current_user.role in (Role.staff, Role.admin):
        return opinion
    if current_user.role == Role.consumer:
        if opinion.status != OpinionStatus.released or opinion.case.consumer_id != current_user.id:
            deny(opinion)
        return opinion
    expert = _own_expert()
    assignment = queries.get_expert_assignment(opinion.case_id, expert.id)
    if opinion.expert_id != expert.id or assignment is None:
        deny(opinion)
    return opinion


@bp.route("/")
@role_required("expert")
def index():
    """List the cases assigned to the logged-in expert, most urgent first (no consumer data)."""
    expert = queries.get_expert_for_user(current_user.id)
    rows = queries.expert_queue(expert.id, calendar.local_day()) if expert else []
    done = queries.list_completed_assignments(expert.id) if expert else []
    return render_template("experts/index.html", expert=expert, rows=rows, done=done)


@bp.route("/cases/<int:case_id>")
@role_required("expert")
def case_detail(case_id: int):
    """Show the case as the expert needs it: technical facts, files, claim, assessment."""
    case, assignment = load_expert_case(case_id)
    filed = opinions.filed_facts(case)
    filed_assessment = filed_assessment_for_page(case) or assessment_for_page(
        filed, holidays=bureau_holidays()
    )
    names = redaction.consumer_names(case)
    return render_template(
        "experts/case_detail.html",
        case=case,
        assignment=assignment,
        facts=redaction.facts_for_expert(filed, names),
        consumer_names=names,
        evidence=expert_evidence.expert_files(case),
        assessment=filed_assessment,
        versions=queries.list_opinions(case.id),
        decline_form=ReasonForm(),
    )


def _visit_texts(facts: dict) -> list[str]:
    return [
        _(
            "第 %(n)s 次维修 %(day)s（%(p)s，%(km)s km）",
            n=i + 1,
            day=(e.get("start") or "")[:10],
            p=e.get("problem"),
            km=e.get("odometer_km"),
        )
        for i, e in enumerate(facts.get("events") or [])
    ]


@bp.route("/cases/<int:case_id>/opinion", methods=["GET", "POST"])
@role_required("expert")
def opinion_edit(case_id: int):
    """Write the opinion: re-assess with the findings as entered, save a draft, or sign it
    (every finding, the reasoning, the confirmation and the password again; signing locks it)."""
    case, assignment = load_expert_case(case_id)
    current = opinions.current_opinion(assignment)
    facts = opinions.filed_facts(case)
    labels, visits = list((facts.get("problems") or {}).keys()), _visit_texts(facts)
    locked = assignment.status != AssignmentStatus.active or (
        current is not None and current.status != OpinionStatus.draft
    )
    findings = current.findings if current else {}
    if request.method == "POST" and not locked:
        signer = current_user if request.form.get("action") == "sign" else None
        form = opinion_form_for(labels, visits, formdata=request.form, signer=signer)
        acted = _act_on_opinion(form, assignment, current, labels, len(visits))
        if isinstance(acted, Response):
            return acted
        findings, current = acted
    else:
        data = form_data_from_findings(findings, current.conclusion if current else "", facts)
        form = opinion_form_for(labels, visits, data=data)
    filed_assessment, recomputed = opinions.assessments(case, findings, bureau_holidays())
    return render_template(
        "experts/opinion_edit.html",
        case=case,
        form=form,
        labels=labels,
        visits=visits,
        locked=locked,
        opinion=current,
        filed_assessment=filed_assessment,
        recomputed=recomputed,
        versions=queries.list_opinions(case.id),
    )


def _act_on_opinion(form, assignment, current, labels: list[str], n_visits: int):
    """Do what the pressed button asks of a valid form: re-assess only, save the draft, or save
    and sign it (then the letter's page is returned). Return the findings to show and the
    current opinion; a wrong password counts as a failed login."""
    action = request.form.get("action")
    findings = current.findings if current else {}
    if not form.validate():
        if form.signer is not None and form.password.data and form.password.errors:
            ratelimit.count_wrong_password()
        return findings, current
    findings = findings_from_form(form, labels, n_visits)
    if action == "reassess":
        flash(_("右侧评估已按您的认定重新计算；意见尚未保存。"), "info")
        return findings, current
    current = opinions.save_draft(assignment, findings, form.reasoning.data or "", current_user)
    if action == "sign":
        opinions.sign(current, current_user)
        db.session.commit()
        flash(_("意见已签署并锁定，等待工作人员审核发布。"), "success")
        return redirect(url_for("experts.opinion_letter", opinion_id=current.id))
    db.session.commit()
    flash(_("草稿已保存。"), "success")
    return findings, current


@bp.route("/cases/<int:case_id>/decline", methods=["POST"])
@role_required("expert")
def assignment_decline(case_id: int):
    """Decline or recuse from the case with a reason; the case is routed again at once."""
    _case, assignment = load_expert_case(case_id)
    form = ReasonForm()
    if assignment.status != AssignmentStatus.active or not form.validate_on_submit():
        flash(_("请写明理由。"), "error")
        return redirect(url_for("experts.case_detail", case_id=case_id))
    services.stand_aside(assignment, current_user, form.reason.data, recuse=form.recuse.data)
    db.session.commit()
    flash(_("已退回该案件，系统已重新分派。"), "info")
    return redirect(url_for("experts.index"))


@bp.app_template_filter("findings_in_words")
def findings_in_words(opinion: Opinion) -> findings.Findings:
    """The opinion's findings in the reader's language, per problem as filed (screened)."""
    filed = opinions.filed_facts(opinion.case)
    facts = redaction.facts_for_expert(filed, redaction.consumer_names(opinion.case))
    return findings.in_words(opinion.findings or {}, facts)


def _letter_context(opinion: Opinion, lang: str | None = None) -> dict:
    filed, recomputed = opinions.assessments(
        opinion.case, opinion.findings, bureau_holidays(), lang=lang
    )
    return {
        "opinion": opinion,
        "case": opinion.case,
        "facts": redaction.facts_for_expert(
            opinions.filed_facts(opinion.case), redaction.consumer_names(opinion.case)
        ),
        "filed_assessment": filed,
        "recomputed": recomputed,
        "bureau": bureau_name(),
        "verified": opinions.verify(opinion),
        "versions": queries.list_opinions(opinion.case_id),
    }


@bp.route("/opinions/<int:opinion_id>")
@role_required("expert", "staff")
def opinion_letter(opinion_id: int):
    """Show one opinion version as a printable letter (print stylesheet in app.css)."""
    opinion = load_opinion(opinion_id)
    return render_template("experts/letter.html", **_letter_context(opinion))


@bp.route("/opinions/<int:opinion_id>.pdf")
@role_required("expert", "staff", "consumer")
def opinion_pdf(opinion_id: int):
    """Download one opinion version as a PDF letter (the consumer: their case's released one)."""
    opinion = load_opinion(opinion_id)
    if opinion.status == OpinionStatus.draft:
        abort(404)
    # The PDF is the bureau's official letter: always in Chinese, whatever the page language.
    body = letter.render_letter(**_letter_context(opinion, lang="zh"))
    name = f"opinion-{opinion.case.number}-v{opinion.version}.pdf"
    return current_app.response_class(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
