"""The data-download request form: a confirmation that the file will hold all personal data."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from disputes.forms import BaseForm


class DataExportForm(BaseForm):
    """Ask for the ZIP of one's own data (the box must be ticked)."""

    confirm = BooleanField(
        _l("我知道下载的文件包含我的全部个人信息，会妥善保管"),
        [DataRequired(_l("请勾选确认后再下载"))],
    )
