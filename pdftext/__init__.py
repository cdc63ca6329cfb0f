"""pdftext: text in fpdf2 documents with fallback fonts, for the leaf libraries qr and maps.

fpdf2's text() draws every character in the current font, so a character that font lacks
becomes an empty box. Here a document carries fallback fonts (`attach`), loaded only when a
text needs one (a CJK collection takes half a second to load), and text is measured and
drawn in runs: each run in the main font or the first fallback that has its characters.
It knows nothing of sites, plaques or maps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["attach", "covered", "draw_text", "text_width"]

Fallback = tuple[Path, int]  # a font file and its face number in a collection (0 otherwise)


def attach(pdf: FPDF, family: str, fallbacks: Sequence[Fallback]) -> None:
    """Give the document its main family's name and its fallback fonts, not yet loaded."""
    # FPDF declares no pdftext_* attributes: this module sets and reads them by name.
    setattr(pdf, "pdftext_family", family)
    setattr(pdf, "pdftext_files", tuple(fallbacks))


def _loaded(pdf: FPDF) -> list[tuple[str, dict[int, str]]]:
    """(family, character map) of each fallback, registered in the document on first need."""
    loaded: list[tuple[str, dict[int, str]]] | None = getattr(pdf, "pdftext_loaded", None)
    if loaded is None:
        loaded = []
        current = (pdf.font_family, pdf.font_style, pdf.font_size_pt)
        for index, (file, face) in enumerate(getattr(pdf, "pdftext_files", ())):
            family = f"{getattr(pdf, 'pdftext_family')}Fallback{index}"
            for style in ("", "B"):  # one weight serves both
                pdf.add_font(family, style, str(file), collection_font_number=face)
            pdf.set_font(family, "", 10)
            loaded.append((family, _cmap(pdf)))
        if loaded and current[0]:
            pdf.set_font(*current)
        setattr(pdf, "pdftext_loaded", loaded)
    return loaded


def _cmap(pdf: FPDF) -> dict[int, str]:
    """The current font's character map (code point -> glyph name): TrueType fonts only."""
    from fpdf.fonts import TTFFont  # imported here: maps/ loads fpdf2 only to draw a PDF

    font = pdf.current_font
    if not isinstance(font, TTFFont):
        raise TypeError(f"pdftext needs a TrueType font set, not {type(font).__name__}")
    return font.cmap


def covered(pdf: FPDF, char: str) -> bool:
    """Whether the current font or a fallback font has `char`."""
    return (char == " " or ord(char) in _cmap(pdf)
            or any(ord(char) in cmap for _, cmap in _loaded(pdf)))


def _runs(pdf: FPDF, text: str) -> list[tuple[str, str]]:
    """The text in runs of one font each; a character no font has stays in the main font."""
    family = _main(pdf)
    cmap = _cmap(pdf)
    if all(char == " " or ord(char) in cmap for char in text):
        return [(family, text)]
    runs: list[tuple[str, str]] = []
    for char in text:
        chosen = family
        if char != " " and ord(char) not in cmap:
            chosen = next((name for name, other in _loaded(pdf) if ord(char) in other), family)
        if runs and runs[-1][0] == chosen:
            runs[-1] = (chosen, runs[-1][1] + char)
        else:
            runs.append((chosen, char))
    return runs


def _main(pdf: FPDF) -> str:
    return str(getattr(pdf, "pdftext_family", pdf.font_family))


def text_width(pdf: FPDF, text: str) -> float:
    """The text's width in the document's unit, in the current style and size."""
    runs = _runs(pdf, text)
    if runs == [(_main(pdf), text)]:
        return pdf.get_string_width(text)
    style, size = pdf.font_style, pdf.font_size_pt
    width = 0.0
    for family, run in runs:
        pdf.set_font(family, style, size)
        width += pdf.get_string_width(run)
    pdf.set_font(_main(pdf), style, size)
    return width


def draw_text(pdf: FPDF, x: float, y: float, text: str) -> None:
    """pdf.text(x, y, text), each run in the font that has its characters."""
    runs = _runs(pdf, text)
    if runs == [(_main(pdf), text)]:
        pdf.text(x, y, text)
        return
    style, size = pdf.font_style, pdf.font_size_pt
    for family, run in runs:
        pdf.set_font(family, style, size)
        pdf.text(x, y, run)
        x += pdf.get_string_width(run)
    pdf.set_font(_main(pdf), style, size)
