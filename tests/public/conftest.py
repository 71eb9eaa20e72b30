"""Fixtures of the public pages: read_form reads a rendered form back (form_reader.py)."""

from __future__ import annotations

import pytest

from tests.public.form_reader import form_pairs


@pytest.fixture
def read_form():
    """read_form(response) → the form fields of the page, ready to post back."""
    return lambda response: form_pairs(response.get_data(as_text=True))
