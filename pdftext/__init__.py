"""pdftext: text in fpdf2 documents with fallback fonts, for the leaf libraries qr and maps.

fpdf2's text() draws every character in the current font, so a character that font lacks
becomes an empty box. Here a document carries fallback fonts (`attach`), loaded only when a
text needs one (a CJK collection takes half a second to load), and text is measured and
drawn in runs: each run in the main font or the first fallback that has its characters.
`add_font` registers a font as fpdf2's add_font does, but parses each font file once per
process: a build prints thousands of documents in the same two fonts, and parsing them
(character map, widths, glyph ids) was half the time of a small PDF. `output` is
pdf.output() with each font's subset made once per process and set of glyphs: the four
papers of a plaque draw the same letters, and cutting a font down was most of the rest.
It knows nothing of sites, plaques or maps.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["add_font", "attach", "covered", "draw_text", "output", "text_width"]

Fallback = tuple[Path, int]  # a font file and its face number in a collection (0 otherwise)


# (file, face) -> the font as fpdf2 parsed it for a first document; copied for later ones.
_PARSED: dict[tuple[str, int], Any] = {}


def add_font(pdf: FPDF, family: str, style: str, file: Path | str, face: int = 0) -> None:
    """pdf.add_font(family, style, file), the file parsed once per process.

    fpdf2 subsets a document's fonts in place when it writes the PDF, so each document gets
    its own (lazy, cheap) fontTools object and its own copies of everything it changes;
    what it only reads is the parsed font's. A font fpdf2 had to patch (no .notdef glyph)
    is added the ordinary way.
    """
    from fpdf.fonts import TTFFont

    key = (str(file), face)
    fontkey = f"{family.lower()}{''.join(sorted(style.upper()))}"
    parsed = _PARSED.get(key)
    if parsed is not None and fontkey not in pdf.fonts:
        font = _copy(parsed, pdf, fontkey, style)
        pdf.fonts[fontkey] = font
        if font.is_cff and font.is_cid_keyed:
            pdf._set_min_pdf_version("1.6")
        return
    pdf.add_font(family, style, str(file), collection_font_number=face)
    font = pdf.fonts.get(fontkey)
    if (parsed is None and isinstance(font, TTFFont)
            and not ("glyf" in font.ttfont and ".notdef" not in font.ttfont["glyf"])):
        _PARSED[key] = _copy(font, None, fontkey, style)


def _copy(parsed: Any, pdf: FPDF | None, fontkey: str, style: str) -> Any:
    """A TTFFont like `parsed`, with its own copy of all a document changes.

    For `pdf`, a fresh lazy fontTools font (cut down when the document is written, by
    `output` or by fpdf2) and the next font number; without one (the process's stored
    copy), no fontTools font at all.
    """
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap, TTFFont, get_color_font_object

    font = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(parsed, name):  # fpdf2 leaves some unset (unicode_range)
            setattr(font, name, getattr(parsed, name))
    font.fontkey = fontkey
    font.emphasis = type(parsed.emphasis).coerce(style)
    font.desc = copy.copy(parsed.desc)
    font.cw = copy.copy(parsed.cw)  # a defaultdict: reading a missing width stores it
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.color_font = None
    if pdf is None:
        font.ttfont = None
        return font
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(parsed.ttffile, recalcTimestamp=False,
                               fontNumber=parsed.collection_font_number, lazy=True)
    font.subset = SubsetMap(font)
    if pdf.render_color_fonts:
        font.color_font = get_color_font_object(pdf, font, font.palette_index)
    return font


# (file, face, glyph names) -> the font cut down to those glyphs as fpdf2 cuts it, saved, and
# its glyph order (the names fpdf2 asks for by glyph).
_SUBSETS: dict[tuple[str, int, frozenset[str]], tuple[bytes, list[str]]] = {}
_SUBSETS_KEPT = 64  # a plaque's cuts are asked for by its next papers, not much later


def output(pdf: FPDF) -> bytes:
    """bytes(pdf.output()), each TrueType font cut down to the glyphs it draws beforehand.

    fpdf2 cuts each font down to its glyphs itself, from the whole font, for every
    document. Here a font is cut once per process and set of glyphs, as fpdf2 would cut it,
    and fpdf2 is handed the cut font, marked so that it writes it as it is (`_Subsetter`):
    the same bytes (tests/test_pdftext.py), without the work, for the three other papers of
    a plaque.
    """
    from fontTools import ttLib
    from fpdf.fonts import TTFFont

    _install_subsetter()
    for font in pdf.fonts.values():
        if not isinstance(font, TTFFont) or font.color_font is not None:
            continue
        names = frozenset(font.subset.get_all_glyph_names())
        key = (str(font.ttffile), font.collection_font_number, names)
        cut = _SUBSETS.get(key)
        if cut is None:
            cut = _cut_down(font.ttfont, names)
            if len(_SUBSETS) >= _SUBSETS_KEPT:
                _SUBSETS.pop(next(iter(_SUBSETS)))
            _SUBSETS[key] = cut
        data, order = cut
        font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        font.ttfont.setGlyphOrder(list(order))
        setattr(font.ttfont, "pdftext_cut", True)
    return bytes(pdf.output())


def _cut_down(font: Any, names: frozenset[str]) -> tuple[bytes, list[str]]:
    """`font` cut down to `names` as fpdf2 cuts it, with its options (fpdf/output.py,
    `_add_fonts`), in place; saved, and its glyph order."""
    from fontTools import subset

    options = subset.Options(notdef_outline=True, recommended_glyphs=True)
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix",
                            "CBDT", "CBLC", "EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=names)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue(), font.getGlyphOrder()


def _install_subsetter() -> None:
    """Let fpdf2 leave the fonts `output` cut alone: its Subsetter, with a subset() that
    does nothing to a font marked `pdftext_cut` (every other font is cut as before)."""
    import fpdf.output
    from fontTools import subset

    if getattr(fpdf.output.ftsubset, "pdftext", False):
        return

    class _Subsetter(subset.Subsetter):
        def subset(self, font: Any) -> None:
            if not getattr(font, "pdftext_cut", False):
                super().subset(font)

    fpdf.output.ftsubset = SimpleNamespace(Options=subset.Options, Subsetter=_Subsetter,
                                           pdftext=True)


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
            add_font(pdf, family, "", file, face)  # one weight serves bold text too
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


def _style(pdf: FPDF, family: str, style: str) -> str:
    """The style to set: a fallback has one weight (embedding a CJK font twice, once per
    style, doubled the time of writing a document)."""
    return style if family == _main(pdf) else ""


def text_width(pdf: FPDF, text: str) -> float:
    """The text's width in the document's unit, in the current style and size."""
    runs = _runs(pdf, text)
    if runs == [(_main(pdf), text)]:
        return pdf.get_string_width(text)
    style, size = pdf.font_style, pdf.font_size_pt
    width = 0.0
    for family, run in runs:
        pdf.set_font(family, _style(pdf, family, style), size)
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
        pdf.set_font(family, _style(pdf, family, style), size)
        pdf.text(x, y, run)
        x += pdf.get_string_width(run)
    pdf.set_font(_main(pdf), style, size)
