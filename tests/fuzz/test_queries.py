"""Every page a GET reaches gets hostile query strings and ids: the answer is the page, a redirect
or a 4xx with a message, never a 500 (numbers and days past what a database or the calendar
holds included).

The pages are the GET rows of tests/access_matrix.py, each asked by a role that may see it,
with its ids from that world; a new GET route is fuzzed once it has its row there.
"""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from hypothesis import example, given
from hypothesis import strategies as st

from tests.access_matrix import EXPECTED, ROLES, World, shared_world
from tests.fuzz.checks import assert_clear_answer
from tests.fuzz.strategies import OVERFLOWS, hostile_text
from tests.support.fuzzing import FUZZ_SETTINGS, count_example
from tests.support.login import client_for

#: Every query parameter a page reads (and a few it does not).
PARAMETERS = (
    "page", "after", "before", "last", "expert", "from", "to", "status", "outcome", "brand",
    "system", "q", "sort", "dir", "overdue", "due_soon", "format", "full", "lang", "example",
    "next", "id",
)  # fmt: skip
#: Ids no row can have, or a database cannot hold.
HOSTILE_IDS = (0, 2**31, 2**63, 10**30)


def viewer(endpoint: str) -> str:
    """Return the first role that gets the page itself (a 200) from this row."""
    expect = EXPECTED[endpoint].expect
    return next((r for r in ROLES if expect[r] == 200), next(r for r in ROLES if r != "anonymous"))


GET_PAGES = sorted(e for e, row in EXPECTED.items() if row.method == "GET")

queries = st.dictionaries(
    st.sampled_from(PARAMETERS), st.one_of(hostile_text, st.sampled_from(OVERFLOWS)), max_size=4
)


@pytest.fixture
def matrix_world(request: pytest.FixtureRequest, app: Flask, make_user, make_case) -> World:
    return shared_world(request, app, make_user, make_case)


@pytest.mark.parametrize("endpoint", GET_PAGES)
def test_hostile_query_strings_and_ids_get_a_clear_answer(app, matrix_world, endpoint):
    row = EXPECTED[endpoint]
    role = viewer(endpoint)
    client = client_for(app, None if role == "anonymous" else matrix_world.users[role])

    @FUZZ_SETTINGS
    @given(query=queries, id_pick=st.one_of(st.none(), st.sampled_from(HOSTILE_IDS)))
    @example(query={name: "99999999999999999999999" for name in PARAMETERS[:4]}, id_pick=None)
    @example(query={"from": "0001-01-01", "to": "9999-12-31"}, id_pick=10**30)
    @example(query={"after": "2026-01-01T00:00:00~99999999999999999999999"}, id_pick=None)
    def fuzz(query: dict[str, str], id_pick: int | None) -> None:
        args = {a: matrix_world.id_of(name) for a, name in row.args.items()}
        if id_pick is not None and args:
            args = dict.fromkeys(args, id_pick)
        with app.test_request_context():
            url = url_for(endpoint, **args)

        response = client.get(url, query_string=query)

        assert_clear_answer(response)
        count_example(f"queries:{endpoint}")

    fuzz()
