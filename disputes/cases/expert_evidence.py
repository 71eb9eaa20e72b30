"""The evidence as an expert gets it: the files staff did not withhold, under neutral names
("证据 3 · 维修单.pdf") instead of the names the consumer gave, which often carry their name.

The copy served to an expert also loses its metadata (privacy.metadata). The consumer and staff
get every file as filed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from disputes.cases.models import Attachment, Case
from disputes.formatting import attachment_kind_label

#: The file ending a neutral name gets, from the checked content type.
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True, slots=True)
class ExpertFile:
    """One file an expert may read, and the name the expert sees it under."""

    attachment: Attachment
    #: "证据 3 · 维修单.pdf": its place among the files experts get, its kind and its type.
    name: str


def expert_files(case: Case) -> list[ExpertFile]:
    """Return the case's files experts may read, in upload order, with their neutral names."""
    shown = [a for a in case.attachments if not a.is_withheld_from_experts]
    return [
        ExpertFile(
            a,
            gettext(
                "证据 %(n)s · %(kind)s%(ending)s",
                n=n,
                kind=attachment_kind_label(a.kind),
                ending=EXTENSIONS.get(a.content_type, ""),
            ),
        )
        for n, a in enumerate(shown, start=1)
    ]


def expert_file(case: Case, attachment_id: int) -> ExpertFile | None:
    """Return the file `attachment_id` of `case` as experts get it; None if withheld or absent."""
    return next((f for f in expert_files(case) if f.attachment.id == attachment_id), None)
