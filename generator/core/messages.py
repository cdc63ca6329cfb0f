"""The message catalogue: every text the tool says to editors, in English and Vietnamese.

Texts live in `messages.yml` beside this file, one key per message with a line per language,
so translators see both side by side. Code refers to keys only; a test fails when a key used
in code is missing or lacks a language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.core.datafile import read_data

CATALOGUE = Path(__file__).parent / "messages.yml"
LANGUAGES = ("en", "vi")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    data = read_data(CATALOGUE) or {}
    return {str(key): {str(k): str(v) for k, v in value.items()} for key, value in data.items()}


@dataclass(frozen=True)
class Phrase:
    """A catalogue text with its values, rendered in a language only when printed."""

    key: str
    args: tuple[tuple[str, object], ...] = ()

    def render(self, lang: str = "en") -> str:
        texts = catalogue()[self.key]
        values = {name: value.render(lang) if isinstance(value, Phrase) else
                  shown(value) if isinstance(value, str) else value
                  for name, value in self.args}
        return (texts.get(lang) or texts["en"]).format(**values)


def shown(text: str) -> str:
    """Editors' text as it may go to a terminal or a CI log: control and invisible
    formatting characters (an escape sequence that clears the screen, a direction override)
    written as escapes, the rest as it is."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else
                   f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
                   for char in text)


def phrase(key: str, /, **args: object) -> Phrase:
    if key not in catalogue():
        raise KeyError(f"no message {key!r} in {CATALOGUE.name}")
    return Phrase(key, tuple(sorted(args.items())))


def tr(key: str, lang: str = "en", /, **args: object) -> str:
    return phrase(key, **args).render(lang)


def locale_lang() -> str:
    """vi when the environment's locale is Vietnamese, else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"
