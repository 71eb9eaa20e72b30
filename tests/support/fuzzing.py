"""The fuzz tests' budget: examples per endpoint, their Hypothesis settings, and the tally of
examples run that tests/fuzz/conftest.py reports at the end of the session.

FUZZ_EXAMPLES (environment) sets the examples per endpoint (default 10, or ten times as many under
HYPOTHESIS_PROFILE=thorough), FUZZ_SHRINK=1 turns shrinking of a failing example on.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

from tests.hypothesis_budget import examples

#: Examples per endpoint (10 under the "ci" Hypothesis profile, so every form and query on both
#: databases fits in CI's time; a longer run raises it); FUZZ_EXAMPLES=500 sets it.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or examples(10))
#: Shrinking a failure can take minutes on these slow examples: only with FUZZ_SHRINK=1.
PHASES = tuple(Phase) if os.environ.get("FUZZ_SHRINK") else tuple(set(Phase) - {Phase.shrink})
#: Examples run in this session, by test (reported at the end).
TALLY: dict[str, int] = {}

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def count_example(name: str) -> None:
    TALLY[name] = TALLY.get(name, 0) + 1
