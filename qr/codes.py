"""Short plaque codes in Crockford base32.

Crockford's alphabet drops I, L, O and U so a code read aloud or copied by hand from a
weathered plaque cannot be confused with 1 or 0 (or spell common words).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Iterable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOOK_ALIKES = "ILOU"
# The order codes are handed out in: 0 and 1 last, as on a worn plaque they are still read as
# the letters O, I or L that the alphabet leaves out.
ISSUE_ORDER = "23456789ABCDEFGHJKMNPQRSTVWXYZ01"
MAX_CODE_LENGTH = 4


@dataclass(frozen=True)
class CodeProblem:
    """Why a text is not a code; `kind` lets callers word it in their own language."""

    kind: str  # empty | too-long | look-alike | lower-case | bad-char
    code: str
    char: str = ""

    def __str__(self) -> str:
        code = self.code
        return {
            "empty": "code is empty",
            "too-long": f"code {code!r} is {len(code)} characters long; the maximum is "
                        f"{MAX_CODE_LENGTH}",
            "look-alike": f"code {code!r} contains {self.char!r}: Crockford base32 omits the "
                          "look-alike letters I, L, O and U",
            "lower-case": f"code {code!r} has lower-case letters; codes are upper-case: "
                          f"{code.upper()!r}",
            "bad-char": f"code {code!r} contains {self.char!r}; use only {ALPHABET}",
        }[self.kind]

    def __contains__(self, text: str) -> bool:
        return text in str(self)


def validate_code(text: str) -> CodeProblem | None:
    """Return None for a valid code, else its first problem."""
    if not text:
        return CodeProblem("empty", text)
    if len(text) > MAX_CODE_LENGTH:
        return CodeProblem("too-long", text)
    for char in text:
        if char.upper() in LOOK_ALIKES:
            return CodeProblem("look-alike", text, char)
    for char in text:
        if char.islower() and char.upper() in ALPHABET:
            return CodeProblem("lower-case", text, char)
        if char not in ALPHABET:
            return CodeProblem("bad-char", text, char)
    return None


def next_code(issued: Iterable[str], *, length: int = 2) -> str:
    """Return the first free code in canonical order, never one already issued.

    Codes are tried shortest first (starting at `length`), in ISSUE_ORDER. Codes made only
    of digits are skipped: they read like a number ("42") and invite confusion with a site
    number or a price. When every code of a length is taken, the length grows.
    """
    if not 1 <= length <= MAX_CODE_LENGTH:
        raise ValueError(f"length must be between 1 and {MAX_CODE_LENGTH}, got {length}")
    taken = {code.strip().upper() for code in issued}
    for size in range(length, MAX_CODE_LENGTH + 1):
        for chars in product(ISSUE_ORDER, repeat=size):
            code = "".join(chars)
            if code not in taken and not code.isdigit():
                return code
    raise ValueError(f"every code up to {MAX_CODE_LENGTH} characters is issued")
