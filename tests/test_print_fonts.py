"""The print fonts are cut down (generator/assets/fonts/README.md): every letter and sign the
project's languages write on a plaque must still be in both of them."""

from __future__ import annotations

import unicodedata

import pytest
from fontTools.ttLib import TTFont

from generator.assets.print_files import FONT_FILES

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # none, huyền, sắc, hỏi, ngã, nặng


def vietnamese() -> str:
    letters = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES]
    assert all(len(letter) == 1 for letter in letters)  # each is one precomposed character
    text = "".join(letters) + "bcdđghklmnpqrstvx"
    return text + text.upper()


RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
SIGNS = "0123456789 .,;:!?()[]/&@#%+-–—‘’“”«»…·•°№×½€₫'\"\u00a0\u0300\u0301\u0303\u0309\u0323"


@pytest.mark.parametrize("face", sorted(FONT_FILES))
def test_every_letter_editors_write_is_in_the_print_fonts(face):
    characters = TTFont(FONT_FILES[face]).getBestCmap()
    text = vietnamese() + RUSSIAN + RUSSIAN.upper() + SIGNS + "ΑαΒβΓγΔδΩω"
    assert [f"U+{ord(c):04X} {c}" for c in dict.fromkeys(text) if ord(c) not in characters] == []


@pytest.mark.parametrize("face", sorted(FONT_FILES))
def test_the_print_fonts_are_cut_down(face):
    font = TTFont(FONT_FILES[face])
    assert len(font.getGlyphOrder()) < 2000 and "GSUB" not in font  # see fonts/README.md
