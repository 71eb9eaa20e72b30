"""The unified social credit code (统一社会信用代码) of GB 32100-2015 and its check character.

18 characters from a 31-character set (digits and capital letters without I, O, S, V and Z):
1 registration authority, 2 organisation type, 3-8 administrative division, 9-17 the
organisation code, 18 the check character. The check character C18 = 31 - (Σ Ci × Wi mod 31),
where Wi = 3^(i-1) mod 31 and a result of 31 is written as 0 (GB 32100-2015 §4.3, Appendix B).
"""

from __future__ import annotations

import re

#: The code's characters in order of value (0-30).
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: v for v, c in enumerate(CHARSET)}
#: Weights of positions 1-17: 3^(i-1) mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: Shape: 18 characters of the set (the authority codes in use grow, so position 1 is not
#: narrowed further).
SHAPE = re.compile(r"^[0-9A-HJ-NP-RT-UW-Y]{18}$")


def normalise(code: str | None) -> str:
    """Upper-case `code` and drop spaces and hyphens people type between its groups."""
    return re.sub(r"[\s-]", "", code or "").upper()


def check_character(first17: str) -> str:
    """Return the check character (position 18) of the 17 characters `first17`."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Tell whether `code` (normalised) is well formed and its check character is right."""
    return bool(SHAPE.match(code)) and check_character(code[:17]) == code[17]
