"""The password rules for passwords people choose, and one-time passwords for admin resets.

One function, password_problem(), is the policy: registration, the password change page, the
`users create` CLI and admin resets all call it. The demo loader is the only caller that skips
it (demo accounts share the documented password demo12345; see disputes/demo/).
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterable

from disputes.formatting import N_

MIN_LENGTH = 10

#: Passwords that guessing tools try first (compared case-insensitively); a small list is enough
#: because the rate limit and the lockout stop anyone from trying a long one.
COMMON_PASSWORDS = frozenset(
    {
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "p@ssw0rd123",
        "qwerty123456",
        "qwerty12345",
        "qwertyuiop1",
        "1qaz2wsx3edc",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "a1b2c3d4e5",
        "abc1234567",
        "abcd123456",
        "abcd1234567",
        "abc123456789",
        "admin12345",
        "admin123456",
        "iloveyou123",
        "woaini1314",
        "aa123456789",
        "zxcvbnm123",
        "asdfghjkl1",
        "welcome123",
        "letmein123",
        "changeme123",
        "123456789a",
        "1234567890a",
        "a123456789",
        "a1234567890",
        "qq123456789",
    }
)


def password_problem(password: str, identifiers: Iterable[str | None] = ()) -> str | None:
    """Return why `password` may not be chosen (a msgid), or None when it is acceptable.

    Rules: at least MIN_LENGTH characters, letters and digits both present (so never all
    digits), not one of COMMON_PASSWORDS, and not the account's own login (mobile or e-mail,
    or the e-mail's local part).
    """
    if len(password) < MIN_LENGTH:
        return N_("密码至少 10 位。")
    if password.isdigit():
        return N_("密码不能全是数字。")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return N_("密码须同时包含字母和数字。")
    lowered = password.casefold()
    if lowered in COMMON_PASSWORDS:
        return N_("该密码过于常见，请换一个。")
    for identifier in identifiers:
        if not identifier:
            continue
        forms = {identifier.casefold(), identifier.casefold().split("@")[0]}
        if lowered in forms:
            return N_("密码不能与登录账号相同。")
    return None


def temporary_password() -> str:
    """Return a random one-time password that itself satisfies password_problem()."""
    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if password_problem(candidate) is None:
            return candidate
