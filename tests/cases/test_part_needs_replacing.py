"""Step 3 of the wizard: a part the repairer or an inspection found to need replacing (not yet
replaced) is filed with its diagnosis, and a bad diagnosis date comes back next to its box."""

from __future__ import annotations

import re
from datetime import date

from disputes.cases.models import Case, ReplacedPart
from disputes.db import db
from tests.cases.filing import post_step, step_url

NEEDED = {
    "events-0-replaced-0-assembly": "transmission",
    "events-0-replaced-0-part": "阀体",
    "events-0-replaced-0-main_part": "y",
    "events-0-replaced-0-status": "replacement_needed",
    "events-0-replaced-0-diagnosed_date": "2024-07-02",
    "events-0-replaced-0-diagnosed_by": "repairer",
}


def test_a_part_found_to_need_replacing_is_filed_with_its_diagnosis(app, client, filled_draft):
    assert post_step(client, filled_draft, 3, **NEEDED).status_code == 302
    assert post_step(client, filled_draft, 7, action="submit").status_code == 302

    with app.app_context():
        part = db.session.scalars(db.select(ReplacedPart)).one()
        assert (part.status, part.diagnosed_date, part.diagnosed_by) == (
            "replacement_needed",
            date(2024, 7, 2),
            "repairer",
        )
        case = db.session.scalars(db.select(Case)).one()
        (filed,) = case.facts_snapshot["events"][0]["replaced"]
        assert filed["status"] == "replacement_needed"
        assert filed["diagnosed_date"] == "2024-07-02"
        # Not yet replaced: the counted replacements stay empty.
        assert case.assessment_snapshot["counts"]["main_part_replacements"] == {}


def test_step_3_shows_the_diagnosis_fields_of_a_part(client, filled_draft):
    post_step(client, filled_draft, 3, **NEEDED)
    text = client.get(step_url(filled_draft, 3)).get_data(as_text=True)
    assert re.search(r'<option selected value="replacement_needed">', text)
    assert 'value="2024-07-02"' in text
    assert re.search(r'<option selected value="repairer">', text)


def test_a_bad_diagnosis_date_is_named_next_to_its_box_with_the_values_kept(client, filled_draft):
    bad = NEEDED | {"events-0-replaced-0-diagnosed_date": "2024-02-30"}
    response = post_step(client, filled_draft, 3, **bad)

    text = response.get_data(as_text=True)
    assert response.status_code == 200  # the step again, with the error by its box
    errors = re.search(
        r'<ul class="field__errors" id="events-0-replaced-0-diagnosed_date-error">(.*?)</ul>',
        text,
        re.S,
    )
    assert errors
    assert "年-月-日" in errors.group(1)
    assert 'value="阀体"' in text
    assert re.search(r'<option selected value="replacement_needed">', text)
