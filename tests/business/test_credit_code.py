"""GB 32100-2015: the unified social credit code's check character, as a table."""

from __future__ import annotations

import pytest

from disputes.business.credit_code import check_character, is_valid, normalise


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        pytest.param("91350100M000100Y43", True, id="GB32100/example-from-the-standard"),
        pytest.param("91350100M000100Y44", False, id="GB32100/check-off-by-one"),
        pytest.param("91110000600037341L", True, id="GB32100/letter-check"),
        pytest.param("91110000600037341M", False, id="GB32100/wrong-letter-check"),
        pytest.param("91310000717854505W", True, id="GB32100/W-check"),
        pytest.param("91310000717854505V", False, id="GB32100/V-not-in-the-set"),
        pytest.param("91350100M000100Y4", False, id="GB32100/17-characters"),
        pytest.param("91350100M000100Y430", False, id="GB32100/19-characters"),
        pytest.param("91350100O000100Y43", False, id="GB32100/letter-O-not-in-the-set"),
        pytest.param("91350100I000100Y43", False, id="GB32100/letter-I-not-in-the-set"),
        pytest.param("", False, id="GB32100/empty"),
    ],
)
def test_check_character(code, valid):
    assert is_valid(code) is valid


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        pytest.param("91350100M000100Y4", "3", id="sum-gives-a-digit"),
        pytest.param("91110000600037341", "L", id="sum-gives-a-letter"),
    ],
)
def test_check_character_is_computed_from_the_first_17(first17, check):
    assert check_character(first17) == check


def test_a_remainder_of_zero_gives_check_character_zero():
    # Σ = 0, so 31 - 0 = 31, which the standard writes as 0.
    first17 = "00000000000000000"

    assert check_character(first17) == "0"


def test_normalise_upper_cases_and_drops_spaces_and_hyphens():
    assert normalise(" 9135 0100-m000100y43 ") == "91350100M000100Y43"
