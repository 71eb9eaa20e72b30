"""The error list of a facts form (self-check page and filing wizard): each error with the id of
its field and the row it sits in, named as the page names it."""

from __future__ import annotations

from flask_babel import gettext as _


def error_items(form) -> list[tuple[str | None, str, str]]:
    """List (field id, where, message) for every error, rows named as the page names them."""
    items: list[tuple[str | None, str, str]] = [(None, "", str(e)) for e in form.form_errors]
    _collect_errors(form, "", items)
    return items


def _collect_errors(form, where: str, items: list) -> None:
    for field in form:
        if field.type == "FormField":
            _collect_errors(field.form, where, items)
        elif field.type == "FieldList":
            for i, entry in enumerate(field.entries):
                _collect_errors(
                    entry.form, where + _row_name(field.short_name, i, entry.form), items
                )
        elif field.type != "CSRFTokenField":
            items.extend((field.id, where + str(field.label.text), str(e)) for e in field.errors)


def _row_name(list_name: str, index: int, row) -> str:
    if list_name == "problems":
        return _("问题 %(label)s · ", label=row.label.data)
    if list_name == "events":
        return _("第 %(n)s 次维修 · ", n=index + 1)
    if list_name == "replaced":
        return _("更换零件 %(n)s · ", n=index + 1)
    return _("第 %(n)s 项 · ", n=index + 1)
