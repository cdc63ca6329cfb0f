"""Interface texts of the generated site ("Opening hours", "Nearby sites"), per language.

The tables live in `generator/core/strings/<lang>.yml`. English, Vietnamese, Korean, Chinese and
Russian are complete (a test holds them to it); any other language falls back key by key
along its fallback list, then to English, so a half-translated interface never shows a raw
key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.core.datafile import read_data

from generator.core.model import Language

STRINGS_DIR = Path(__file__).parent / "strings"
COMPLETE = ("en", "vi", "ko", "zh", "ru")


@cache
def string_table(lang: str) -> Mapping[str, str]:
    """The interface texts written for `lang` (empty if none)."""
    file = STRINGS_DIR / f"{lang}.yml"
    if not file.is_file():
        return {}
    return {str(k): str(v) for k, v in (read_data(file) or {}).items()}


@dataclass(frozen=True)
class Texts:
    """Interface texts for one page language, with its fallbacks."""

    language: Language

    def __call__(self, key: str, **values: object) -> str:
        for lang in (self.language.code, *self.language.fallbacks, "en"):
            table = string_table(lang)
            if key in table:
                return table[key].format(**values)
        raise KeyError(f"no interface text {key!r} in any language")
