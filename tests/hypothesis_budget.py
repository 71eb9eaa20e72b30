"""Hypothesis example budgets, chosen with HYPOTHESIS_PROFILE: "ci" (the default) keeps
`make test` within CI's time; "thorough" runs ten times as many examples in every property and
fuzz test, for a long run before a release or after a change to the rules."""

from __future__ import annotations

import os

from hypothesis import settings

#: Examples per property test under each profile (Hypothesis's own default is 100).
PROFILES = {"ci": 100, "thorough": 1000}


def load_profile() -> None:
    """Register the profiles and load the one HYPOTHESIS_PROFILE names."""
    for name, max_examples in PROFILES.items():
        settings.register_profile(name, max_examples=max_examples)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(ci: int) -> int:
    """The example count for a test that runs `ci` examples under the "ci" profile, scaled to the
    profile loaded (so each test keeps its own proportion of the budget)."""
    return max(1, ci * settings.default.max_examples // PROFILES["ci"])
