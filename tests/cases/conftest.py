"""Fixtures for the consumer pages (helpers live in filing.py)."""

from __future__ import annotations

import pytest

from tests.cases.filing import PDF, post_step, start_draft, upload


@pytest.fixture
def filled_draft(client, login, consumer):
    """A draft of `consumer` with steps 1-6 saved and valid (a PDF invoice uploaded)."""
    login(consumer)
    draft_id = start_draft(client)
    for step in range(1, 6):
        response = post_step(client, draft_id, step)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[-3000:])
    assert upload(client, draft_id, PDF, "发票.pdf").status_code == 200
    return draft_id
