"""Jinja filters for display: dates as YYYY-MM-DD, money as ¥12,345.00 元, distances in km.

Only formatting lives here; templates never compute anything else.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context, has_request_context, request, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from disputes.assessment_words import REGIME_NAMES, REMEDY_NAMES
from disputes.cases.vocabulary import N_  # defined once, where no Flask is imported
from disputes.i18n import translate

_FEN = Decimal("0.01")


#: Chinese names of the case states (msgids; the English catalog translates them).
STATUS_LABELS: dict[str, str] = {
    "draft": N_("草稿"),
    "submitted": N_("已提交"),
    "screening": N_("审查中"),
    "info_requested": N_("待补充材料"),
    "accepted": N_("已受理"),
    "not_accepted": N_("不予受理"),
    "routed": N_("专家处理中"),
    "opinion_received": N_("已出具专家意见"),
    "mediation": N_("调解中"),
    "closed": N_("已结案"),
    "withdrawn": N_("已撤回"),
}

#: Chinese names of an expert's assignment states and of an opinion's states.
ASSIGNMENT_STATUS_LABELS: dict[str, str] = {
    "active": N_("办理中"),
    "declined": N_("已拒绝"),
    "recused": N_("已回避"),
    "completed": N_("已完成"),
    "superseded": N_("已改派"),
}
OPINION_STATUS_LABELS: dict[str, str] = {
    "draft": N_("草稿"),
    "signed": N_("已签署"),
    "released": N_("已发布"),
}

#: Chinese names of the roles.
ROLE_LABELS: dict[str, str] = {
    "consumer": N_("消费者"),
    "expert": N_("技术咨询专家"),
    "staff": N_("工作人员"),
    "admin": N_("管理员"),
    "business": N_("经营者"),
}


def _local(value: datetime) -> datetime:
    """Convert a UTC datetime (naive means UTC) to the bureau's timezone when an app is active.

    The zone is BABEL_DEFAULT_TIMEZONE, as Flask-Babel's to_user_timezone takes it (the app sets
    no timezone selector), converted by zoneinfo: the same moment, without to_user_timezone's
    context look-ups and pytz at ten times the cost (the staff case page shows twenty)."""
    if not has_app_context():
        return value
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def format_date(value: date | datetime | str | None, empty: str = "—") -> str:
    """Render a date or datetime as YYYY-MM-DD (an empty marker for None)."""
    if value is None or value == "":
        return empty
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def format_datetime(value: datetime | None, empty: str = "—") -> str:
    """Render a datetime as YYYY-MM-DD HH:MM (an empty marker for None)."""
    if value is None:
        return empty
    return _local(value).strftime("%Y-%m-%d %H:%M")


def format_money(value: Decimal | int | float | str | None, empty: str = "—") -> str:
    """Render an amount in yuan as ¥12,345.00 元: two decimals, half-up, thousands separators."""
    if value is None or value == "":
        return empty
    try:
        amount = Decimal(str(value)).quantize(_FEN, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    unit = "yuan" if has_request_context() and str(get_locale()).startswith("en") else "元"
    return f"{sign}¥{abs(amount):,.2f} {unit}"


def format_km(value: int | float | Decimal | str | None, empty: str = "—") -> str:
    """Render a distance as 12,345 km."""
    if value is None or value == "":
        return empty
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,} km"
    return f"{number:,.1f} km"


def format_number(value: int) -> str:
    """Render a count as 12,345."""
    return f"{value:,}"


def format_percent(value: Decimal | float | str | None, empty: str = "—") -> str:
    """Render a rate such as 0.005 as 0.5%."""
    if value is None or value == "":
        return empty
    number = (Decimal(str(value)) * 100).normalize()
    return f"{number:f}%"


def nl2br(value: str | None) -> Markup:
    """Escape text and keep its line breaks."""
    if not value:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in str(value).splitlines())


def status_label(status: object) -> str:
    """Translate a CaseStatus (or its value) into its display name."""
    value = str(status.value if hasattr(status, "value") else status)
    return translate(STATUS_LABELS[value]) if value in STATUS_LABELS else value


def _label(table: dict[str, str], value: object) -> str:
    code = str(value.value if hasattr(value, "value") else value)
    return translate(table[code]) if code in table else code


def assignment_status_label(status: object) -> str:
    """Translate an AssignmentStatus (or its value) into words."""
    return _label(ASSIGNMENT_STATUS_LABELS, status)


def opinion_status_label(status: object) -> str:
    """Translate an OpinionStatus (or its value) into words."""
    return _label(OPINION_STATUS_LABELS, status)


def role_label(role: object) -> str:
    """Translate a Role (or its value) into its display name."""
    value = str(role.value if hasattr(role, "value") else role)
    return translate(ROLE_LABELS[value]) if value in ROLE_LABELS else value


def system_label(system: object) -> str:
    """Translate a VehicleSystem (or its value) into its display name."""
    from disputes.cases.vocabulary import SYSTEM_LABELS, VehicleSystem

    value = str(system.value if hasattr(system, "value") else system)
    try:
        return translate(SYSTEM_LABELS[VehicleSystem(value)])
    except ValueError:
        return value


def attachment_kind_label(kind: object) -> str:
    """Translate an AttachmentKind (or its value) into what the file is."""
    from disputes.cases.vocabulary import ATTACHMENT_KIND_LABELS

    return _label(ATTACHMENT_KIND_LABELS, kind)


def action_label(action: str) -> str:
    """Translate an audit action code (case.submitted) into words."""
    from disputes.audit_labels import action_label as label

    return label(action)


def lang_url(lang: str) -> str:
    """Return the current page's URL in another language (keeps the query string)."""
    args = request.args.to_dict()
    args["lang"] = lang
    if request.endpoint and request.url_rule is not None and "GET" in request.url_rule.methods:
        return url_for(request.endpoint, **(request.view_args or {}), **args)
    return url_for("public.home", lang=lang)


def _template_context() -> dict[str, object]:
    """Expose the UI language and the language-switch helper to every template."""
    locale = str(get_locale() or "zh")
    return {
        "ui_lang": locale,
        "html_lang": "zh-CN" if locale.startswith("zh") else locale,
        "lang_url": lang_url,
    }


def remedy_name(code: str) -> str:
    """Translate a rules remedy code (free_repair ...) into its name."""
    return translate(REMEDY_NAMES[code]) if code in REMEDY_NAMES else code


def regime_name(regime: str) -> str:
    """Translate a regime ("2013", "2022") into the regulation's title."""
    return translate(REGIME_NAMES[regime]) if regime in REGIME_NAMES else regime


FILTERS = {
    "date": format_date,
    "datetime": format_datetime,
    "money": format_money,
    "km": format_km,
    "number": format_number,
    "percent": format_percent,
    "nl2br": nl2br,
    "status_label": status_label,
    "role_label": role_label,
    "assignment_status_label": assignment_status_label,
    "opinion_status_label": opinion_status_label,
    "system_label": system_label,
    "attachment_kind_label": attachment_kind_label,
    "action_label": action_label,
    "remedy_name": remedy_name,
    "regime_name": regime_name,
}


def init_app(app: Flask) -> None:
    """Register the display filters and the language helpers on the app's Jinja environment."""
    if "disputes.formatting" in app.extensions:
        return
    app.extensions["disputes.formatting"] = True
    app.jinja_env.filters.update(FILTERS)
    # The rules' remedy codes in the order pages list them.
    app.jinja_env.globals["remedy_codes"] = tuple(REMEDY_NAMES)
    app.context_processor(_template_context)
