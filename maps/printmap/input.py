"""What a caller hands the printable map, checked once before anything is drawn: the public value
types MapMarker and MapFonts, the markers, epoch and schematic lines, and PageTexts, every string
the page shows, NFC-normalised and stripped. A caller's mistake (no markers, a repeated tag, a
latitude beyond the Web Mercator square, a control character, a character the font lacks) fails
here with a message that names it, instead of a half-drawn page or a blank box in print.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..geo import LatLon

_MAX_LAT = 85.05112878  # the edge of the Web Mercator square
# Unicode category Cc, which Unicode's stability policy fixes for good.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


_TAG = re.compile(r"[0-9A-Za-z]{1,4}")


@dataclass(frozen=True)
class MapMarker:
    """One point with the short tag printed in its circle (a permanent code such as "2E").

    The caller chooses the tags; they must not change when other points come or go, so a printed
    map stays right. The legend lists markers in the order the caller gives them.
    """

    tag: str
    point: LatLon
    label: str

    def __post_init__(self) -> None:
        if not isinstance(self.tag, str):
            raise TypeError(f"a marker tag must be a string, got {self.tag!r}")
        if not _TAG.fullmatch(self.tag):
            raise ValueError(f"a marker tag must be 1 to 4 letters or digits to fit its circle, "
                             f"got {self.tag!r}")
        if not isinstance(self.point, LatLon):
            raise TypeError(f"marker {self.tag}: point must be a LatLon")
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError(f"marker {self.tag}: the label must be a non-empty string")


@dataclass(frozen=True)
class PageTexts:
    """Every string the page shows, cleaned once."""

    title: str
    legend_title: str
    attribution: str
    metre: str
    kilometre: str
    north: str
    labels: dict[str, str]  # tag -> label, in legend order

    def only(self, markers: Sequence[MapMarker], title: str | None = None) -> PageTexts:
        """The same texts for one sheet: its markers' labels, and its own title if given."""
        labels = {m.tag: self.labels[m.tag] for m in markers}
        return replace(self, labels=labels, title=self.title if title is None else title)

    @classmethod
    def build(
        cls,
        markers: list[MapMarker],
        title: str,
        legend_title: str,
        attribution: str,
        scale_label: str,
        north_label: str,
    ) -> PageTexts:
        """Clean every string; scale_label is "m" (km is "k" + it) or both, as "м|км"."""
        units = clean_text("scale_label", scale_label).split("|")
        if len(units) > 2 or not all(unit.strip() for unit in units):
            raise ValueError(f"scale_label must be 'm' or 'm|km' style, got {scale_label!r}")
        metre = units[0].strip()
        kilometre = units[1].strip() if len(units) == 2 else "k" + metre
        labels = {m.tag: clean_text(f"marker {m.tag} label", m.label) for m in markers}
        return cls(
            clean_text("title", title),
            clean_text("legend_title", legend_title),
            clean_text("attribution", attribution),
            metre,
            kilometre,
            clean_text("north_label", north_label),
            labels,
        )


@dataclass(frozen=True)
class MapFonts:
    """Fonts to embed: regular and bold, and fallbacks for the characters they lack, each a
    (file, face number) pair such as Noto Sans CJK for Hán and Hangul; a fallback is loaded
    only by a map whose text needs it."""

    regular: Path
    bold: Path
    fallback: tuple[tuple[Path, int], ...] = ()


def _check_latitude(where: str, point: LatLon, why: str = "") -> None:
    """Web Mercator stretches to infinity at the poles, so it stops at ±85.05°."""
    if abs(point.lat) > _MAX_LAT:
        raise ValueError(f"{where}: latitude {point.lat} is beyond ±{_MAX_LAT:.2f}{why}")


def check_markers(markers: Sequence[MapMarker]) -> list[MapMarker]:
    """The markers in the caller's order; no markers or a repeated tag is a caller error."""
    markers = list(markers)
    if not markers:
        raise ValueError("a printable map needs at least one marker; got none")
    for marker in markers:
        if not isinstance(marker, MapMarker):
            raise TypeError(f"markers must be MapMarker, got {type(marker).__name__}")
        where = f"marker {marker.tag}"
        _check_latitude(where, marker.point, ", which a Web Mercator map cannot show")
    seen: set[str] = set()
    for marker in markers:
        if marker.tag in seen:
            raise ValueError(f"two markers have the tag {marker.tag}; tags must be unique")
        seen.add(marker.tag)
    return markers


def check_epoch(epoch: int) -> None:
    """The creation date must come from the caller (SOURCE_DATE_EPOCH), never the clock."""
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise ValueError(f"epoch must be a non-negative int (Unix seconds), got {epoch!r}")


def check_schematic(schematic: Sequence[Sequence[LatLon]]) -> list[list[LatLon]]:
    """The caller's background lines as lists; a line needs two points to be drawn at all."""
    lines = [list(line) for line in schematic]
    for index, line in enumerate(lines):
        if len(line) < 2:
            raise ValueError(f"schematic line {index} needs at least 2 points, got {len(line)}")
        for point in line:
            if not isinstance(point, LatLon):
                raise TypeError(f"schematic line {index}: points must be LatLon")
            _check_latitude(f"schematic line {index}", point)
    return lines


def clean_text(what: str, text: object) -> str:
    """NFC, stripped, no control characters: what the PDF and pdftotext should carry."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a string, got {type(text).__name__}")
    clean = unicodedata.normalize("NFC", text).strip()
    control = _CONTROL.search(clean)
    if control:
        raise ValueError(f"{what}: control character U+{ord(control[0]):04X} is not allowed")
    if not clean:
        raise ValueError(f"{what} must not be empty")
    return clean


def check_glyphs(texts: PageTexts, fonts: MapFonts) -> None:
    """Fail on a character the font lacks, naming it, instead of printing a blank box."""
    from fontTools.ttLib import TTFont

    if not isinstance(fonts, MapFonts):
        raise TypeError("fonts must be a MapFonts")
    fallback: list[dict[int, str]] | None = None
    for path, items in _glyph_needs(texts, fonts).items():
        if not path.is_file():
            raise FileNotFoundError(f"font file not found: {path}")
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap()
        for what, text in items:
            for char in text:
                if ord(char) in cmap or char == " ":
                    continue
                if fallback is None:  # read only when a character needs them
                    fallback = [_cmap(file, face) for file, face in fonts.fallback]
                if not any(ord(char) in other for other in fallback):
                    raise ValueError(
                        f"{what}: character U+{ord(char):04X} {char!r} is not in "
                        f"the font {path.name} nor in a fallback font; use a font that has it"
                    )


def _cmap(file: Path, face: int) -> dict[int, str]:
    from fontTools.ttLib import TTFont

    if not Path(file).is_file():
        raise FileNotFoundError(f"font file not found: {file}")
    with TTFont(file, lazy=True, fontNumber=face) as font:
        return font.getBestCmap()


def _glyph_needs(texts: PageTexts, fonts: MapFonts) -> dict[Path, list[tuple[str, str]]]:
    """Each font file and the (what, text) pairs printed in it: headings bold, the rest regular."""
    digits = "0123456789.°NSEW "
    labels = [(f"marker {tag} label", label) for tag, label in texts.labels.items()]
    return {
        Path(fonts.bold): [
            ("title", texts.title),
            ("legend_title", texts.legend_title),
            ("north_label", texts.north),
            ("marker tags", "".join(texts.labels) + digits),
        ],
        Path(fonts.regular): [
            ("attribution", texts.attribution),
            ("scale_label", texts.metre + texts.kilometre),
            ("grid labels", digits),
            *labels,
        ],
    }
